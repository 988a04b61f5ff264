"""The faceted listing of the analyses index: filters read from the query string, the filtered
list, and per-value counts for every facet, in a fixed number of queries.

Reading a request: ``ListingParams.from_querydict(request.GET)`` keeps only well-formed values
(slugs, years, a sort order, a query truncated to ``QUERY_MAX_LENGTH``) and never raises, so a
hand-typed or hostile URL gives a correct page. Values that name no term are dropped when the
facets are loaded (``Listing.params`` says what was really applied).

Within a facet, several values are alternatives (theme A or theme B); facets combine (theme A and
region B). A region includes every region nested below it. Each facet's counts apply the other
active filters and ignore the facet's own, so that they say what ticking a value would give.

The filtering and every count are done in memory, on the bitmaps of publications.facet_index:
the queries are one page of cards and, with ``q``, the search (plus the index's own build, once per
content generation and process).
"""

import hashlib
import re
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

PAGE_SIZE = 12
QUERY_MAX_LENGTH = 200  # characters of a search query that are searched for; the rest is dropped
SEARCH_RESULT_LIMIT = 500  # the best matches a query can list (and facet counts are over)
SEARCH_CACHE_TIMEOUT = 3600  # seconds a ranked search is kept (a publish makes it stale at once)
MAX_VALUES_PER_FACET = 20
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")
_QUERY_NOISE = re.compile(r"[^\w\s-]|_")
YEAR_MIN, YEAR_MAX = 1900, 2100

SORT_NEWEST, SORT_OLDEST, SORT_RELEVANCE = "newest", "oldest", "relevance"
SORTS = [
    (SORT_NEWEST, _("Newest first")),
    (SORT_OLDEST, _("Oldest first")),
    (SORT_RELEVANCE, _("Most relevant")),
]
# (query parameter, label). Each is a list of slugs (language: codes).
FACETS = [
    ("theme", _("Theme")),
    ("region", _("Region")),
    ("type", _("Type")),
    ("series", _("Series")),
    ("unit", _("Centre or programme")),
    ("author", _("Author")),
    ("language", _("Available in")),
]


def clean_query(value):
    """A search query as searched: letters, digits and hyphens only (quotes and operators would
    reach the full-text syntax of the database), whitespace collapsed, at most QUERY_MAX_LENGTH
    characters (a 10,000-character query is cut before anything else is done with it)."""
    text = _QUERY_NOISE.sub(" ", (value or "")[: QUERY_MAX_LENGTH * 4])
    return " ".join(text.split())[:QUERY_MAX_LENGTH].strip(" -")


def _year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if YEAR_MIN <= year <= YEAR_MAX else None


@dataclass(frozen=True)
class ListingParams:
    theme: tuple = ()
    region: tuple = ()
    type: tuple = ()
    series: tuple = ()
    unit: tuple = ()
    author: tuple = ()
    language: tuple = ()
    year_from: int | None = None
    year_to: int | None = None
    q: str = ""
    sort: str = SORT_NEWEST
    malformed: bool = False  # something in the URL was dropped

    @classmethod
    def from_querydict(cls, data, **fixed):
        values, malformed = {}, False
        languages = {code for code, _name in settings.LANGUAGES}
        for name, _label in FACETS:
            raw = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
            kept = []
            for value in raw[: MAX_VALUES_PER_FACET * 2]:
                value = value.strip()
                valid = value in languages if name == "language" else bool(SLUG_RE.match(value))
                if valid and value not in kept:
                    kept.append(value)
                elif value:
                    malformed = True
            values[name] = tuple(kept[:MAX_VALUES_PER_FACET])
        for name in ("year_from", "year_to"):
            raw = data.get(name)
            values[name] = _year(raw)
            malformed |= bool(raw) and values[name] is None
        q = clean_query(data.get("q"))
        sort = data.get("sort") or (SORT_RELEVANCE if q else SORT_NEWEST)
        if sort not in dict(SORTS) or (sort == SORT_RELEVANCE and not q):
            malformed |= sort != SORT_RELEVANCE
            sort = SORT_RELEVANCE if q else SORT_NEWEST
        values.update(fixed)
        return cls(q=q, sort=sort, malformed=malformed, **values)

    @property
    def active_filter_count(self):
        count = sum(len(getattr(self, name)) for name, _label in FACETS)
        return count + (self.year_from is not None) + (self.year_to is not None) + bool(self.q)

    def querystring_items(self):
        items = [(name, value) for name, _label in FACETS for value in getattr(self, name)]
        if self.year_from is not None:
            items.append(("year_from", str(self.year_from)))
        if self.year_to is not None:
            items.append(("year_to", str(self.year_to)))
        if self.q:
            items.append(("q", self.q))
        default_sort = SORT_RELEVANCE if self.q else SORT_NEWEST
        if self.sort != default_sort:
            items.append(("sort", self.sort))
        return items


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0


