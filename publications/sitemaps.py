"""sitemap.xml: every live, public page of the site in every language, with its lastmod and the
``hreflang`` alternates of its live translations (xhtml:link), then the theme and region landing
pages of each analyses index (``/analyses/themes/<slug>/``) for the terms that have a live
analysis. A fixed number of queries whatever the number of pages."""

from django.db.models import Exists, OuterRef, Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from publications.selectors import live_public


def _under_a_home(site):
    """Pages of the site's tree in any language: below one of its home pages. One query."""
    homes = Page.objects.filter(translation_key=site.root_page.translation_key).values_list(
        "path", flat=True
    )
    condition = Q()
    for path in homes:
        condition |= Q(path__startswith=path)
    return condition


def _alternates(versions, location_of):
    """The hreflang alternates of an URL that exists in several languages (none for one)."""
    if len(versions) < 2:
        return []
    return [
        {"lang_code": version.locale.language_code, "location": url}
        for version in versions
        if (url := location_of(version))
    ]


class ItemsOnceSitemap(Sitemap):
    """A sitemap whose items are computed once per request, for the paginator and for the
    alternates of each URL (``self.items_cache``)."""

    limit = 5000

    @property
    def paginator(self):
        from django.core.paginator import Paginator

        if not hasattr(self, "items_cache"):
            self.items_cache = self.items()
        return Paginator(self.items_cache, self.limit)


class TranslatedPagesSitemap(ItemsOnceSitemap):
    def items(self):
        return list(
            live_public(Page.objects)
            .filter(_under_a_home(self.get_wagtail_site()))
            .select_related("locale")
            .defer_streamfields()
            .order_by("path")
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        by_key = {}
        for item in self.items_cache:
            by_key.setdefault(item.translation_key, []).append(item)
        urls, last_mods = [], set()
        for item in pages:
            location = item.get_full_url(self.request)
            if not location:
                continue
            alternates = _alternates(
                by_key.get(item.translation_key, []),
                lambda version: version.get_full_url(self.request),
            )
            lastmod = (
                item.last_published_at or item.latest_revision_created_at or item.first_published_at
            )
            urls.append(
                {"item": item, "location": location, "lastmod": lastmod, "alternates": alternates}
            )
            last_mods.add(lastmod)
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


class TaxonomyLandingSitemap(ItemsOnceSitemap):
    """The landing page of each theme and region (``themes/<slug>/``, ``regions/<slug>/`` below
    each live analyses index) that lists at least one live analysis, with the index's language
    versions as alternates. Four queries: the home pages, the indexes, the themes, the regions."""

    def items(self):
        from publications.models import (
            AnalysisIndexPage,
            AnalysisPage,
            AnalysisRegion,
            AnalysisTheme,
            Region,
            Theme,
        )

        indexes = list(
            live_public(AnalysisIndexPage.objects)
            .filter(_under_a_home(self.get_wagtail_site()))
            .select_related("locale")
            .order_by("path")
        )
        live = AnalysisPage.objects.live()
        terms = [
            ("themes", term)
            for term in Theme.objects.filter(
                Exists(AnalysisTheme.objects.filter(tag=OuterRef("pk"), content_object__in=live))
            )
        ] + [
            ("regions", term)
            for term in Region.objects.filter(
                Exists(AnalysisRegion.objects.filter(tag=OuterRef("pk"), content_object__in=live))
            )
        ]
        self.indexes_by_key = {}
        for index in indexes:
            self.indexes_by_key.setdefault(index.translation_key, []).append(index)
        return [(index, kind, term) for index in indexes for kind, term in terms]

    def _location(self, index, kind, term):
        base = index.get_full_url(self.request)
        return f"{base}{kind}/{term.slug}/" if base else None

    def _urls(self, page, protocol, domain):
        urls = []
        for index, kind, term in self.paginator.page(page).object_list:
            location = self._location(index, kind, term)
            if not location:
                continue
            alternates = _alternates(
                self.indexes_by_key.get(index.translation_key, []),
                lambda version, kind=kind, term=term: self._location(version, kind, term),
            )
            urls.append(
                {"item": term, "location": location, "lastmod": None, "alternates": alternates}
            )
        return urls
