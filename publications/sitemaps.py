"""sitemap.xml: every public page of the site in every language, with its lastmod and the
``hreflang`` alternates of its public translations (xhtml:link), then the theme and region landing
pages of each analyses index (``/analyses/themes/<slug>/``) in each language where the term has a
public analysis. A fixed number of queries whatever the number of pages.

Django's sitemap framework does the writing, in its multilingual mode (``i18n``, ``alternates``):
an item is one page in all its languages (its translation key), ``get_languages_for_item`` says
which languages it is public in, and ``location`` gives its path in the active one. The host is
the Wagtail site's (``get_domain``, ``get_protocol``).
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap_view
from django.db.models import Q
from django.utils import translation
from wagtail.models import Page, Site

from publications import facet_index
from publications.models import AnalysisIndexPage
from publications.visibility import public


@dataclass
class Entry:
    """One URL in every language it exists in: {language code: path}, and its last change."""

    paths: dict = field(default_factory=dict)
    lastmod: object = None


def _site(request):
    return Site.find_for_request(request) or Site.objects.select_related("root_page").get(
        is_default_site=True
    )


def _under_a_home(site):
    """Pages of the site's tree in any language: below one of its home pages. One query."""
    homes = Page.objects.filter(translation_key=site.root_page.translation_key).values_list(
        "path", flat=True
    )
    condition = Q(pk__in=[])
    for path in homes:
        condition |= Q(path__startswith=path)
    return condition


def _path(page, request):
    """The page's path on its site (no host), or None if it is not routable."""
    parts = page.get_url_parts(request)
    return parts[2] if parts else None


class MultilingualSitemap(Sitemap):
    """Items computed once per request (Django asks for them several times); the Wagtail site's
    scheme and host."""

    i18n = True
    alternates = True
    limit = 5000

    def __init__(self, request):
        self.request = request
        self._entries = None

    def items(self):
        """The ``entries()`` of the sitemap (each subclass says what they are), once."""
        if self._entries is None:
            self._entries = self.entries()
        return self._entries

    def get_languages_for_item(self, item):
        return list(item.paths)

    def location(self, item):
        return item.paths[translation.get_language()]

    def lastmod(self, item):
        return item.lastmod

    def get_domain(self, site=None):
        return urlsplit(_site(self.request).root_url).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(_site(self.request).root_url).scheme


class TranslatedPagesSitemap(MultilingualSitemap):
    """Every public page of the site's tree, by translation key."""

    def entries(self):
        pages = (
            public(Page.objects.filter(_under_a_home(_site(self.request))), self.request)
            .select_related("locale")
            .defer_streamfields()
            .order_by("path")
        )
        entries = {}
        for page in pages:
            path = _path(page, self.request)
            if path is None:
                continue
            entry = entries.setdefault(page.translation_key, Entry())
            entry.paths.setdefault(page.locale.language_code, path)
            changed = page.last_published_at or page.latest_revision_created_at
            if changed and (entry.lastmod is None or changed > entry.lastmod):
                entry.lastmod = changed
        return list(entries.values())


class TaxonomyLandingSitemap(MultilingualSitemap):
    """The landing page of each theme and region (``themes/<slug>/``, ``regions/<slug>/`` below
    the analyses index of each language) that lists at least one public analysis in that
    language, found on the facet index. Two queries: the home pages, the indexes."""

    def entries(self):
        indexes = list(
            public(
                AnalysisIndexPage.objects.filter(_under_a_home(_site(self.request))),
                self.request,
            )
            .select_related("locale")
            .order_by("path")
        )
        index = facet_index.current(self.request)
        entries = {}
        for index_page in indexes:
            base = _path(index_page, self.request)
            if base is None:
                continue
            in_language = index.of_locale(index_page.locale_id)
            for kind, facet, terms in (
                ("themes", "theme", index.terms("theme", index_page.locale_id)),
                ("regions", "region", index.terms("region", index_page.locale_id)),
            ):
                for term in terms:
                    if not index.mask(facet, term.pk).intersection_cardinality(in_language):
                        continue
                    entry = entries.setdefault((index_page.translation_key, kind, term.pk), Entry())
                    entry.paths.setdefault(
                        index_page.locale.language_code, f"{base}{kind}/{term.slug}/"
                    )
        return list(entries.values())


def sitemap_view(request):
    """/sitemap.xml: both sitemaps, through Django's sitemap view."""
    return django_sitemap_view(
        request,
        {
            "pages": TranslatedPagesSitemap(request),
            "terms": TaxonomyLandingSitemap(request),
        },
    )
