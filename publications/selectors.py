"""Read-side queries of the publications area, in one place, each a plain function that a test can
call and count queries on. Templates receive what these return and do no queries of their own.

Every list here is live().public(): a draft, an expired, a not-yet-published or a private analysis
is never shown to a reader.
"""

import datetime

from django.db import connection
from django.db.models import (
    Exists,
    OuterRef,
)
from django.db.models.functions import Length, Substr
from wagtail.models import Page, PageViewRestriction

from publications.models import AnalysisIndexPage, AnalysisPage, HomePage

RELATED_LIMIT = 4
DISCOVER_LIMIT = 4


def public_q():
    """Pages outside any private section, as one subquery. (Wagtail's ``.public()`` first loads
    every view restriction in a query of its own.) A restriction on a page covers its subtree:
    the restricted page's tree path is a prefix of the path of every page it covers."""
    return ~Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
    )


def live_public(queryset):
    return queryset.live().filter(public_q())


def analysis_cards(locale_id=None):
    """Live, public analyses with what a card shows (type, locale for the URL) joined in; those
    of one language if ``locale_id`` is given."""
    queryset = live_public(AnalysisPage.objects).select_related("analysis_type", "locale")
    if locale_id is not None:
        queryset = queryset.filter(locale_id=locale_id)
    return queryset


def newest_first(queryset):
    return queryset.order_by("-publication_date", "-first_published_at", "-pk")


def analyses_in_index(index_page):
    return newest_first(analysis_cards().child_of(index_page))


def analysis_listing(index_page, params, page_number, request=None):
    """The faceted listing of an analyses index (see publications.listing): one page of cards,
    the facets and their counts. One query for the cards (and one for a search), the filtering
    and counting on the index's bitmaps (publications.facet_index)."""
    from publications import facet_index
    from publications.listing import build_listing

    return build_listing(
        facet_index.for_index_page(index_page, request),
        params,
        page_number,
        index_page.PAGE_SIZE,
        search_scope=AnalysisPage.objects.live().child_of(index_page),
    )


def home_page_context(home):
    featured = list(
        analysis_cards().filter(featured_links__page=home).order_by("featured_links__sort_order")
    )
    latest = list(
        newest_first(analysis_cards(locale_id=home.locale_id)).exclude(
            pk__in=[card.pk for card in featured]
        )[: HomePage.LATEST_COUNT]
    )
    return {
        "featured_analyses": featured,
        "latest_analyses": latest,
        "analyses_index": section_pages(home.locale_id, AnalysisIndexPage)[0],
    }


def section_pages(locale_id, *page_classes):
    """The first live page of each given type in a locale (the analyses index, the centres
    index...), as a list in the order of ``page_classes`` (None where there is none). One query."""
    pages = (
        live_public(Page.objects)
        .type(*page_classes)
        .filter(locale_id=locale_id)
        .select_related("locale", "content_type")
        .order_by("path")
    )
    first_of_type = {}
    for page in pages:
        first_of_type.setdefault(page.content_type.model_class(), page)
    return [first_of_type.get(page_class) for page_class in page_classes]


def live_translations(page):
    """Every live, public language version of a page, this one included, in LANGUAGES order."""
    return list(
        live_public(Page.objects)
        .filter(translation_key=page.translation_key)
        .select_related("locale")
        .order_by("locale__language_code")
    )


def prime_foreign_keys(instance, *names, defer=()):
    """Load several foreign keys of an instance that is already in memory in one query, so that
    templates read them without a query each (Wagtail loads the page being served itself).
    ``defer``: big columns of those relations the page does not show (the PDF's text)."""
    fields = ["pk"]
    for name in names:
        related = instance._meta.get_field(name).related_model
        skipped = {path.split("__", 1)[1] for path in defer if path.startswith(f"{name}__")}
        if skipped:
            fields += [
                f"{name}__{field.attname}"
                for field in related._meta.concrete_fields
                if field.name not in skipped
            ]
        else:
            fields.append(name)
    loaded = type(instance).objects.select_related(*names).only(*fields).get(pk=instance.pk)
    for name in names:
        field = instance._meta.get_field(name)
        field.set_cached_value(instance, getattr(loaded, name))


def localized(pages, locale_id):
    """Map each page to its live version in the locale ``locale_id`` when one exists (one query at
    most), so that a French analysis links to the French page of its expert or centre."""
    pages = [page for page in pages if page is not None]
    foreign = {page.translation_key for page in pages if page.locale_id != locale_id}
    if not foreign:
        return pages
    translations = {
        page.translation_key: page
        for page in live_public(Page.objects)
        .filter(translation_key__in=foreign, locale_id=locale_id)
        .select_related("locale")
        .specific(defer=True)
    }
    return [translations.get(page.translation_key, page) for page in pages]


