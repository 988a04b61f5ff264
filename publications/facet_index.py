"""The facet index: for every facet value (a theme, a region, a type, a series, a centre or
programme, an author, a language, a locale, a year, a day), the set of the public analyses that
have it, as a compressed bitmap of their ids (pyroaring). The faceted listing filters and counts
on it in memory instead of in SQL (a filter is an AND, a count a cardinality); the related
analyses are scored on it; the analyses of a centre, a programme or an expert, the feeds and the
sitemap's landing pages are found on it. It is the one place where these rules are applied:

- *public*: an analysis is in the index only if ``publications.visibility.public`` says so; an
  author only through a public expert page (in any language), a centre or programme likewise;
- *available in*: an analysis is "available in" each language in which it, or one of its
  translations, is public;
- *a region includes its parts*: an analysis tagged Kenya is in the bitmaps of Kenya, East Africa
  and Africa;
- *a centre includes its programmes*: an analysis of a programme is in its centre's bitmap too;
- *identities*: a term and its translations are one term, known by the primary key of its first
  version (the lowest id of its translation key): a page tagged with the French version of a
  theme counts for the theme; centres, programmes and experts by translation key (their pages in
  every language are one); never by slug or name, which are the reader's language's.

Order: newest first is by publication date, then by id (both descending), in SQL
(``NEWEST_FIRST``) as here, where the day bitmaps give the order.

Freshness: each app process keeps one index, of one content generation (``ContentChange`` row,
``publications.freshness``). When the generation moves on, the process reads the log of changes
since its own and re-reads only what they name (the language versions of an analysis, of an
expert or of a centre): a few small queries, no rebuild. Anything else (a term, a view
restriction, a page moved) rebuilds the index: one process builds it (a lock in the shared cache)
and leaves a snapshot in the shared cache, where the others, and processes that start later,
take it from and catch up on the log. If the log no longer holds the index's own generation (a
restored database, or a process far behind), the index is rebuilt.

Size: at 1,000,000 analyses, about 30 MB in each process and as much in the shared cache
(``docs/benchmarks.md``).
"""

import datetime
import os
import threading
import time
import uuid
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import itemgetter

from django.core.cache import cache
from pyroaring import BitMap
from wagtail.models import Locale, Page

from publications import freshness, page_cache
from publications.memo import per_request
from publications.models import (
    AnalysisAuthor,
    AnalysisPage,
    AnalysisRegion,
    AnalysisResearchUnit,
    AnalysisTheme,
    AnalysisType,
    Region,
    Series,
    Theme,
)
from publications.models.changes import ContentChange
from publications.visibility import public, restricted_sections
from research_centers.models import ExpertPage, ProgrammePage, ResearchCenterPage

# The order of "newest first", for SQL; the index orders the same way.
NEWEST_FIRST = ("-publication_date", "-pk")
# The shape of a FacetIndex in the shared cache: change it with the class, so that processes of a
# new release never read a snapshot pickled by the previous one.
FORMAT = 3
SNAPSHOT_KEY = f"facet-index:{FORMAT}"
SNAPSHOT_TIMEOUT = 7 * 24 * 3600
# While one process builds the index, the others wait for its snapshot up to BUILD_WAIT seconds;
# its lock expires after BUILD_LOCK_TIMEOUT if that process dies.
BUILD_LOCK_KEY = f"{SNAPSHOT_KEY}:building"
BUILD_WAIT = 30
BUILD_POLL = 0.1
BUILD_LOCK_TIMEOUT = 120
# Above this many analyses changed since the index's generation, it is rebuilt, not patched.
PATCH_LIMIT = 2000
# Rows read from the database in one trip while building.
ROWS_PER_TRIP = 20_000

FACETS = (
    "locale",
    "language",
    "year",
    "day",
    "theme",
    "region",
    "type",
    "series",
    "unit",
    "author",
)


TERM_KINDS = ("theme", "region", "type", "series")


@dataclass(frozen=True)
class Term:
    """A theme, region, type or series as the listing shows it, in one language: ``pk`` is the
    term's identity (its first version's id, whatever the language), ``parent_id`` too;
    ``slug``, ``name`` and ``description`` are those of its version in ``locale_id``."""

    pk: int
    slug: str
    name: str
    description: str = ""
    parent_id: int | None = None
    locale_id: int | None = None


@dataclass(frozen=True)
class PageLabel:
    """One public language version of a centre, programme or expert page."""

    pk: int
    title: str
    locale_id: int


