"""The faceted listing of the analyses index: filters read from the query string, the filtered
list, and per-value counts for every facet, in a fixed number of queries.

Reading a request: ``ListingParams.from_querydict(request.GET)`` keeps only well-formed values
(slugs, years, a sort order, a query truncated to ``QUERY_MAX_LENGTH``) and never raises, so a
hand-typed or hostile URL gives a correct page. Values that name no term are dropped when the
facets are loaded (``Listing.params`` says what was really applied).

Within a facet, several values are alternatives (theme A or theme B); facets combine (theme A and
region B). A region includes every region nested below it, a centre its programmes (the facet
index applies both rules). Each facet's counts apply the other active filters and ignore the
facet's own, so that they say what ticking a value would give.

Values in URLs: themes, regions, types and series by their slug (unique); centres, programmes and
authors by the id of their page (two experts may share a name and a slug, never an id); a page
id of any language version stands for the centre, programme or expert in every language.

The filtering and every count are done in memory, on the bitmaps of publications.facet_index:
the queries are one page of cards and, with ``q``, the search.
"""

import hashlib
import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from pyroaring import BitMap

from publications.cards import cards_in_order
from publications.page_cache import cached

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
# Every query parameter a listing reads (and the page cache keeps: config.middleware).
QUERY_PARAMETERS = (*(name for name, _label in FACETS), "year_from", "year_to", "q", "sort", "page")


def page_or_404(paginator, number):
    """One page of results. A page number that is not a positive integer, or past the last page,
    is a 404: those URLs do not exist, and search engines should not index them."""
    if number is None:
        number = 1
    try:
        return paginator.page(number)
    except (PageNotAnInteger, EmptyPage, ValueError) as exc:
        raise Http404(_("There is no such page of results.")) from exc


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
    aliases: tuple = ()  # other values (page ids of other language versions) that select it


@dataclass
class Facet:
    name: str
    label: str
    values: list = field(default_factory=list)

    # A facet shows its first values; the rest wait behind "Show more" (open if one is ticked).
    VISIBLE_VALUES = 6

    @property
    def selected(self):
        return [value for value in self.values if value.selected]

    @property
    def first_values(self):
        return self.values[: self.VISIBLE_VALUES]

    @property
    def more_values(self):
        return self.values[self.VISIBLE_VALUES :]

    @property
    def more_selected(self):
        return any(value.selected for value in self.more_values)


@dataclass
class Listing:
    params: ListingParams
    page: object  # a django Page of analysis cards
    facets: list
    years: list  # [(year, count)], newest first
    terms: dict  # {"theme": [Theme], "region": [Region]} selected, for headings and descriptions


@dataclass(frozen=True)
class ActiveFilter:
    """A filter that is on, as a removable chip: ``url`` is the listing without it;
    ``landing_url`` the landing page of its theme or region ("" for other filters)."""

    name: str
    label: str
    facet_label: str
    url: str
    landing_url: str = ""


def _with_query(base_url, items):
    return f"{base_url}?{urlencode(items)}" if items else base_url


