"""The faceted listing of the analyses index: filters read from the query string, the filtered
list, and per-value counts for every facet, in a fixed number of queries.

Reading a request: ``ListingParams.from_querydict(request.GET)`` keeps only well-formed values
(slugs, years, a sort order, a query truncated to ``QUERY_MAX_LENGTH``) and never raises, so a
hand-typed or hostile URL gives a correct page. Values that name no term are dropped when the
facets are loaded (``Listing.params`` says what was really applied).

Within a facet, several values are alternatives (theme A or theme B); facets combine (theme A and
region B). A region includes every region nested below it. Each facet's counts apply the other
active filters and ignore the facet's own, so that they say what ticking a value would give.

Queries, whatever the page size and the number of terms: the search (with ``q`` only), the count
and one page of cards, then one per facet (themes, regions: one for the terms, one for the counts,
types, series, centres and programmes, authors, languages, years).
"""

import datetime
import re
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from publications.models import (
    AnalysisAuthor,
    AnalysisRegion,
    AnalysisResearchUnit,
    AnalysisTheme,
    Region,
    Theme,
)

PAGE_SIZE = 12
QUERY_MAX_LENGTH = 200  # characters of a search query that are searched for; the rest is dropped
SEARCH_RESULT_LIMIT = 500  # the best matches a query can list (and facet counts are over)
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


# --- Filters ---------------------------------------------------------------------------------


def _filter_q(name, values, region_ids=None):
    """The condition for one facet (values: slugs/codes), as a Q on AnalysisPage."""
    if name == "theme":
        return Q(
            Exists(
                AnalysisTheme.objects.filter(content_object=OuterRef("pk"), tag__slug__in=values)
            )
        )
    if name == "region":
        return Q(
            Exists(
                AnalysisRegion.objects.filter(content_object=OuterRef("pk"), tag_id__in=region_ids)
            )
        )
    if name == "type":
        return Q(analysis_type__slug__in=values)
    if name == "series":
        return Q(series__slug__in=values)
    if name == "unit":
        return Q(
            Exists(AnalysisResearchUnit.objects.filter(page=OuterRef("pk"), unit__slug__in=values))
        )
    if name == "author":
        return Q(
            Exists(AnalysisAuthor.objects.filter(page=OuterRef("pk"), expert__slug__in=values))
        )
    if name == "language":
        return Q(
            translation_key__in=Page.objects.filter(
                locale__language_code__in=values, live=True
            ).values("translation_key")
        )
    raise ValueError(name)


def _year_q(params):
    condition = Q()
    if params.year_from is not None:
        condition &= Q(publication_date__gte=datetime.date(params.year_from, 1, 1))
    if params.year_to is not None:
        condition &= Q(publication_date__lte=datetime.date(params.year_to, 12, 31))
    return condition


def _conditions(params, region_ids, without=None):
    condition = Q()
    for name, _label in FACETS:
        values = getattr(params, name)
        if values and name != without:
            condition &= _filter_q(name, values, region_ids)
    if without != "year":
        condition &= _year_q(params)
    return condition


# --- The listing -----------------------------------------------------------------------------


def _descendants(region_rows, selected_ids):
    children = {}
    for row in region_rows:
        children.setdefault(row.parent_id, []).append(row.pk)
    found, frontier = set(selected_ids), list(selected_ids)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


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
    """The pks of the best ``limit`` matches of ``query`` in ``queryset``, best first. One query
    (Wagtail search: PostgreSQL full-text search, SQLite FTS5, or the database fallback).
    ``queryset`` may only filter on the model's FilterFields (live, locale, path, depth...): the
    caller applies its other conditions (privacy) to the pks returned."""
    query = clean_query(query)
    if not query:
        return []
    results = queryset.search(query, operator="and", order_by_relevance=True)[:limit]
    return [result.pk for result in results]


