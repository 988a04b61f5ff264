"""The records harvesters get (OAI-PMH, ``publications.oai``): one per public analysis, in each of
its languages, as simple Dublin Core, with the sets it is in; and, once an analysis stops being
public (unpublished, expired, made private, deleted), a deleted record in its place.

``sync_records`` makes the stored records (``HarvestRecord``) agree with what is public now
(``publications.visibility``, the one rule): it builds every public analysis's record, in a fixed
number of queries per batch, and writes only what differs from what harvesters were given, with
the time of writing as its datestamp. A harvester asking for what changed since its last visit
(``from``) therefore gets every record that changed, and every deletion, exactly once more.
It runs in the background after each change readers can see (``publications.harvest_jobs``), and
``manage.py sync_harvest_records`` runs it at will (after a deploy that adds the table).

The record's fields come from the analysis's CSL record (``publications.citation.csl_item``),
the one the citation files and ``citation_*`` tags are made from: the authors named as the page
names them, the ISBN and DOI that are the language version's own.

Sets (``setSpec``), by identity, never by slug or name: ``theme:<id>`` (the id of the term's
first version: its translations are the same set), ``region:<id>[:<id>...]`` (a
region below its parents: Africa's set holds Kenya's analyses), ``type:<id>``, and
``centre:<translation key>[:<translation key>]`` (a centre, and a programme below its centre),
the same in every language; each record is also in every set above its own (``theme``...).
"""

import hashlib
import re
from types import SimpleNamespace
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from wagtail.models import Page

from publications import selectors, site_origin
from publications.citation import csl_item, family_first
from publications.models import (
    AnalysisAuthor,
    AnalysisPage,
    AnalysisResearchUnit,
    AnalysisType,
    HarvestRecord,
    HarvestRecordSet,
    Region,
    Series,
    Theme,
)
from publications.site_names import site_name
from publications.visibility import public
from research_centers.models import ResearchCenterPage

BATCH = 500
SET_KINDS = ("theme", "region", "centre", "type")
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
# XML 1.0 allows neither these control characters nor lone surrogates: a pasted title may hold one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_clean(value):
    """``value`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", str(value))


def xml_text(value):
    """``value`` as XML character data: escaped, without the characters XML 1.0 forbids."""
    return escape(xml_clean(value))


# --- Building the records -----------------------------------------------------------------------


def prepared(queryset):
    """Analyses with everything their record shows, in a fixed number of queries: the page with
    its language, type, series and PDF, then one query each for authors, themes, regions and
    centres or programmes."""
    return (
        queryset.select_related("locale", "analysis_type", "series", "pdf")
        .defer("pdf__text", "body")
        .prefetch_related(
            Prefetch(
                "authors",
                queryset=AnalysisAuthor.objects.select_related("expert__locale").order_by(
                    "sort_order"
                ),
            ),
            "themes",
            "regions",
            Prefetch(
                "research_units",
                queryset=AnalysisResearchUnit.objects.select_related("unit").order_by("sort_order"),
            ),
        )
        .order_by("pk")
    )


class Vocabulary:
    """The four vocabularies as records name them, in four queries: a term and its translations
    are one term, known by the id of its first version (its identity, as on the facet index), and
    named in the record's language where it has a version there."""

    KINDS = {"theme": Theme, "region": Region, "type": AnalysisType, "series": Series}

    def __init__(self):
        self.identities, self.names, self.parents = {}, {}, {}
        for kind, model in self.KINDS.items():
            fields = ["pk", "translation_key", "locale_id", "name"]
            rows = sorted(
                model.objects.order_by().values_list(
                    *fields, *(["parent_id"] if kind == "region" else [])
                )
            )
            first = {}
            identities = self.identities[kind] = {}
            for pk, key, *_rest in rows:
                identities[pk] = first.setdefault(key, pk)
            names = self.names[kind] = {}
            for pk, _key, locale_id, name, *rest in rows:
                names.setdefault(identities[pk], {}).setdefault(locale_id, name)
                if rest and rest[0] is not None:
                    self.parents[identities[pk]] = identities.get(rest[0], rest[0])

    def identity(self, kind, pk):
        return self.identities[kind].get(pk, pk)

    def name(self, kind, pk, locale_id):
        """The term's name in ``locale_id``'s language, else its first version's."""
        versions = self.names[kind].get(self.identity(kind, pk), {})
        return versions.get(locale_id) or next(iter(versions.values()), "")

    def citation_names(self, page):
        """What publications.selectors.citation_names gives, from these vocabularies."""
        names = {"publisher": site_name(page.locale.language_code)}
        if page.analysis_type_id:
            names["genre"] = self.name("type", page.analysis_type_id, page.locale_id)
        if page.series_id:
            names["collection-title"] = self.name("series", page.series_id, page.locale_id)
        return names

    def region_chain(self, region_id):
        """The region's identity and those of the regions above it, the largest first."""
        chain, current = [], self.identity("region", region_id)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parents.get(current)
        return list(reversed(chain))