def filter_chips(listing, base_url, index_url=None, fixed=None, landing_url=None):
    """The filters of ``listing`` that are on, in the order of the facets, each with the URL of
    the listing without it. ``base_url``: the listing's own URL (an index, or a landing page
    whose ``fixed`` filter, {"theme": ("slug",)}, is in its path, not its query string); removing
    the fixed filter leads to ``index_url`` with the other filters. ``landing_url(kind, slug)``:
    the URL of a theme's or region's landing page, for the chips to link to. No query."""
    fixed = fixed or {}
    params = listing.params
    items = params.querystring_items()
    fixed_items = {(name, value) for name, values in fixed.items() for value in values}
    chips = []

    def without(*removed):
        gone = set(removed)
        kept = [item for item in items if item not in gone and item not in fixed_items]
        if gone & fixed_items:
            return _with_query(index_url or base_url, kept)
        return _with_query(base_url, kept)

    for facet in listing.facets:
        for value in facet.selected:
            names = (value.value, *value.aliases)
            link = ""
            if landing_url is not None and facet.name in ("theme", "region"):
                link = landing_url(facet.name, value.value)
            chips.append(
                ActiveFilter(
                    facet.name,
                    value.label,
                    str(facet.label),
                    without(*((facet.name, name) for name in names)),
                    link,
                )
            )
    for name, label in (("year_from", _("From")), ("year_to", _("To"))):
        year = getattr(params, name)
        if year is not None:
            chips.append(ActiveFilter(name, str(year), str(label), without((name, str(year)))))
    if params.q:
        chips.append(ActiveFilter("q", params.q, str(_("Search")), without(("q", params.q))))
    return chips


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
    query in the same scope is ranked once until something is published. One query, or none. A
    query that matches nothing is not kept (None is never cached): it costs little to run again,
    and random queries must not fill the cache."""
    query = clean_query(query)
    if not query:
        return []

    def ranked():
        results = queryset.only("pk").search(query, operator="and", order_by_relevance=True)
        return [result.pk for result in results[:limit]] or None

    scope = f"{queryset.model._meta.label}:{queryset.query}:{query}:{limit}"
    digest = hashlib.sha256(scope.encode("utf-8", "surrogateescape")).hexdigest()
    return cached(None, ("search", digest), ranked, timeout=SEARCH_CACHE_TIMEOUT) or []


class Results:
    """The analyses a listing found, as the sequence its paginator slices: the count comes from
    the bitmap, each slice's cards from the database in one query (public again)."""

    def __init__(self, index, mask, ranked=None, reverse=False, request=None):
        """``index``: a FacetIndex (None: nothing found); ``mask``: the bitmap of what was
        found; ``ranked``: the ids found, in their order, instead (a search by relevance)."""
        self.index, self.mask, self.ranked, self.reverse = index, mask, ranked, reverse
        self.request = request
        if ranked is not None:
            self._count = len(ranked)
        else:
            self._count = len(mask) if index is not None else 0

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
        return cards_in_order(ids, self.request)


def _local_slugs(slugs, by_slug):
    """The known ``slugs``, as the slugs of their terms in the listing's language, once each."""
    found = []
    for slug in slugs:
        term = by_slug.get(slug)
        if term is not None and term.slug not in found:
            found.append(term.slug)
    return tuple(found)


def _term_values(name, terms, params, counts):
    """FacetValues of a term facet (type, series), by name: those with analyses in scope, then
    any selected one with none."""
    selected = getattr(params, name)
    return [
        FacetValue(term.slug, term.name, counts.get(term.pk, 0), term.slug in selected)
        for term in sorted(terms, key=lambda term: term.name.lower())
        if counts.get(term.pk) or term.slug in selected
    ]


def _page_values(name, index, pages, params, counts, locale_id):
    """FacetValues of a centre/programme or author facet: each public one with analyses in
    scope, by its page in the listing's language (else another), by name."""
    selected = set(getattr(params, name))
    values = []
    for key, count in counts.items():
        label = index.page_label(pages, key, locale_id)
        if label is None or not count:
            continue
        versions = {str(version.pk) for version in pages[key].values()}
        values.append(
            FacetValue(
                str(label.pk),
                label.title,
                count,
                bool(versions & selected),
                aliases=tuple(sorted(versions - {str(label.pk)})),
            )
        )
    values.sort(key=lambda value: (value.label.lower(), value.value))
    return values


def _known_pages(index, pages, values):
    """The values (page ids) that name a public centre, programme or expert of ``pages``, and
    the translation keys they stand for."""
    kept, keys = [], []
    for value in values:
        key = index.key_of_page(pages, int(value)) if value.isdigit() else None
        if key is not None:
            kept.append(value)
            if key not in keys:
                keys.append(key)
    return tuple(kept), keys