@dataclass
class FacetIndex:
    version_id: int  # the ContentChange row this index is up to date with
    version_token: str
    everything: BitMap = field(default_factory=BitMap)
    # Facet name (FACETS) -> value -> the ids of the public analyses that have it. Values: locale
    # id, language code, year, day (date.toordinal()), term pk, translation key (as text) of a
    # centre, programme or expert.
    masks: dict = field(default_factory=lambda: {name: {} for name in FACETS})
    # Kind (TERM_KINDS) -> term identity -> {locale id: Term} of its versions.
    vocabulary: dict = field(default_factory=lambda: {kind: {} for kind in TERM_KINDS})
    # Kind -> the id of any version of a term -> the term's identity.
    term_ids: dict = field(default_factory=lambda: {kind: {} for kind in TERM_KINDS})
    # Centres and programmes, experts: translation key -> {locale id: PageLabel} of their public
    # pages.
    units: dict = field(default_factory=dict)
    experts: dict = field(default_factory=dict)
    # Every centre and programme page (whatever its state) -> the translation keys an analysis
    # linked to it counts for: its own and its centre's.
    unit_lineage: dict = field(default_factory=dict)
    expert_keys: dict = field(default_factory=dict)  # every expert page pk -> translation key
    region_lineage: dict = field(default_factory=dict)  # region pk -> it and the regions above
    languages: dict = field(default_factory=dict)  # locale id -> language code

    @property
    def version_key(self):
        return f"{self.version_id}.{self.version_token}"

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_derived", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)

    # --- Reading ---------------------------------------------------------------------------

    def mask(self, facet, value):
        """The analyses with this facet value (an empty bitmap for an unknown value)."""
        return self.masks[facet].get(value) or BitMap()

    def any_of(self, facet, values):
        """The analyses with at least one of these values of a facet."""
        found = [self.masks[facet][value] for value in values if value in self.masks[facet]]
        return BitMap.union(*found) if found else BitMap()

    def of_locale(self, locale_id):
        return self.mask("locale", locale_id)

    def _days(self):
        """The days that have analyses, ascending (computed once per index)."""
        derived = self.__dict__.setdefault("_derived", {})
        if "days" not in derived:
            derived["days"] = sorted(self.masks["day"])
        return derived["days"]

    def ids_at(self, mask, skip, count, reverse=False):
        """The ids of ``mask``'s analyses, newest first (oldest first if ``reverse``), after
        skipping ``skip`` of them, at most ``count``. Years that are skipped whole cost one
        cardinality each, days one more."""
        found = []
        if count <= 0 or not mask:
            return found
        days = self._days()
        years = sorted(self.masks["year"], reverse=not reverse)
        for year in years:
            in_year = mask.intersection_cardinality(self.masks["year"][year])
            if skip >= in_year:
                skip -= in_year
                continue
            first = bisect_left(days, datetime.date(year, 1, 1).toordinal())
            last = bisect_left(days, datetime.date(year + 1, 1, 1).toordinal())
            year_days = days[first:last]
            for day in year_days if reverse else reversed(year_days):
                on_day = mask & self.masks["day"][day]
                if skip >= len(on_day):
                    skip -= len(on_day)
                    continue
                ids = list(on_day) if reverse else list(reversed(on_day))
                found += ids[skip : skip + count - len(found)]
                skip = 0
                if len(found) >= count:
                    return found
        return found

    def published_since(self, date):
        """The analyses published on ``date`` or later."""
        derived = self.__dict__.setdefault("_derived", {})
        key = ("since", date)
        if key not in derived:
            days = self._days()
            recent = [self.masks["day"][day] for day in days[bisect_left(days, date.toordinal()) :]]
            derived[key] = BitMap.union(*recent) if recent else BitMap()
        return derived[key]

    def best_scored(self, weighted, within, count):
        """The ids of the ``count`` analyses of ``within`` with the highest score, best first
        (newest first at equal scores). ``weighted``: (bitmap, weight) pairs; an analysis scores
        the weights of the bitmaps it is in. The scores are added up for every analysis at once,
        as binary counters whose bit ``i`` is a bitmap (``digits[i]``), with carries."""
        digits = []
        for mask, weight in weighted:
            mask = mask & within
            for bit in range(weight.bit_length()):
                if not weight >> bit & 1:
                    continue
                carry, at = mask, bit
                while carry:
                    while len(digits) <= at:
                        digits.append(BitMap())
                    digits[at], carry = digits[at] ^ carry, digits[at] & carry
                    at += 1
        found = []
        for score in range((1 << len(digits)) - 1, 0, -1):
            scored = within
            for at, digit in enumerate(digits):
                scored = scored & digit if score >> at & 1 else scored - digit
                if not scored:
                    break
            if scored:
                found += self.ids_at(scored, 0, count - len(found))
                if len(found) >= count:
                    break
        return found

    # --- Terms in the reader's language ------------------------------------------------------

    def term_identity(self, kind, pk):
        """The identity of the term one of whose versions has this id (itself if unknown)."""
        return self.term_ids[kind].get(pk, pk)

    def term(self, kind, pk, locale_id):
        """The term of which ``pk`` is a version, in ``locale_id``'s language, else in the
        language of its first version; None for an unknown id."""
        versions = self.vocabulary[kind].get(self.term_identity(kind, pk))
        if not versions:
            return None
        return versions.get(locale_id) or versions[min(versions, key=lambda v: versions[v].pk)]

    def terms(self, kind, locale_id):
        """Every term of a kind, once each, in ``locale_id``'s language where it has a version
        there; by name."""
        derived = self.__dict__.setdefault("_derived", {})
        key = ("terms", kind, locale_id)
        if key not in derived:
            derived[key] = sorted(
                (self.term(kind, pk, locale_id) for pk in self.vocabulary[kind]),
                key=lambda term: term.name.lower(),
            )
        return derived[key]

    def terms_by_slug(self, kind, locale_id):
        """slug -> Term in ``locale_id``'s language; the slugs of the other languages lead to
        the same terms (a link from the other language keeps working), after this one's."""
        derived = self.__dict__.setdefault("_derived", {})
        key = ("slugs", kind, locale_id)
        if key not in derived:
            by_slug = {}
            for identity, versions in self.vocabulary[kind].items():
                term = self.term(kind, identity, locale_id)
                for version in versions.values():
                    by_slug.setdefault(version.slug, term)
            for term in self.terms(kind, locale_id):
                by_slug[term.slug] = term
            derived[key] = by_slug
        return derived[key]

    def localised_terms(self, kind, terms, locale_id):
        """``terms`` (model instances or ids of any version) as Terms in ``locale_id``'s
        language, each term once, in their order."""
        found, seen = [], set()
        for term in terms:
            localised = self.term(kind, getattr(term, "pk", term), locale_id)
            if localised is not None and localised.pk not in seen:
                seen.add(localised.pk)
                found.append(localised)
        return found

    def page_label(self, pages, key, locale_id):
        """The public version of a centre, programme or expert (``pages``: ``self.units`` or
        ``self.experts``) in ``locale_id``, else in another language; None if none is public."""
        versions = pages.get(key)
        if not versions:
            return None
        return versions.get(locale_id) or versions[min(versions)]

    def key_of_page(self, pages, page_id):
        """The translation key of the centre, programme or expert whose public page has this
        id, in any language (None for an unknown id)."""
        derived = self.__dict__.setdefault("_derived", {})
        name = ("keys", id(pages))
        if name not in derived:
            derived[name] = {
                label.pk: key for key, versions in pages.items() for label in versions.values()
            }
        return derived[name].get(page_id)


