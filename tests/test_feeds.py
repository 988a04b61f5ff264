"""RSS 2.0 and Atom feeds, read with feedparser as a feed reader would: items, PDF enclosures,
one feed per theme, region, centre/programme and expert, links from the pages, fixed queries."""

import feedparser
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    DocumentFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    RegionFactory,
    ThemeFactory,
    build_site,
)


class FeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.theme = ThemeFactory(name="Energy", slug="energy")
        africa = RegionFactory(name="Africa", slug="africa")
        kenya = RegionFactory(name="Kenya", slug="kenya", parent=africa)
        cls.centre = CenterPageFactory(parent=cls.tree.centers, title="Centre", slug="centre")
        programme = cls.programme = ProgrammePageFactory(
            parent=cls.centre, title="Prog", slug="prog"
        )
        cls.expert = ExpertPageFactory(parent=cls.centre, title="Jane Doe", slug="jane-doe")
        cls.pdf = DocumentFactory(pages=2)
        cls.with_pdf = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Energy in Kenya",
            themes=[cls.theme],
            regions=[kenya],
            authors=[cls.expert, "Outside Author"],
            units=[programme],
            pdf=cls.pdf,
        )
        cls.plain = AnalysisPageFactory(parent=cls.tree.analyses, title="Other analysis")
        cls.draft = AnalysisPageFactory(parent=cls.tree.analyses, title="Draft", live=False)

    def parse(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        feed = feedparser.parse(response.content)
        self.assertFalse(feed.bozo, getattr(feed, "bozo_exception", None))
        return response, feed

    def test_all_analyses_rss_and_atom(self):
        for url, version in [
            ("/en/feeds/analyses.rss", "rss20"),
            ("/en/feeds/analyses.atom", "atom10"),
        ]:
            with self.subTest(url):
                response, feed = self.parse(url)
                self.assertEqual(feed.version, version)
                titles = [entry.title for entry in feed.entries]
                self.assertEqual(set(titles), {"Energy in Kenya", "Other analysis"})
                entry = next(e for e in feed.entries if e.title == "Energy in Kenya")
                self.assertEqual(entry.link, f"http://testserver{self.with_pdf.url}")
                self.assertIn("Jane Doe", entry.get("author", ""))
                self.assertEqual([t.term for t in entry.tags], ["Energy"])

    def test_enclosures_are_the_pdfs(self):
        for url in ("/en/feeds/analyses.rss", "/en/feeds/analyses.atom"):
            _response, feed = self.parse(url)
            entry = next(e for e in feed.entries if e.title == "Energy in Kenya")
            (enclosure,) = entry.enclosures
            self.assertEqual(enclosure.href, f"http://testserver{self.pdf.url}")
            self.assertEqual(enclosure.type, "application/pdf")
            self.assertEqual(int(enclosure.length), self.pdf.file_size)
            self.assertEqual(self.client.get(self.pdf.url).status_code, 200)
            other = next(e for e in feed.entries if e.title == "Other analysis")
            self.assertEqual(other.enclosures, [])

    def test_feeds_per_theme_region_unit_and_expert(self):
        for kind, slug in [
            ("theme", "energy"),
            ("region", "africa"),  # includes Kenya
            ("region", "kenya"),
            ("unit", self.centre.pk),  # includes its programme
            ("unit", self.programme.pk),
            ("expert", self.expert.pk),
        ]:
            for fmt in ("rss", "atom"):
                with self.subTest(kind=kind, slug=slug, fmt=fmt):
                    _response, feed = self.parse(f"/en/feeds/{kind}/{slug}.{fmt}")
                    self.assertEqual([e.title for e in feed.entries], ["Energy in Kenya"])

    def test_unknown_subjects_are_404(self):
        for url in [
            "/en/feeds/theme/nope.rss",
            "/en/feeds/region/nope.atom",
            "/en/feeds/expert/nope.rss",
            "/en/feeds/unit/nope.rss",
            "/en/feeds/bogus/energy.rss",
        ]:
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_pages_link_to_their_feeds(self):
        html = self.client.get(self.tree.analyses.url).content.decode()
        self.assertIn(
            '<link rel="alternate" type="application/rss+xml" title="All analyses (RSS)" '
            'href="/en/feeds/analyses.rss">',
            html,
        )
        self.assertIn('type="application/atom+xml"', html)
        html = self.client.get(f"{self.tree.analyses.url}themes/energy/").content.decode()
        self.assertIn('href="/en/feeds/theme/energy.rss"', html)

    def test_fixed_number_of_queries(self):
        def count(url):
            self.client.get(url)
            with CaptureQueriesContext(connection) as context:
                self.client.get(url)
            return len(context.captured_queries)

        urls = ["/en/feeds/analyses.rss", f"/en/feeds/expert/{self.expert.pk}.atom"]
        before = [count(url) for url in urls]
        with self.captureOnCommitCallbacks(execute=True):
            self.add_ten()
        self.assertEqual([count(url) for url in urls], before)
        self.assertLessEqual(before[0], FEED_QUERIES)

    def add_ten(self):
        for _i in range(10):
            AnalysisPageFactory(
                parent=self.tree.analyses,
                themes=[self.theme, ThemeFactory()],
                authors=[self.expert, "Someone"],
                pdf=DocumentFactory(),
            )


# At most: the locale, the items (type, locale, PDF joined), their authors, their themes, the
# authors' public pages. The items are found on the facet index.
FEED_QUERIES = 5