class SetContext:
    """What one run reads once for every batch: the vocabularies (a term and its translations
    are one set) and the centres' paths (a programme's centre is the centre above it), for the
    set specs and the subjects."""

    def __init__(self):
        # One run is one "request" to the read side: what it looks up under the content
        # generation (the private sections...) is read once per run, not once per analysis.
        self.scope = SimpleNamespace()
        self.vocabulary = Vocabulary()
        self.centres = list(
            ResearchCenterPage.objects.values_list("path", "translation_key").order_by("path")
        )

    def identity(self, kind, pk):
        return self.vocabulary.identity(kind, pk)

    def region_chain(self, region_id):
        return self.vocabulary.region_chain(region_id)

    def centre_of(self, unit):
        for path, key in self.centres:
            if unit.path.startswith(path):
                return key
        return None


def _distinct(values):
    return list(dict.fromkeys(values))


def set_specs(page, context):
    """Every set ``page`` is in, and the sets above them, sorted."""
    specs = set()
    if page.analysis_type_id:
        specs.add(f"type:{context.identity('type', page.analysis_type_id)}")
    for theme in page.themes.all():
        specs.add(f"theme:{context.identity('theme', theme.pk)}")
    for region in page.regions.all():
        chain = context.region_chain(region.pk)
        for depth in range(1, len(chain) + 1):
            specs.add("region:" + ":".join(str(pk) for pk in chain[:depth]))
    for link in page.research_units.all():
        unit = link.unit
        centre = context.centre_of(unit)
        if centre is None or centre == unit.translation_key:
            specs.add(f"centre:{unit.translation_key}")
        else:
            specs.add(f"centre:{centre}")
            specs.add(f"centre:{centre}:{unit.translation_key}")
    specs |= {spec.split(":", 1)[0] for spec in specs}
    return sorted(specs)


def dublin_core(item, page, subjects, places, relations):
    """The ``oai_dc:dc`` element of an analysis, from its CSL record ``item``."""
    fields = [("title", item["title"])]
    fields += [("creator", family_first(author)) for author in item["author"]]
    fields += [("subject", name) for name in subjects]
    fields += [("coverage", name) for name in places]
    if page.teaser:
        fields.append(("description", page.teaser))
    fields.append(("publisher", item["publisher"]))
    fields.append(("date", page.publication_date.isoformat()))
    fields.append(("type", "Text"))
    if item.get("genre"):
        fields.append(("type", item["genre"]))
    fields.append(("identifier", item["URL"]))
    if item.get("DOI"):
        fields.append(("identifier", f"https://doi.org/{item['DOI']}"))
    if item.get("ISBN"):
        fields.append(("identifier", f"urn:isbn:{page.isbn}"))
    if item.get("pdf_url"):
        fields.append(("identifier", item["pdf_url"]))
        fields.append(("format", "application/pdf"))
    fields.append(("language", item["language"]))
    if item.get("collection-title"):
        series = item["collection-title"]
        if item.get("number"):
            series = f"{series}, {item['number']}"
        fields.append(("relation", series))
    if item.get("ISSN"):
        fields.append(("relation", f"urn:issn:{item['ISSN']}"))
    fields += [("relation", url) for url in relations]
    body = "".join(f"<dc:{name}>{xml_text(value)}</dc:{name}>" for name, value in fields if value)
    return (
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{OAI_DC_NS} {OAI_DC_SCHEMA}">{body}</oai_dc:dc>'
    )