# --- Building and patching ------------------------------------------------------------------


def _list_rows(queryset):
    return list(_rows(queryset))


def _rows(queryset):
    """The rows of a ``values_list`` queryset, read a chunk at a time (through a server-side
    cursor on PostgreSQL): a full build reads millions of rows and never holds them all."""
    return queryset.iterator(chunk_size=ROWS_PER_TRIP)


def _key(value):
    """A translation key as text, however the driver gives it (a UUID on PostgreSQL, its hex
    digits on SQLite)."""
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(value))


def _as_date(value):
    # The driver gives a date (PostgreSQL) or its ISO text (SQLite).
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


class _Groups:
    """Ids by facet and value, gathered in compact arrays (4 bytes an id, not a list's 8-byte
    pointers: a full build gathers millions of them), then made bitmaps."""

    def __init__(self):
        self.arrays = {}

    def add(self, facet, value, pk):
        by_value = self.arrays.setdefault(facet, {})
        ids = by_value.get(value)
        if ids is None:
            ids = by_value[value] = array("I")
        ids.append(pk)

    def add_pairs(self, facet, pairs):
        for pk, value in pairs:
            self.add(facet, value, pk)

    def bitmaps(self, facet):
        return {value: BitMap(ids) for value, ids in self.arrays.pop(facet, {}).items()}