@dataclass
class Facet:
    name: str
    label: str
    values: list = field(default_factory=list)

    @property
    def selected(self):
        return [value for value in self.values if value.selected]


@dataclass
class Listing:
    params: ListingParams
    page: object  # a django Page of analysis cards
    facets: list
    years: list  # [(year, count)], newest first
    terms: dict  # {"theme": [Theme], "region": [Region]} selected, for headings and descriptions


# --- The listing -----------------------------------------------------------------------------


def _region_tree(region_rows):
    """Regions in tree order (each followed by its parts), with their depth."""
    children = {}
    for row in region_rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered = []

    def walk(parent_id, depth):
        for row in sorted(children.get(parent_id, []), key=lambda r: r.name.lower()):
            ordered.append((row, depth))
            walk(row.pk, depth + 1)

    walk(None, 0)
    return ordered


def search_ids(queryset, query, limit=SEARCH_RESULT_LIMIT):
    """The pks of the best ``limit`` matches of ``query`` in ``queryset``, best first (Wagtail
    search: PostgreSQL full-text search, SQLite FTS5, or the database fallback). ``queryset``
    may only filter on the model's FilterFields (live, locale, path, depth...): the caller
    applies its other conditions (privacy) to the pks returned.

    Ranking scores every match (a common word matches a third of the analyses: 250 ms at
    100,000), so the ids are kept in the shared cache under the content generation: the same
    query in the same scope is ranked once until something is published. One query, or none."""
    from publications.page_cache import cached

    query = clean_query(query)
    if not query:
        return []

    def ranked():
        results = queryset.only("pk").search(query, operator="and", order_by_relevance=True)
        return [result.pk for result in results[:limit]]

    scope = f"{queryset.model._meta.label}:{queryset.query}:{query}:{limit}"
    digest = hashlib.sha256(scope.encode("utf-8", "surrogateescape")).hexdigest()
    return cached(None, ("search", digest), ranked, timeout=SEARCH_CACHE_TIMEOUT)


class Results:
    """The analyses a listing found, as the sequence its paginator slices: the count comes from
    the bitmap, each slice's cards from the database in one query (live and public again)."""

    def __init__(self, index, mask, ranked=None, reverse=False):
        """``index``: a FacetIndex (None: nothing found); ``mask``: the bitmap of what was
        found; ``ranked``: the pks found, in their order, instead (a search by relevance)."""
        self.index, self.mask, self.ranked, self.reverse = index, mask, ranked, reverse
        if ranked is not None:
            self._count = len(ranked)
        else:
            self._count = mask.bit_count() if index is not None else 0

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __iter__(self):
        """Every card, read 100 at a time (a page of results is read as a slice instead)."""
        for start in range(0, self._count, 100):
            yield from self[start : start + 100]

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("Results are read a page (a slice) at a time.")
        start, stop, _step = item.indices(self._count)
        if stop <= start:
            return []
        if self.ranked is not None:
            ids = self.ranked[start:stop]
        else:
            ids = self.index.ids_at(self.mask, start, stop - start, self.reverse)
        from publications.selectors import cards_by_id

        cards = cards_by_id(ids)
        return [cards[pk] for pk in ids if pk in cards]


def _sorted_values(name, params, counts, labels):
    """FacetValues of a facet keyed by slug: those with analyses in scope, by label, then any
    selected value with none (an unknown slug is shown as itself)."""
    selected = getattr(params, name)
    values = [
        FacetValue(slug, labels.get(slug, slug), n, slug in selected)
        for slug, n in counts.items()
        if n
    ]
    values.sort(key=lambda value: (value.label.lower(), value.value))
    shown = {value.value for value in values}
    values += [
        FacetValue(slug, labels.get(slug, slug), 0, True) for slug in selected if slug not in shown
    ]
    return values