def build_records(pages, context=None):
    """{page pk: (page, oai_dc XML, set specs)} for ``pages``, loaded with ``prepared``. Adds a
    fixed number of queries: the authors' public pages (per language), the language versions'
    identifiers and the other public language versions (for ``dc:relation``)."""
    context = context or SetContext()
    scope = context.scope
    root_url = site_origin.site_root_url()
    pages = list(pages)
    by_locale = {}
    for page in pages:
        by_locale.setdefault(page.locale_id, {})[page.pk] = list(page.authors.all())
    author_rows = {}
    for locale_id, authors in by_locale.items():
        author_rows.update(selectors.author_rows(authors, locale_id, scope))
    identifiers = selectors.editions_identifiers(pages)
    pdf_languages = selectors.pdf_languages(pages)
    versions = {}
    keys = {page.translation_key for page in pages}
    if keys:
        for version in (
            public(Page.objects.filter(translation_key__in=keys), scope)
            .select_related("locale")
            .order_by("locale__language_code")
        ):
            versions.setdefault(version.translation_key, []).append(version)
    records = {}
    for page in pages:
        names = [row["name"] for row in author_rows.get(page.pk, [])]
        # A PDF in another language than the record's (a translation that has none of its own
        # yet) is not this record's full text.
        pdf = page.pdf if pdf_languages[page.pk] == page.locale.language_code else None
        item = csl_item(
            page,
            names,
            url=page.get_full_url(),
            pdf_url=site_origin.absolute_url(None, pdf.url, root_url) if pdf else None,
            identifiers=identifiers[page.pk],
            names=context.vocabulary.citation_names(page),
        )
        relations = [
            version.get_full_url()
            for version in versions.get(page.translation_key, ())
            if version.pk != page.pk
        ]
        # The terms' names in the record's language.
        vocabulary = context.vocabulary
        subjects = _distinct(
            vocabulary.name("theme", theme.pk, page.locale_id) for theme in page.themes.all()
        )
        places = _distinct(
            vocabulary.name("region", region.pk, page.locale_id) for region in page.regions.all()
        )
        records[page.pk] = (
            page,
            dublin_core(item, page, subjects, places, relations),
            set_specs(page, context),
        )
    return records


def digest(metadata, specs):
    return hashlib.sha256("\n".join([metadata, *specs]).encode()).hexdigest()


# --- Keeping the stored records in step ---------------------------------------------------------


def sync_records(now=None):
    """Make the stored records agree with what is public now; returns {"created", "changed",
    "deleted"}: how many records got a new datestamp for each reason."""
    now = now or timezone.now()
    counts = {"created": 0, "changed": 0, "deleted": 0}
    context = SetContext()
    with transaction.atomic():
        known = {
            row["page_id"]: row
            for row in HarvestRecord.objects.values("pk", "page_id", "digest", "deleted")
        }
        public_ids = list(
            public(AnalysisPage.objects.all(), context.scope)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(public_ids), BATCH):
            ids = public_ids[start : start + BATCH]
            built = build_records(prepared(AnalysisPage.objects.filter(pk__in=ids)), context)
            _write_batch(built, known, now, counts)
        still_public = set(public_ids)
        gone = [
            row["pk"]
            for page_id, row in known.items()
            if not row["deleted"] and page_id not in still_public
        ]
        if gone:
            # Deleted records keep their sets: a harvester of one set learns of the deletion.
            counts["deleted"] = HarvestRecord.objects.filter(pk__in=gone).update(
                deleted=True, metadata="", digest="", datestamp=now
            )
    return counts


def _write_batch(built, known, now, counts):
    new, changed = [], []
    for pk, (page, metadata, specs) in built.items():
        fingerprint = digest(metadata, specs)
        row = known.get(pk)
        if row is not None and not row["deleted"] and row["digest"] == fingerprint:
            continue
        record = HarvestRecord(
            page_id=pk,
            translation_key=page.translation_key,
            language_code=page.locale.language_code,
            datestamp=now,
            deleted=False,
            metadata=metadata,
            digest=fingerprint,
        )
        if row is None:
            new.append((record, specs))
            counts["created"] += 1
        else:
            record.pk = row["pk"]
            changed.append((record, specs))
            counts["changed"] += 1
    if changed:
        HarvestRecord.objects.bulk_update(
            [record for record, _ in changed],
            ["translation_key", "language_code", "datestamp", "deleted", "metadata", "digest"],
        )
        HarvestRecordSet.objects.filter(record__in=[record.pk for record, _ in changed]).delete()
    if new:
        HarvestRecord.objects.bulk_create([record for record, _ in new])
        if not all(record.pk for record, _ in new):  # backends that return no ids
            ids = dict(
                HarvestRecord.objects.filter(
                    page_id__in=[record.page_id for record, _ in new]
                ).values_list("page_id", "pk")
            )
            for record, _ in new:
                record.pk = ids[record.page_id]
    HarvestRecordSet.objects.bulk_create(
        [
            HarvestRecordSet(record_id=record.pk, spec=spec)
            for record, specs in (*changed, *new)
            for spec in specs
        ]
    )


def repository_identifier():
    """The repository's part of OAI identifiers (``oai:<this>:<page id>``): settings'
    ``OAI_REPOSITORY_IDENTIFIER``, else the host name of the site's origin."""
    configured = getattr(settings, "OAI_REPOSITORY_IDENTIFIER", "")
    if configured:
        return configured
    root = site_origin.site_root_url()
    return root.split("://", 1)[-1].split(":", 1)[0].split("/", 1)[0]
