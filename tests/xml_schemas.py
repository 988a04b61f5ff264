"""Official XML schemas, taken from the dependencies that ship them (never copied into the
repository), and the documented rules where no dependency ships one.

- OAI-PMH 2.0 (``OAI-PMH.xsd``, the Open Archives Initiative's): in pyoai's source distribution,
  which ``make install`` keeps beside the environment (``<venv>/sdists``), of the pinned version.
- ``oai_dc`` (simple Dublin Core in OAI-PMH): no dependency ships ``oai_dc.xsd``, so
  ``check_oai_dc`` applies its rules as the OAI-PMH specification (appendix, "oai_dc") documents
  them: one ``oai_dc:dc`` element holding only the fifteen elements of the Dublin Core Metadata
  Element Set 1.1, any number of each, in any order, each plain text with no child element.
"""

import functools
import sys
import tarfile
from importlib.metadata import version
from pathlib import Path

from lxml import etree

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DC_ELEMENTS = {
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
}


def _from_sdist(distribution, member):
    release = version(distribution)
    sdist = Path(sys.prefix) / "sdists" / f"{distribution}-{release}.tar.gz"
    if not sdist.is_file():
        raise AssertionError(
            f"{sdist} is missing: `make install` downloads it (pip download --no-deps "
            f"--no-binary :all: -d {sdist.parent} {distribution}=={release})."
        )
    with tarfile.open(sdist) as archive:
        return archive.extractfile(f"{distribution}-{release}/{member}").read()


@functools.cache
def oai_pmh_schema():
    return etree.XMLSchema(etree.fromstring(_from_sdist("pyoai", "src/oaipmh/tests/OAI-PMH.xsd")))


def check_oai_pmh(content):
    """Parse an OAI-PMH response strictly and validate it against the official schema; returns
    the parsed document."""
    document = etree.fromstring(content, etree.XMLParser(resolve_entities=False))
    schema = oai_pmh_schema()
    if not schema.validate(document):
        raise AssertionError(f"Not valid OAI-PMH: {schema.error_log}\n{content[:2000]!r}")
    for dc in document.iter(f"{{{OAI_DC_NS}}}dc"):
        check_oai_dc(dc)
    return document


def check_oai_dc(dc):
    if dc.tag != f"{{{OAI_DC_NS}}}dc":
        raise AssertionError(f"oai_dc metadata is an oai_dc:dc element, not {dc.tag}")
    for element in dc:
        namespace, _, name = element.tag.partition("}")
        if namespace != "{" + DC_NS or name not in DC_ELEMENTS:
            raise AssertionError(f"{element.tag} is not a Dublin Core element")
        if len(element) or set(element.attrib.keys()) - {
            "{http://www.w3.org/XML/1998/namespace}lang"
        }:
            raise AssertionError(f"dc:{name} holds elements or attributes")
        if not (element.text or "").strip():
            raise AssertionError(f"dc:{name} is empty")