def _group(pairs):
    """{key: BitMap of ids} from (id, key) pairs."""
    groups = _Groups()
    groups.add_pairs("", pairs)
    return groups.bitmaps("")


def _gather_analyses(groups, index, rows):
    """Gather the facets an analysis row has by itself, and its languages. ``rows`` are (pk,
    locale, translation key, date, type, series), a translation's versions one after the other
    (ordered by translation key), so that "available in" (every language in which one version
    is public) is known without holding every row."""
    for _key, versions in groupby(rows, key=itemgetter(2)):
        versions = list(versions)
        codes = {index.languages.get(version[1]) for version in versions}
        for pk, locale_id, _key, date, type_id, series_id in versions:
            date = _as_date(date)
            groups.add("ids", None, pk)
            groups.add("locale", locale_id, pk)
            for code in codes:
                groups.add("language", code, pk)
            groups.add("year", date.year, pk)
            groups.add("day", date.toordinal(), pk)
            if type_id is not None:
                groups.add("type", index.term_identity("type", type_id), pk)
            if series_id is not None:
                groups.add("series", index.term_identity("series", series_id), pk)


def _load_vocabulary(index, request=None):
    """Terms, languages, and the centres, programmes and experts with their public versions:
    seven small queries (the restricted sections come from the shared cache)."""
    index.languages = dict(Locale.objects.values_list("pk", "language_code"))
    index.vocabulary = {kind: {} for kind in TERM_KINDS}
    index.term_ids = {kind: {} for kind in TERM_KINDS}
    for kind, model, fields in (
        ("theme", Theme, ("description",)),
        ("region", Region, ("description", "parent_id")),
        ("type", AnalysisType, ()),
        ("series", Series, ("description",)),
    ):
        rows = sorted(
            model.objects.order_by().values_list(
                "pk", "translation_key", "locale_id", "slug", "name", *fields
            )
        )
        identity_of_key = {}
        for pk, key, *_rest in rows:
            index.term_ids[kind][pk] = identity_of_key.setdefault(_key(key), pk)
        for pk, _translation_key, locale_id, slug, name, *rest in rows:
            description = rest[0] if rest else ""
            parent = rest[1] if len(rest) > 1 else None
            if parent is not None:
                parent = index.term_ids[kind].get(parent, parent)
            identity = index.term_ids[kind][pk]
            index.vocabulary[kind].setdefault(identity, {}).setdefault(
                locale_id, Term(identity, slug, name, description, parent, locale_id)
            )
    parent_of = {
        identity: next(iter(versions.values())).parent_id
        for identity, versions in index.vocabulary["region"].items()
    }
    index.region_lineage = {}
    for identity in parent_of:
        chain, current = [], identity
        while current is not None and current not in chain:
            chain.append(current)
            current = parent_of.get(current)
        index.region_lineage[identity] = chain

    sections = [section.path for section in restricted_sections(request)]

    def is_public(live, path):
        return live and not any(path.startswith(section) for section in sections)

    fields = ("pk", "translation_key", "path", "locale_id", "title", "live")
    unit_rows = _list_rows(
        Page.objects.type(ResearchCenterPage, ProgrammePage).order_by().values_list(*fields)
    )
    key_by_path = {path: _key(key) for _pk, key, path, *_rest in unit_rows}
    index.units, index.unit_lineage = {}, {}
    for pk, key, path, locale_id, title, live in unit_rows:
        index.unit_lineage[pk] = [
            key_by_path[path[:end]]
            for end in range(len(path), 0, -Page.steplen)
            if path[:end] in key_by_path
        ]
        if is_public(live, path):
            index.units.setdefault(_key(key), {})[locale_id] = PageLabel(pk, title, locale_id)
    expert_rows = _list_rows(ExpertPage.objects.order_by().values_list(*fields))
    index.experts, index.expert_keys = {}, {}
    for pk, key, path, locale_id, title, live in expert_rows:
        index.expert_keys[pk] = _key(key)
        if is_public(live, path):
            index.experts.setdefault(_key(key), {})[locale_id] = PageLabel(pk, title, locale_id)
    index.__dict__.pop("_derived", None)