# Weights of what an analysis shares with the page (per shared term, centre or author), and the
# bonus of recent work (published within a year, within three years of today).
RELATED_WEIGHTS = {"themes": 3, "regions": 2, "units": 2, "authors": 4}
RECENCY_BONUS = ((365, 2), (3 * 365, 1))
RELATED_OVERFETCH = 8


def _placeholders(values):
    return ", ".join(["%s"] * len(values))


def _related_candidate_ids(page, links, excluded_ids, exclude_saved_exclusions, limit):
    """The ids of the best-scored analyses for ``page``, best first: one SQL query that adds up
    the weights of the links each analysis shares with the page (a UNION ALL over the link tables,
    filtered by the page's own terms, so it reads only the matching link rows: milliseconds at
    100,000 analyses, where a per-analysis count took seconds), plus the recency bonus."""
    from publications.models import ExcludedRelatedAnalysis

    parts, params = [], []
    for name, (model, object_column, value_sql, values) in links.items():
        if not values:
            continue
        table = model._meta.db_table
        parts.append(
            f"SELECT l.{object_column} AS analysis_id, {RELATED_WEIGHTS[name]} AS weight "
            f"FROM {table} l {value_sql} IN ({_placeholders(values)})"
        )
        params.extend(values)
    today = datetime.date.today()
    recency = " ".join(
        f"WHEN a.publication_date >= %s THEN {bonus}" for _days, bonus in RECENCY_BONUS
    )
    recency_params = [today - datetime.timedelta(days=days) for days, _bonus in RECENCY_BONUS]
    where = ["p.live", "p.locale_id = %s"]
    where_params = [page.locale_id]
    if excluded_ids:
        where.append(f"s.analysis_id NOT IN ({_placeholders(excluded_ids)})")
        where_params.extend(excluded_ids)
    if exclude_saved_exclusions:
        where.append(
            "s.analysis_id NOT IN (SELECT analysis_id FROM "
            f"{ExcludedRelatedAnalysis._meta.db_table} WHERE page_id = %s)"
        )
        where_params.append(page.pk)
    sql = (
        f"SELECT s.analysis_id FROM ({' UNION ALL '.join(parts)}) s "
        f"JOIN {AnalysisPage._meta.db_table} a ON a.page_ptr_id = s.analysis_id "
        f"JOIN {Page._meta.db_table} p ON p.id = s.analysis_id "
        f"WHERE {' AND '.join(where)} "
        "GROUP BY s.analysis_id, a.publication_date "
        f"ORDER BY SUM(s.weight) + CASE {recency} ELSE 0 END DESC, "
        "a.publication_date DESC, s.analysis_id DESC "
        "LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params, *recency_params, limit])
        return [row[0] for row in cursor.fetchall()]


def related_analysis_ids(
    page, themes=None, regions=None, unit_keys=None, expert_keys=None, limit=RELATED_LIMIT
):
    """The ids behind "Related analyses", before the live check: the editor picks in their order,
    and the best-scored analyses of the page's language (shared themes, regions, centres or
    programmes and authors, each weighted by RELATED_WEIGHTS, plus a bonus for recent work),
    best first, a few more than needed. Never this page, never an analysis the editors excluded.
    Two queries at most (the picks, the scores). Pass the page's themes, regions, and the
    translation keys of its units and experts when they are already loaded."""
    from publications.models import (
        AnalysisAuthor,
        AnalysisRegion,
        AnalysisResearchUnit,
        AnalysisTheme,
    )

    # Read from the page's own links (not a join in the database), so that a preview shows the
    # picks and exclusions of the draft being edited.
    pick_ids = [
        link.analysis_id
        for link in page.related_analysis_links.all()
        if link.analysis_id and link.analysis_id != page.pk
    ]
    in_memory = "excluded_related_links" in getattr(page, "_cluster_related_objects", {})
    excluded = [link.analysis_id for link in page.excluded_related_links.all()] if in_memory else []
    theme_ids = [theme.pk for theme in (page.themes.all() if themes is None else themes)]
    region_ids = [region.pk for region in (page.regions.all() if regions is None else regions)]
    page_table = Page._meta.db_table
    key_field = Page._meta.get_field("translation_key")

    def db_keys(keys):
        return [key_field.get_db_prep_value(key, connection) for key in keys or []]

    by_key = f"JOIN {page_table} t ON t.id = l.{{column}} WHERE t.translation_key"
    links = {
        "themes": (AnalysisTheme, "content_object_id", "WHERE l.tag_id", theme_ids),
        "regions": (AnalysisRegion, "content_object_id", "WHERE l.tag_id", region_ids),
        "units": (
            AnalysisResearchUnit,
            "page_id",
            by_key.format(column="unit_id"),
            db_keys(unit_keys),
        ),
        "authors": (
            AnalysisAuthor,
            "page_id",
            by_key.format(column="expert_id"),
            db_keys(expert_keys),
        ),
    }
    if not any(link[3] for link in links.values()):
        return pick_ids, []
    # Always asked, even when the picks look enough: a pick may turn out to be a draft or private
    # (checked on the cards), and a fixed number of queries is easier to reason about.
    candidate_ids = _related_candidate_ids(
        page,
        links,
        excluded_ids=[pk for pk in [page.pk, *pick_ids, *excluded] if pk],
        exclude_saved_exclusions=bool(page.pk) and not in_memory,
        limit=limit + RELATED_OVERFETCH,
    )
    return pick_ids, candidate_ids


def cards_by_id(ids):
    """The live, public analyses among ``ids``, as cards, by id. One query (none for no ids)."""
    ids = set(ids)
    return {card.pk: card for card in analysis_cards().filter(pk__in=ids)} if ids else {}


def choose_related(pick_ids, candidate_ids, cards, limit=RELATED_LIMIT):
    """The live picks first, in their order, topped up with the live candidates; no duplicates."""
    chosen = []
    for pk in [*pick_ids, *candidate_ids]:
        if pk in cards and cards[pk] not in chosen:
            chosen.append(cards[pk])
    return chosen[:limit]


def related_analyses(
    page, themes=None, regions=None, unit_keys=None, expert_keys=None, limit=RELATED_LIMIT
):
    """The "Related analyses" cards of ``page`` (see related_analysis_ids): 3 queries at most."""
    pick_ids, candidate_ids = related_analysis_ids(
        page, themes, regions, unit_keys, expert_keys, limit
    )
    return choose_related(pick_ids, candidate_ids, cards_by_id([*pick_ids, *candidate_ids]), limit)


def newest_analysis_ids(locale_id, limit):
    """The ids of the newest live, public analyses of a language. One query."""
    return list(
        newest_first(analysis_cards(locale_id=locale_id)).values_list("pk", flat=True)[:limit]
    )


def analysis_page_context(page, request):
    """Everything the analysis page shows beyond its own fields, in a fixed number of queries.
    It also serves previews, where ``page`` is the draft being edited (maybe not yet saved).

    What every analysis page of a language shares (the newest analyses, the section pages) and
    the page's language versions come from the shared cache, under the content generation
    (publications.page_cache), so they cost no query until something is published again."""
    from publications.page_cache import cached
    from research_centers.models import ResearchCentersIndexPage

    if page.pk and not getattr(request, "is_preview", False):
        prime_foreign_keys(
            page, "locale", "analysis_type", "series", "pdf", "cover_image", defer=["pdf__text"]
        )
    locale_id = page.locale_id
    authors = list(page.authors.select_related("expert__locale").order_by("sort_order"))
    experts = localized([author.expert for author in authors if author.expert_id], locale_id)
    expert_by_key = {expert.translation_key: expert for expert in experts}
    author_rows = []
    for author in authors:
        expert = expert_by_key.get(author.expert.translation_key) if author.expert_id else None
        author_rows.append(
            {
                "name": expert.title if expert else author.name,
                "affiliation": author.affiliation,
                "page": expert,
            }
        )
    units = localized(
        [
            link.unit
            for link in page.research_units.select_related("unit__locale", "unit__content_type")
        ],
        locale_id,
    )
    themes = list(page.themes.all())
    regions = list(page.regions.all())
    pick_ids, candidate_ids = related_analysis_ids(
        page,
        themes,
        regions,
        unit_keys={unit.translation_key for unit in units},
        expert_keys={expert.translation_key for expert in experts},
    )
    # Enough newest analyses to fill "Discover" even when the related ones and this page are
    # among them.
    newest_ids = cached(
        request,
        ("newest-analyses", locale_id),
        lambda: newest_analysis_ids(locale_id, DISCOVER_LIMIT + RELATED_LIMIT + 1),
    )
    # One query for the cards of both lists.
    cards = cards_by_id([*pick_ids, *candidate_ids, *newest_ids])
    related = choose_related(pick_ids, candidate_ids, cards)
    shown = {page.pk, *(card.pk for card in related)}
    discover = [cards[pk] for pk in newest_ids if pk in cards and pk not in shown][:DISCOVER_LIMIT]
    analyses_index, centers_index = cached(
        request,
        ("section-pages", locale_id),
        lambda: section_pages(locale_id, AnalysisIndexPage, ResearchCentersIndexPage),
    )
    translations = cached(
        request, ("translations", page.translation_key), lambda: live_translations(page)
    )
    return {
        "author_rows": author_rows,
        "themes": themes,
        "regions": regions,
        "research_units": units,
        "related_analyses": related,
        "discover_analyses": discover,
        "analyses_index": analyses_index,
        "centers_index": centers_index,
        "translations": translations,
    }
