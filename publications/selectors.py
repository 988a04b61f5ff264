"""Read-side queries of the publications area, in one place, each a plain function that a test can
call and count queries on. Templates receive what these return and do no queries of their own.

Every list here is live().public(): a draft, an expired, a not-yet-published or a private analysis
is never shown to a reader.
"""

from django.db.models import Count, Q
from wagtail.models import Page

from publications.models import AnalysisIndexPage, AnalysisPage, HomePage

RELATED_LIMIT = 4
DISCOVER_LIMIT = 4


def analysis_cards(locale=None):
    """Live, public analyses with what a card shows (type, locale for the URL) joined in."""
    queryset = AnalysisPage.objects.live().public().select_related("analysis_type", "locale")
    if locale is not None:
        queryset = queryset.filter(locale=locale)
    return queryset


def newest_first(queryset):
    return queryset.order_by("-publication_date", "-first_published_at", "-pk")


def analyses_in_index(index_page):
    return newest_first(analysis_cards().child_of(index_page))


def home_page_context(home):
    featured = list(
        analysis_cards()
        .filter(featured_links__page=home)
        .order_by("featured_links__sort_order")
    )
    latest = list(
        newest_first(analysis_cards(locale=home.locale))
        .exclude(pk__in=[card.pk for card in featured])[: HomePage.LATEST_COUNT]
    )
    return {
        "featured_analyses": featured,
        "latest_analyses": latest,
        "analyses_index": section_page(home.locale, AnalysisIndexPage),
    }


def section_page(locale, page_class):
    """The live page of a given type in a locale (the analyses index, the centres index...)."""
    return page_class.objects.live().filter(locale=locale).select_related("locale").first()


def live_translations(page):
    """Every live, public language version of a page, this one included, in LANGUAGES order."""
    return list(
        Page.objects.live()
        .public()
        .filter(translation_key=page.translation_key)
        .select_related("locale")
        .order_by("locale__language_code")
    )


def localized(pages, locale):
    """Map each page to its live version in ``locale`` when one exists (one query at most), so that
    a French analysis links to the French page of its expert or centre."""
    pages = [page for page in pages if page is not None]
    foreign = {page.translation_key for page in pages if page.locale_id != locale.pk}
    if not foreign:
        return pages
    translations = {
        page.translation_key: page
        for page in Page.objects.live()
        .filter(translation_key__in=foreign, locale=locale)
        .select_related("locale")
        .specific(defer=True)
    }
    return [translations.get(page.translation_key, page) for page in pages]


def related_analyses(page, themes=None, regions=None, limit=RELATED_LIMIT):
    """Editor picks first, in their order; then analyses sharing themes or regions with this one,
    the most shared first, newest first. Never this page, never a draft. Pass the page's themes
    and regions when they are already loaded."""
    picks = list(
        analysis_cards()
        .filter(picked_by_links__page=page)
        .exclude(pk=page.pk)
        .order_by("picked_by_links__sort_order")[:limit]
    )
    remaining = limit - len(picks)
    if remaining <= 0:
        return picks
    theme_ids = [theme.pk for theme in (page.themes.all() if themes is None else themes)]
    region_ids = [region.pk for region in (page.regions.all() if regions is None else regions)]
    if not theme_ids and not region_ids:
        return picks
    automatic = (
        analysis_cards(locale=page.locale)
        .exclude(pk__in=[page.pk, *(pick.pk for pick in picks)])
        .annotate(
            shared_themes=Count(
                "theme_items", filter=Q(theme_items__tag_id__in=theme_ids), distinct=True
            ),
            shared_regions=Count(
                "region_items", filter=Q(region_items__tag_id__in=region_ids), distinct=True
            ),
        )
        .filter(Q(shared_themes__gt=0) | Q(shared_regions__gt=0))
        .order_by("-shared_themes", "-shared_regions", "-publication_date", "-pk")
    )
    return picks + list(automatic[:remaining])


def analysis_page_context(page, request):
    """Everything the analysis page shows beyond its own fields, in a fixed number of queries."""
    locale = page.locale
    authors = list(page.authors.select_related("expert__locale").order_by("sort_order"))
    experts = localized([author.expert for author in authors if author.expert_id], locale)
    expert_by_key = {expert.translation_key: expert for expert in experts}
    author_rows = [
        {
            "name": author.display_name,
            "affiliation": author.affiliation,
            "page": expert_by_key.get(author.expert.translation_key) if author.expert_id else None,
        }
        for author in authors
    ]
    units = localized(
        [link.unit for link in page.research_units.select_related("unit__locale", "unit__content_type")],
        locale,
    )
    themes = list(page.themes.all())
    regions = list(page.regions.all())
    related = related_analyses(page, themes, regions)
    discover = list(
        newest_first(analysis_cards(locale=locale))
        .exclude(pk__in=[page.pk, *(card.pk for card in related)])[:DISCOVER_LIMIT]
    )
    from research_centers.models import ResearchCentersIndexPage

    return {
        "author_rows": author_rows,
        "themes": themes,
        "regions": regions,
        "research_units": units,
        "related_analyses": related,
        "discover_analyses": discover,
        "analyses_index": section_page(locale, AnalysisIndexPage),
        "centers_index": section_page(locale, ResearchCentersIndexPage),
        "translations": live_translations(page),
    }