def _add_analyses(index, analyses, request=None, whole=False):
    """Add the public analyses among ``analyses`` (an AnalysisPage queryset) to the index, with
    every facet value they have. Five queries. ``whole``: the link tables are read whole, without
    a join or a filter (cheaper when every analysis is read)."""
    rows = _rows(
        public(analyses, request)
        .order_by("translation_key", "locale_id")
        .values_list(
            "pk",
            "locale_id",
            "translation_key",
            "publication_date",
            "analysis_type_id",
            "series_id",
        )
    )
    groups = _Groups()
    _gather_analyses(groups, index, rows)
    ids = groups.bitmaps("ids").get(None)
    if ids is None:
        return

    def links(model, column, target):
        queryset = model.objects.order_by().values_list(column, target)
        if whole:
            queryset = queryset.filter(**{f"{target}__isnull": False})
        else:
            queryset = queryset.filter(**{f"{column}__in": list(ids)})
        return ((pk, value) for pk, value in _rows(queryset) if pk in ids)

    groups.add_pairs(
        "theme",
        (
            (pk, index.term_identity("theme", tag))
            for pk, tag in links(AnalysisTheme, "content_object_id", "tag_id")
        ),
    )
    groups.add_pairs(
        "region",
        (
            (pk, region)
            for pk, tag in links(AnalysisRegion, "content_object_id", "tag_id")
            for region in index.region_lineage.get(
                index.term_identity("region", tag), (index.term_identity("region", tag),)
            )
        ),
    )
    groups.add_pairs("unit", _unit_pairs(index, links(AnalysisResearchUnit, "page_id", "unit_id")))
    groups.add_pairs("author", _author_pairs(index, links(AnalysisAuthor, "page_id", "expert_id")))
    additions = {facet: groups.bitmaps(facet) for facet in list(groups.arrays)}
    index.everything = index.everything | ids
    for facet, values in additions.items():
        masks = index.masks[facet]
        for value, added in values.items():
            masks[value] = masks[value] | added if value in masks else added
    index.__dict__.pop("_derived", None)


def _unit_pairs(index, links):
    """(analysis id, translation key) for (analysis id, centre or programme page id) links: an
    analysis linked to a programme counts for the programme and its centre; only centres and
    programmes with a public page count."""
    return (
        (pk, key)
        for pk, unit in links
        for key in index.unit_lineage.get(unit, ())
        if key in index.units
    )


def _author_pairs(index, links):
    """(analysis id, translation key) for (analysis id, expert page id) links, for experts with a
    public page only."""
    return (
        (pk, index.expert_keys[expert])
        for pk, expert in links
        if index.expert_keys.get(expert) in index.experts
    )


def _remove(index, ids):
    """Take the analyses ``ids`` out of every bitmap (new bitmaps: readers in other threads keep
    a consistent index until the new one replaces it)."""
    index.everything = index.everything - ids
    for facet in FACETS:
        masks = {}
        for value, mask in index.masks[facet].items():
            if mask.intersection_cardinality(ids):
                mask = mask - ids
            if mask:
                masks[value] = mask
        index.masks[facet] = masks
    index.__dict__.pop("_derived", None)


def build(request=None):
    """The whole index, from the database: twelve queries whatever the number of analyses."""
    generation = freshness.from_database()  # first: no change after it can be missed
    index = FacetIndex(generation.id, generation.token)
    _load_vocabulary(index, request)
    _add_analyses(index, AnalysisPage.objects.all(), request, whole=True)
    return index


def _patched(index, changes, request=None):
    """A new index: ``index`` with the analyses, experts, centres and programmes named by
    ``changes`` (ContentChange rows, oldest first) read again. None if one of them needs a
    rebuild."""
    analysis_keys, people_keys = set(), set()
    for change in changes:
        if change.kind == ContentChange.EVERYTHING:
            return None
        if change.kind == ContentChange.ANALYSIS and change.translation_key:
            analysis_keys.add(change.translation_key)
        elif change.kind == ContentChange.PERSON_OR_UNIT and change.translation_key:
            people_keys.add(str(change.translation_key))
    if len(analysis_keys) > PATCH_LIMIT:
        return None
    last = changes[-1]
    patched = replace(
        index,
        version_id=last.pk,
        version_token=last.token.hex,
        masks={facet: dict(values) for facet, values in index.masks.items()},
    )
    if people_keys:
        # An expert, centre or programme published, unpublished or renamed: the labels, and the
        # author and unit bitmaps, which count public pages only.
        _load_vocabulary(patched, request)
        _relink_people(patched, people_keys)
    if analysis_keys:
        stale = BitMap(
            AnalysisPage.objects.filter(translation_key__in=analysis_keys).values_list(
                "pk", flat=True
            )
        )
        _remove(patched, stale)
        _add_analyses(
            patched, AnalysisPage.objects.filter(translation_key__in=analysis_keys), request
        )
    patched.__dict__.pop("_derived", None)
    return patched