def active_filters(index, params, locale_id, search_scope=None):
    """(the params with the values that name nothing dropped, {facet: the bitmap of what its
    values let through}, the ids a search matched, best first) for ``params``: values within a
    facet are alternatives (OR). Term slugs are read as ``locale_id``'s: a slug of another
    language's version of a term stands for the same term, and becomes this language's slug."""
    theme_by_slug = index.terms_by_slug("theme", locale_id)
    region_by_slug = index.terms_by_slug("region", locale_id)
    type_by_slug = index.terms_by_slug("type", locale_id)
    series_by_slug = index.terms_by_slug("series", locale_id)
    units, unit_keys = _known_pages(index, index.units, params.unit)
    authors, author_keys = _known_pages(index, index.experts, params.author)
    params = replace(
        params,
        theme=_local_slugs(params.theme, theme_by_slug),
        region=_local_slugs(params.region, region_by_slug),
        type=_local_slugs(params.type, type_by_slug),
        series=_local_slugs(params.series, series_by_slug),
        unit=units,
        author=authors,
    )

    # Each active filter as a bitmap. Values within a facet are alternatives (OR).
    filters = {}
    for name, by_slug in (
        ("theme", theme_by_slug),
        ("region", region_by_slug),
        ("type", type_by_slug),
        ("series", series_by_slug),
    ):
        if getattr(params, name):
            filters[name] = index.any_of(name, [by_slug[slug].pk for slug in getattr(params, name)])
    if params.unit:
        filters["unit"] = index.any_of("unit", unit_keys)
    if params.author:
        filters["author"] = index.any_of("author", author_keys)
    if params.language:
        filters["language"] = index.any_of("language", params.language)
    if params.year_from is not None or params.year_to is not None:
        low = YEAR_MIN if params.year_from is None else params.year_from
        high = YEAR_MAX if params.year_to is None else params.year_to
        filters["year"] = index.any_of("year", [y for y in index.masks["year"] if low <= y <= high])
    matched = []
    if params.q:
        matched = search_ids(search_scope, params.q)
        filters["q"] = BitMap(matched)

    return params, filters, matched


def matching(index, params, locale_id, search_scope=None):
    """The public analyses of every language that pass every filter of ``params`` (a bitmap of
    ids): the listing's filters, for the public API (publications.api). A term's slug in any
    language is the same term; ``locale_id`` only decides which one a slug shared by two terms
    of different languages names."""
    _params, filters, _matched = active_filters(index, params, locale_id, search_scope)
    found = index.everything
    for condition in filters.values():
        found = found & condition
    return found


def build_listing(
    index, locale_id, params, page_number, page_size=PAGE_SIZE, search_scope=None, request=None
):
    """Filter the public analyses of one language (``locale_id``) in ``index`` (a
    publications.facet_index.FacetIndex) by ``params`` and return a Listing: one page of cards,
    the facets with their counts, the years. All in memory but the page's cards (one query) and,
    with ``params.q``, the search in ``search_scope`` (see search_ids). Raises Http404 for a page
    number that does not exist (see page_or_404)."""
    params, filters, matched = active_filters(index, params, locale_id, search_scope)
    everything = index.of_locale(locale_id)

    def scope(without=None):
        """The analyses that pass every filter but ``without``'s."""
        mask = everything
        for name, condition in filters.items():
            if name != without:
                mask = mask & condition
        return mask

    found = scope()
    if params.q and params.sort == SORT_RELEVANCE:
        ranked = [pk for pk in matched if pk in found]
        results = Results(index, found, ranked=ranked, request=request)
    else:
        results = Results(index, found, reverse=params.sort == SORT_OLDEST, request=request)
    page = page_or_404(Paginator(results, page_size), page_number)

    def counts(name):
        within = scope(without=name)
        return {
            value: mask.intersection_cardinality(within)
            for value, mask in index.masks[name].items()
        }

    facets = []
    theme_counts = counts("theme")
    facets.append(
        Facet(
            "theme",
            _("Theme"),
            [
                FacetValue(t.slug, t.name, theme_counts.get(t.pk, 0), t.slug in params.theme)
                for t in index.terms("theme", locale_id)
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
                for row, depth in _region_tree(index.terms("region", locale_id))
                if region_counts.get(row.pk) or row.slug in params.region
            ],
        )
    )
    facets.append(
        Facet(
            "type",
            _("Type"),
            _term_values("type", index.terms("type", locale_id), params, counts("type")),
        )
    )
    facets.append(
        Facet(
            "series",
            _("Series"),
            _term_values("series", index.terms("series", locale_id), params, counts("series")),
        )
    )
    facets.append(
        Facet(
            "unit",
            _("Centre or programme"),
            _page_values("unit", index, index.units, params, counts("unit"), locale_id),
        )
    )
    facets.append(
        Facet(
            "author",
            _("Author"),
            _page_values("author", index, index.experts, params, counts("author"), locale_id),
        )
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
        name: [index.terms_by_slug(name, locale_id)[slug] for slug in getattr(params, name)]
        for name in ("theme", "region")
    }
    return Listing(params=params, page=page, facets=facets, years=years, terms=selected_terms)
