"""Read-side queries of the publications area, in one place, each a plain function that a test can
call and count queries on. Templates receive what these return and do no queries of their own.

Every list here is live().public(): a draft, an expired, a not-yet-published or a private analysis
is never shown to a reader.
"""

import datetime

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
    """Live, public analyses with what a card shows (type, locale for the URL) joined in, and
    without their body (the full text, never on a card); those of one language if ``locale_id``
    is given."""
    queryset = (
        live_public(AnalysisPage.objects).select_related("analysis_type", "locale").defer("body")
    )
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


def home_page_context(home, request=None):
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
        "analyses_index": analyses_index_pages(home.locale_id, request)[0],
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


def analyses_index_pages(locale_id, request=None):
    """The analyses index and the research centres index of a language (None where there is
    none), from the shared cache under the content generation: no query until something is
    published again."""
    from publications.page_cache import cached
    from research_centers.models import ResearchCentersIndexPage

    return cached(
        request,
        ("section-pages", locale_id),
        lambda: section_pages(locale_id, AnalysisIndexPage, ResearchCentersIndexPage),
    )


def facet_index_of(locale_id, request=None):
    """The facet index (publications.facet_index) of the analyses of a language, or None when
    the language has no analyses index."""
    from publications import facet_index

    index_page = analyses_index_pages(locale_id, request)[0]
    return facet_index.for_index_page(index_page, request) if index_page else None


def related_analysis_ids(
    page,
    index,
    themes=None,
    regions=None,
    unit_keys=None,
    expert_keys=None,
    limit=RELATED_LIMIT,
):
    """The ids behind "Related analyses", before the cards are loaded: the editor picks in their
    order, and the best-scored analyses of the page's language (``index``, its facet index):
    shared themes, regions (or a part of them), centres or programmes and authors, each weighted
    by RELATED_WEIGHTS, plus a bonus for recent work; newest first at equal scores. Never this
    page, never an analysis the editors excluded, never one that shares nothing. Two queries
    (the picks, the exclusions); the scoring is done on the index's bitmaps, in memory. Pass the
    page's themes, regions, and the translation keys of its units and experts when they are
    already loaded."""
    # Read from the page's own links (not a join in the database), so that a preview shows the
    # picks and exclusions of the draft being edited.
    pick_ids = [
        link.analysis_id
        for link in page.related_analysis_links.all()
        if link.analysis_id and link.analysis_id != page.pk
    ]
    excluded = [link.analysis_id for link in page.excluded_related_links.all()]
    if index is None:
        return pick_ids, []
    masks = index.masks
    themes = page.themes.all() if themes is None else themes
    regions = page.regions.all() if regions is None else regions
    shared = [
        *((masks["theme"].get(theme.pk, 0), RELATED_WEIGHTS["themes"]) for theme in themes),
        *((masks["region"].get(region.pk, 0), RELATED_WEIGHTS["regions"]) for region in regions),
        *(
            (masks["unit_key"].get(str(key), 0), RELATED_WEIGHTS["units"])
            for key in unit_keys or ()
        ),
        *(
            (masks["author_key"].get(str(key), 0), RELATED_WEIGHTS["authors"])
            for key in expert_keys or ()
        ),
    ]
    within = 0
    for mask, _weight in shared:
        within |= mask
    within &= ~index.of_ids([page.pk, *pick_ids, *excluded])
    if not within:
        return pick_ids, []
    # The recency bonus, as bitmaps of the analyses published since each date (the newest
    # band gets every band's share).
    today = datetime.date.today()
    bonuses = [bonus for _days, bonus in RECENCY_BONUS] + [0]
    recency = [
        (index.published_since(today - datetime.timedelta(days=days)), bonus - bonuses[at + 1])
        for at, (days, bonus) in enumerate(RECENCY_BONUS)
    ]
    return pick_ids, index.best_scored(shared + recency, within, limit)


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
    """The "Related analyses" cards of ``page`` (see related_analysis_ids)."""
    pick_ids, candidate_ids = related_analysis_ids(
        page, facet_index_of(page.locale_id), themes, regions, unit_keys, expert_keys, limit
    )
    return choose_related(pick_ids, candidate_ids, cards_by_id([*pick_ids, *candidate_ids]), limit)


def analysis_page_context(page, request):
    """Everything the analysis page shows beyond its own fields, in a fixed number of queries.
    It also serves previews, where ``page`` is the draft being edited (maybe not yet saved).

    The related analyses are scored, and the newest ones found, on the facet index of the
    page's language (publications.facet_index); the section pages and the page's language
    versions come from the shared cache. All of these are kept under the content generation
    (publications.page_cache): no query until something is published again."""
    from publications.page_cache import cached

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
    analyses_index, centers_index = analyses_index_pages(locale_id, request)
    index = facet_index_of(locale_id, request)
    pick_ids, candidate_ids = related_analysis_ids(
        page,
        index,
        themes,
        regions,
        unit_keys={unit.translation_key for unit in units},
        expert_keys={expert.translation_key for expert in experts},
    )
    # Enough of the newest analyses (the first of the index) to fill "Discover" even when the
    # related ones and this page are among them.
    newest_ids = index.ids[: DISCOVER_LIMIT + RELATED_LIMIT + 1] if index else []
    # One query for the cards of both lists.
    cards = cards_by_id([*pick_ids, *candidate_ids, *newest_ids])
    related = choose_related(pick_ids, candidate_ids, cards)
    shown = {page.pk, *(card.pk for card in related)}
    discover = [cards[pk] for pk in newest_ids if pk in cards and pk not in shown][:DISCOVER_LIMIT]
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