def build_listing(base, params, page_number, page_size=PAGE_SIZE, search_scope=None):
    """Filter ``base`` (live, public analyses with what a card needs) by ``params`` and return a
    Listing: one page of cards, the facets with their counts, the years. ``search_scope``: the
    same analyses filtered on search FilterFields only (see search_ids), for ``params.q``.
    Raises Http404 for a page number that does not exist (see models.analysis.page_or_404)."""
    from publications.models.analysis import page_or_404

    # The terms of the taxonomy facets, to validate the slugs and label the values.
    themes = list(Theme.objects.only("pk", "name", "slug", "description"))
    regions = list(Region.objects.only("pk", "name", "slug", "parent_id", "description"))
    theme_slugs = {theme.slug for theme in themes}
    region_by_slug = {region.slug: region for region in regions}
    params = replace(
        params,
        theme=tuple(slug for slug in params.theme if slug in theme_slugs),
        region=tuple(slug for slug in params.region if slug in region_by_slug),
    )
    region_ids = _descendants(regions, [region_by_slug[slug].pk for slug in params.region])

    if params.q:
        matched = search_ids(base if search_scope is None else search_scope, params.q)
        base = base.filter(pk__in=matched)
    filtered = base.filter(_conditions(params, region_ids))
    if params.q and params.sort == SORT_RELEVANCE:
        rank = Case(
            *[When(pk=pk, then=Value(position)) for position, pk in enumerate(matched)],
            default=Value(len(matched)),
            output_field=IntegerField(),
        )
        ordered = filtered.order_by(rank, "-publication_date", "-pk")
    elif params.sort == SORT_OLDEST:
        ordered = filtered.order_by("publication_date", "first_published_at", "pk")
    else:
        ordered = filtered.order_by("-publication_date", "-first_published_at", "-pk")
    page = page_or_404(Paginator(ordered, page_size), page_number)
    list(page.object_list)  # evaluated here, where the queries are counted

    facets = []
    # Themes
    theme_scope = base.filter(_conditions(params, region_ids, without="theme")).values("pk")
    theme_counts = dict(
        AnalysisTheme.objects.filter(content_object_id__in=theme_scope)
        .order_by()
        .values_list("tag_id")
        .annotate(n=Count("content_object_id", distinct=True))
    )
    facets.append(
        Facet(
            "theme",
            _("Theme"),
            [
                FacetValue(t.slug, t.name, theme_counts.get(t.pk, 0), t.slug in params.theme)
                for t in themes
                if theme_counts.get(t.pk) or t.slug in params.theme
            ],
        )
    )
    # Regions: a region counts the analyses of its parts too. One query: for each depth of the
    # tree, the tagged analyses grouped by their region's ancestor at that depth (UNION ALL).
    region_scope = base.filter(_conditions(params, region_ids, without="region")).values("pk")
    tree = _region_tree(regions)
    region_aggregates = {}
    if tree:
        parent_of = {row.pk: row.parent_id for row in regions}
        chains = {}
        for row in regions:
            chain, current = [], row.pk
            while current is not None and current not in chain:
                chain.append(current)
                current = parent_of.get(current)
            chains[row.pk] = chain[::-1]  # from the top region down to this one
        levels = []
        for depth in range(max(len(chain) for chain in chains.values())):
            by_ancestor = {}
            for region_id, chain in chains.items():
                if len(chain) > depth:
                    by_ancestor.setdefault(chain[depth], []).append(region_id)
            ancestor = Case(
                *[When(tag_id__in=ids, then=Value(pk)) for pk, ids in by_ancestor.items()],
                output_field=IntegerField(),
            )
            levels.append(
                AnalysisRegion.objects.filter(
                    content_object_id__in=region_scope,
                    tag_id__in=[pk for ids in by_ancestor.values() for pk in ids],
                )
                .annotate(ancestor=ancestor)
                .order_by()
                .values("ancestor")
                .annotate(n=Count("content_object_id", distinct=True))
                .values_list("ancestor", "n")
            )
        union = levels[0].union(*levels[1:], all=True) if len(levels) > 1 else levels[0]
        region_aggregates = {f"r{pk}": n for pk, n in union}
    facets.append(
        Facet(
            "region",
            _("Region"),
            [
                FacetValue(
                    row.slug,
                    row.name,
                    region_aggregates.get(f"r{row.pk}", 0),
                    row.slug in params.region,
                    depth,
                )
                for row, depth in tree
                if region_aggregates.get(f"r{row.pk}") or row.slug in params.region
            ],
        )
    )
    # Types and series: grouped on the analyses themselves.
    for name, label, key in [
        ("type", _("Type"), "analysis_type"),
        ("series", _("Series"), "series"),
    ]:
        rows = (
            base.filter(_conditions(params, region_ids, without=name))
            .filter(**{f"{key}__isnull": False})
            .order_by()
            .values_list(f"{key}__slug", f"{key}__name")
            .annotate(n=Count("pk"))
            .order_by(f"{key}__name")
        )
        values = [
            FacetValue(slug, value_label, n, slug in getattr(params, name))
            for slug, value_label, n in rows
        ]
        known = {value.value for value in values}
        values += [
            FacetValue(slug, slug, 0, True) for slug in getattr(params, name) if slug not in known
        ]
        facets.append(Facet(name, label, values))
    # Centres and programmes, authors (experts): grouped on the link tables.
    for name, label, model, link, title in [
        ("unit", _("Centre or programme"), AnalysisResearchUnit, "unit", "unit__title"),
        ("author", _("Author"), AnalysisAuthor, "expert", "expert__title"),
    ]:
        scope = base.filter(_conditions(params, region_ids, without=name)).values("pk")
        rows = (
            model.objects.filter(page_id__in=scope, **{f"{link}__isnull": False})
            .order_by()
            .values_list(f"{link}__slug", title)
            .annotate(n=Count("page_id", distinct=True))
            .order_by(title)
        )
        merged = {}
        for slug, value_label, n in rows:
            merged.setdefault(slug, [value_label, 0])[1] += n
        values = [
            FacetValue(slug, value_label, n, slug in getattr(params, name))
            for slug, (value_label, n) in merged.items()
        ]
        known = {value.value for value in values}
        values += [
            FacetValue(slug, slug, 0, True) for slug in getattr(params, name) if slug not in known
        ]
        facets.append(Facet(name, label, values))
    # Languages: the analysis exists (live) in that language. One grouped query on the pages
    # that share a translation key with an analysis in scope.
    language_scope = base.filter(_conditions(params, region_ids, without="language"))
    language_counts = {f"l_{code}": 0 for code, _name in settings.LANGUAGES}
    language_counts.update(
        (f"l_{code}", n)
        for code, n in Page.objects.filter(
            live=True, translation_key__in=language_scope.values("translation_key")
        )
        .order_by()
        .values_list("locale__language_code")
        .annotate(n=Count("translation_key", distinct=True))
    )
    facets.append(
        Facet(
            "language",
            _("Available in"),
            [
                FacetValue(
                    code,
                    get_language_info(code)["name_local"].capitalize(),
                    language_counts[f"l_{code}"],
                    code in params.language,
                )
                for code, _name in settings.LANGUAGES
                if language_counts[f"l_{code}"] or code in params.language
            ],
        )
    )
    # Years.
    years = list(
        base.filter(_conditions(params, region_ids, without="year"))
        .order_by()
        .annotate(year=ExtractYear("publication_date"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    selected_terms = {
        "theme": [theme for theme in themes if theme.slug in params.theme],
        "region": [region for region in regions if region.slug in params.region],
    }
    return Listing(params=params, page=page, facets=facets, years=years, terms=selected_terms)
