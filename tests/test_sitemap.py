"""sitemap.xml and robots.txt: every live public page in every language, with lastmod and
hreflang alternates, every URL answering 200, no draft and no private page."""

from xml.etree import ElementTree

from django.test import TestCase
from wagtail.models import PageViewRestriction

from tests.factories import (
    AnalysisPageFactory,
    RegionFactory,
    ThemeFactory,
    build_site,
    translate,
)

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.theme = ThemeFactory(name="Urban diplomacy", slug="urban-diplomacy")
        cls.region = RegionFactory(name="Sahel", slug="sahel")
        cls.unused = ThemeFactory(name="Unused", slug="unused-theme")
        cls.draft_only = ThemeFactory(name="Draft only", slug="draft-only")
        cls.analysis = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Public analysis",
            themes=[cls.theme],
            regions=[cls.region],
        )
        cls.analysis.save_revision().publish()
        cls.draft = AnalysisPageFactory(
            parent=cls.tree.analyses, title="Draft", live=False, themes=[cls.draft_only]
        )
        cls.private = AnalysisPageFactory(parent=cls.tree.analyses, title="Private")
        PageViewRestriction.objects.create(page=cls.private, restriction_type="login")
        translate(cls.tree.home, "fr", title="Accueil")
        translate(cls.tree.analyses, "fr", title="Analyses")
        cls.french = translate(cls.analysis, "fr", title="Analyse publique")

    def urls(self):
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        self.assertIn("xml", response["Content-Type"])
        root = ElementTree.fromstring(response.content)
        return {url.findtext("s:loc", namespaces=NS): url for url in root.findall("s:url", NS)}

    def test_every_live_public_page_in_every_language(self):
        urls = self.urls()
        # Absolute URLs on the Wagtail site's host name (the tests' site is "localhost").
        for page in [self.tree.home, self.tree.analyses, self.analysis, self.french]:
            self.assertIn(page.get_full_url(), urls)
        self.assertNotIn(self.draft.get_full_url(), urls)
        self.assertFalse([loc for loc in urls if "private" in loc])
        self.assertFalse([loc for loc in urls if "draft" in loc])

    def test_every_url_answers_200(self):
        for loc in self.urls():
            self.assertEqual(self.client.get(loc).status_code, 200, loc)

    def test_lastmod_and_hreflang_alternates(self):
        entry = self.urls()[self.analysis.get_full_url()]
        self.assertRegex(entry.findtext("s:lastmod", namespaces=NS), r"^\d{4}-\d{2}-\d{2}$")
        alternates = {
            link.get("hreflang"): link.get("href") for link in entry.findall("x:link", NS)
        }
        self.assertEqual(
            alternates,
            {
                "en": self.analysis.get_full_url(),
                "fr": self.french.get_full_url(),
            },
        )

    def test_theme_and_region_landing_pages_of_used_terms_in_every_language(self):
        urls = self.urls()
        english, french = self.tree.analyses.get_full_url(), self.french.get_parent().get_full_url()
        for base in (english, french):
            self.assertIn(f"{base}themes/urban-diplomacy/", urls)
            self.assertIn(f"{base}regions/sahel/", urls)
            self.assertNotIn(f"{base}themes/unused-theme/", urls)
            self.assertNotIn(f"{base}themes/draft-only/", urls)
        entry = urls[f"{english}themes/urban-diplomacy/"]
        alternates = {
            link.get("hreflang"): link.get("href") for link in entry.findall("x:link", NS)
        }
        self.assertEqual(
            alternates,
            {"en": f"{english}themes/urban-diplomacy/", "fr": f"{french}themes/urban-diplomacy/"},
        )

    def test_a_fixed_number_of_queries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def count():
            with CaptureQueriesContext(connection) as context:
                self.urls()
            return len(context.captured_queries)

        count()  # Wagtail's site root paths, kept in the cache until a page is saved
        small = count()
        with self.captureOnCommitCallbacks(execute=True):
            for i in range(5):
                AnalysisPageFactory(
                    parent=self.tree.analyses, themes=[ThemeFactory(slug=f"more-{i}")]
                )
        count()
        self.assertEqual(count(), small)

    def test_robots_txt_points_to_the_sitemap(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        text = response.content.decode()
        # On the Wagtail site's origin (as the sitemap's URLs are), not the request's host.
        self.assertIn(f"Sitemap: {self.tree.home.get_site().root_url}/sitemap.xml", text)
        self.assertIn("Disallow: /admin/", text)
        # The search page, not its results (the longer, more specific rule wins).
        self.assertIn("Allow: /*/search/$\nDisallow: /*/search/\n", text)