def _relink_people(index, keys):
    """The author and unit bitmaps of the experts, centres and programmes with these
    translation keys, read again from their links (two queries). A centre's bitmap includes its
    programmes': a programme's change is its centre's too."""
    expert_pages = [pk for pk, key in index.expert_keys.items() if key in keys]
    affected_units = {
        key for lineage in index.unit_lineage.values() if lineage[0] in keys for key in lineage
    }
    unit_pages = [
        pk
        for pk, lineage in index.unit_lineage.items()
        if any(key in affected_units for key in lineage)
    ]
    for key in keys | affected_units:
        index.masks["author"].pop(key, None)
        index.masks["unit"].pop(key, None)
    ids = index.everything
    authors = _list_rows(
        AnalysisAuthor.objects.filter(expert_id__in=expert_pages)
        .order_by()
        .values_list("page_id", "expert_id")
    )
    index.masks["author"].update(
        _group(pair for pair in _author_pairs(index, authors) if pair[0] in ids)
    )
    units = _list_rows(
        AnalysisResearchUnit.objects.filter(unit_id__in=unit_pages)
        .order_by()
        .values_list("page_id", "unit_id")
    )
    index.masks["unit"].update(
        _group(
            (pk, key)
            for pk, key in _unit_pairs(index, units)
            if pk in ids and key in affected_units
        )
    )


# --- The index of this process ----------------------------------------------------------------


class _Local:
    index = None
    lock = threading.Lock()


def current(request=None):
    """This process's index, up to date with the current content generation (once per
    request)."""
    return per_request(request, "facet-index", lambda: _up_to_date(request))


def forget():
    """Drop this process's index (tests: each starts from an empty database)."""
    _Local.index = None


def _up_to_date(request):
    generation = freshness.current(request)
    index = _Local.index
    if index is not None and index.version_key == generation.key:
        return index
    with _Local.lock:
        held = _Local.index
        index = held or _snapshot()
        if index is not None and index.version_key != generation.key:
            index = _caught_up(index, request)
        if index is None:
            index = _build_once(request, held)
        _Local.index = index
    return index


def _snapshot():
    value = cache.get(SNAPSHOT_KEY)
    return value if isinstance(value, FacetIndex) else None


def _caught_up(index, request):
    """``index`` brought up to date with the log of changes (one query, and a few more for
    each kind of change found), or None if it must be rebuilt: its own generation is no longer
    in the log (a restored database, or a process so far behind that the log was pruned), or a
    change needs it."""
    if index.version_id == 0:
        # Built before anything was logged: whatever was logged since may be long.
        return index if not ContentChange.objects.exists() else None
    changes = list(ContentChange.objects.filter(pk__gte=index.version_id).order_by("pk"))
    own = changes[0] if changes else None
    if own is None or own.pk != index.version_id or own.token.hex != index.version_token:
        return None
    if len(changes) == 1:
        return index  # the generation read from the cache was older than the index
    return _patched(index, changes[1:], request)


def _build_once(request, held=None):
    """Build the index and leave a snapshot in the shared cache, unless another process is
    building it already. Then a process that ``held`` an index keeps using it meanwhile, and
    what this request renders is stored in the page cache as made from that older data (so it
    is rendered again once the new index is there); a process that had none waits for the
    snapshot and catches up from it."""
    started = freshness.current(request)
    locked = cache.add(BUILD_LOCK_KEY, os.getpid(), timeout=BUILD_LOCK_TIMEOUT)
    if locked is False and held is not None:
        page_cache.rendered_from(request, held.version_key)
        return held
    if locked is False:  # (None: the cache is down, nobody can share a build: build here)
        deadline = time.monotonic() + BUILD_WAIT
        while time.monotonic() < deadline:
            time.sleep(BUILD_POLL)
            index = _snapshot()
            if index is not None and index.version_id >= started.id:
                if index.version_key == started.key:
                    return index
                caught_up = _caught_up(index, request)
                if caught_up is not None:
                    return caught_up
    try:
        index = build(request)
        cache.set(SNAPSHOT_KEY, index, timeout=SNAPSHOT_TIMEOUT)
        return index
    finally:
        if locked:
            cache.delete(BUILD_LOCK_KEY)
