"""Read-side queries of the publications area, in one place, each a plain function that a test can
call and count queries on. Templates receive what these return and do no queries of their own.

Every list here is live().public(): a draft, an expired, a not-yet-published or a private analysis
is never shown to a reader.
"""

from django.db.models import Count, Exists, OuterRef, Q
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


def prime_foreign_keys(instance, *names):
    """Load several foreign keys of an instance that is already in memory in one query, so that
    templates read them without a query each (Wagtail loads the page being served itself)."""
    loaded = type(instance).objects.select_related(*names).only("pk", *names).get(pk=instance.pk)
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


def related_analyses(page, themes=None, regions=None, limit=RELATED_LIMIT):
    """Editor picks first, in their order; then analyses sharing themes or regions with this one,
    the most shared first, newest first. Never this page, never a draft. Pass the page's themes
    and regions when they are already loaded."""
    # Read from the page's own links (not a join in the database), so that a preview shows the
    # picks of the draft being edited.
    pick_ids = [link.analysis_id for link in page.related_analysis_links.all()]
    cards_by_id = (
        {card.pk: card for card in analysis_cards().filter(pk__in=pick_ids).exclude(pk=page.pk)}
        if pick_ids
        else {}
    )
    picks = [cards_by_id[pk] for pk in pick_ids if pk in cards_by_id][:limit]
    remaining = limit - len(picks)
    if remaining <= 0:
        return picks
    theme_ids = [theme.pk for theme in (page.themes.all() if themes is None else themes)]
    region_ids = [region.pk for region in (page.regions.all() if regions is None else regions)]
    if not theme_ids and not region_ids:
        return picks
    automatic = (
        analysis_cards(locale_id=page.locale_id)
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
    """Everything the analysis page shows beyond its own fields, in a fixed number of queries.
    It also serves previews, where ``page`` is the draft being edited (maybe not yet saved)."""
    if page.pk and not getattr(request, "is_preview", False):
        prime_foreign_keys(page, "locale", "analysis_type", "series", "pdf", "cover_image")
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
    related = related_analyses(page, themes, regions)
    discover = list(
        newest_first(analysis_cards(locale_id=locale_id)).exclude(
            pk__in=[page.pk, *(card.pk for card in related)]
        )[:DISCOVER_LIMIT]
    )
    from research_centers.models import ResearchCentersIndexPage

    analyses_index, centers_index = section_pages(
        locale_id, AnalysisIndexPage, ResearchCentersIndexPage
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
        "translations": live_translations(page),
    }
