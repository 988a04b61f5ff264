"""sitemap.xml: every live, public page of the site in every language, with its lastmod and the
``hreflang`` alternates of its live translations (xhtml:link). Two queries whatever the number of
pages: the site's home pages, then the pages (locale joined)."""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from publications.selectors import live_public


class TranslatedPagesSitemap(Sitemap):
    limit = 5000

    def items(self):
        site = self.get_wagtail_site()
        homes = Page.objects.filter(translation_key=site.root_page.translation_key).values_list(
            "path", flat=True
        )
        under_a_home = Q()
        for path in homes:
            under_a_home |= Q(path__startswith=path)
        return list(
            live_public(Page.objects)
            .filter(under_a_home)
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
            versions = by_key.get(item.translation_key, [])
            alternates = []
            if len(versions) > 1:
                alternates = [
                    {"lang_code": version.locale.language_code, "location": url}
                    for version in versions
                    if (url := version.get_full_url(self.request))
                ]
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

    @property
    def paginator(self):
        from django.core.paginator import Paginator

        if not hasattr(self, "items_cache"):
            self.items_cache = self.items()
        return Paginator(self.items_cache, self.limit)