def build_listing(index, params, page_number, page_size=PAGE_SIZE, search_scope=None):
    """Filter the analyses of ``index`` (a publications.facet_index.FacetIndex) by ``params`` and
    return a Listing: one page of cards, the facets with their counts, the years. All in memory
    but the page's cards (one query) and, with ``params.q``, the search in ``search_scope`` (see
    search_ids). Raises Http404 for a page number that does not exist (see
    models.analysis.page_or_404)."""
    from publications.facet_index import either
    from publications.models.analysis import page_or_404

    masks = index.masks
    theme_by_slug = {theme.slug: theme for theme in index.themes}
    region_by_slug = {region.slug: region for region in index.regions}
    params = replace(
        params,
        theme=tuple(slug for slug in params.theme if slug in theme_by_slug),
        region=tuple(slug for slug in params.region if slug in region_by_slug),
    )

    # Each active filter as a bitmap. Values within a facet are alternatives (OR); a region's
    # bitmap already covers its parts.
    filters = {}
    if params.theme:
        by_pk = masks["theme"]
        filters["theme"] = either(by_pk.get(theme_by_slug[s].pk, 0) for s in params.theme)
    if params.region:
        by_pk = masks["region"]
        filters["region"] = either(by_pk.get(region_by_slug[s].pk, 0) for s in params.region)
    for name in ("type", "series", "unit", "author", "language"):
        values = getattr(params, name)
        if values:
            filters[name] = either(masks[name].get(value, 0) for value in values)
    if params.year_from is not None or params.year_to is not None:
        low = YEAR_MIN if params.year_from is None else params.year_from
        high = YEAR_MAX if params.year_to is None else params.year_to
        filters["year"] = either(m for year, m in masks["year"].items() if low <= year <= high)
    matched = []
    if params.q:
        matched = search_ids(search_scope, params.q)
        filters["q"] = index.of_ids(matched)

    def scope(without=None):
        """The analyses that pass every filter but ``without``'s."""
        mask = index.everything
        for name, condition in filters.items():
            if name != without:
                mask &= condition
        return mask

    found = scope()
    if params.q and params.sort == SORT_RELEVANCE:
        position = index.position
        ranked = [pk for pk in matched if pk in position and found >> position[pk] & 1]
        results = Results(index, found, ranked=ranked)
    else:
        results = Results(index, found, reverse=params.sort == SORT_OLDEST)
    page = page_or_404(Paginator(results, page_size), page_number)

    def counts(name, key=None):
        within = scope(without=name)
        return {value: (mask & within).bit_count() for value, mask in masks[key or name].items()}

    facets = []
    theme_counts = counts("theme")
    facets.append(
        Facet(
            "theme",
            _("Theme"),
            [
                FacetValue(t.slug, t.name, theme_counts.get(t.pk, 0), t.slug in params.theme)
                for t in index.themes
                if theme_counts.get(t.pk) or t.slug in params.theme
            ],
        )
    )
    region_counts = counts("region")
    facets.append(
        Facet(
            "region",
            _("Region"),
            [
                FacetValue(
                    row.slug,
                    row.name,
                    region_counts.get(row.pk, 0),
                    row.slug in params.region,
                    depth,
                )
                for row, depth in _region_tree(index.regions)
                if region_counts.get(row.pk) or row.slug in params.region
            ],
        )
    )
    for name, label in [
        ("type", _("Type")),
        ("series", _("Series")),
        ("unit", _("Centre or programme")),
        ("author", _("Author")),
    ]:
        facets.append(
            Facet(name, label, _sorted_values(name, params, counts(name), index.labels[name]))
        )
    language_counts = counts("language")
    facets.append(
        Facet(
            "language",
            _("Available in"),
            [
                FacetValue(
                    code,
                    get_language_info(code)["name_local"].capitalize(),
                    language_counts.get(code, 0),
                    code in params.language,
                )
                for code, _name in settings.LANGUAGES
                if language_counts.get(code) or code in params.language
            ],
        )
    )
    year_counts = counts("year")
    years = [(year, n) for year, n in sorted(year_counts.items(), reverse=True) if n]
    selected_terms = {
        "theme": [theme for theme in index.themes if theme.slug in params.theme],
        "region": [region for region in index.regions if region.slug in params.region],
    }
    return Listing(params=params, page=page, facets=facets, years=years, terms=selected_terms)
