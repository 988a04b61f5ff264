"""RSS 2.0 and Atom feeds, read with feedparser as a feed reader would, and checked against the
RSS 2.0 and Atom 1.0 rules with a strict parser (tests/feed_rules.py): items, PDF enclosures, one
feed per theme, region, centre/programme and expert, their language, dates, ids and authors,
links from the pages, fixed queries. tests/test_demo_output.py checks every feed of the demo."""

import datetime

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
    translate,
)
from tests.feed_rules import read_atom, read_feed, read_rss


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

        cls.root = cls.tree.home.get_site().root_url

    def parse(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        feed = feedparser.parse(response.content)
        self.assertFalse(feed.bozo, getattr(feed, "bozo_exception", None))
        read_feed(response.content, url)  # the RSS 2.0 / Atom 1.0 rules, strictly
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
                # On the Wagtail site's origin, whatever host the request came in on.
                self.assertEqual(entry.link, f"{self.root}{self.with_pdf.url}")
                self.assertEqual(
                    [author.get("name") for author in entry.authors], ["Jane Doe", "Outside Author"]
                )
                self.assertEqual([t.term for t in entry.tags], ["Energy"])

    def test_enclosures_are_the_pdfs(self):
        for url in ("/en/feeds/analyses.rss", "/en/feeds/analyses.atom"):
            _response, feed = self.parse(url)
            entry = next(e for e in feed.entries if e.title == "Energy in Kenya")
            (enclosure,) = entry.enclosures
            self.assertEqual(enclosure.href, f"{self.root}{self.pdf.url}")
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


class FeedRulesTests(TestCase):
    """What validators and feed readers rely on, in both languages."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.energy = ThemeFactory(name="Energy", slug="energy")
        cls.water = ThemeFactory(name="Water", slug="water")
        cls.sahel = RegionFactory(name="Sahel", slug="sahel")
        centre = CenterPageFactory(parent=cls.tree.centers, title="Centre", slug="centre")
        cls.expert = ExpertPageFactory(parent=centre, title="Jane Doe", slug="jane-doe")
        cls.pdf = DocumentFactory(pages=2)
        cls.oldest = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Oldest",
            publication_date=datetime.date(2023, 1, 9),
            themes=[cls.energy],
        )
        cls.newest = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Newest",
            publication_date=datetime.date(2025, 11, 5),
            themes=[cls.energy, cls.water],
            regions=[cls.sahel],
            authors=[cls.expert, "Outside Author"],
            pdf=cls.pdf,
        )
        cls.middle = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Middle",
            publication_date=datetime.date(2024, 6, 30),
            themes=[cls.water],
        )
        translate(cls.tree.home, "fr", title="Accueil")
        translate(cls.tree.analyses, "fr", title="Analyses")
        translate(cls.tree.centers, "fr", title="Centres")
        translate(centre, "fr", title="Centre")
        cls.expert_fr = translate(cls.expert, "fr", title="Jane Doe")
        cls.newest_fr = translate(cls.newest, "fr", title="Le plus récent")
        cls.root = cls.tree.home.get_site().root_url
        cls.urls = [
            f"/{language}/feeds/{path}.{fmt}"
            for language in ("en", "fr")
            for path in ("analyses", "theme/energy", "theme/water", "region/sahel")
            for fmt in ("rss", "atom")
        ]

    def read(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return read_feed(response.content, url)

    def test_every_feed_keeps_the_rules(self):
        for url in self.urls:
            with self.subTest(url):
                feed = self.read(url)
                self.assertTrue(feed["items"], url)

    def test_language_is_the_feeds_own(self):
        for url in self.urls:
            with self.subTest(url):
                self.assertEqual(self.read(url)["language"], url[1:3])

    def test_item_dates_are_publication_dates_newest_first(self):
        rss = self.read("/en/feeds/analyses.rss")
        self.assertEqual([item["title"] for item in rss["items"]], ["Newest", "Middle", "Oldest"])
        midnight = datetime.time(0, 0)
        self.assertEqual(
            [item["published"] for item in rss["items"]],
            [
                datetime.datetime.combine(page.publication_date, midnight, tzinfo=datetime.UTC)
                for page in (self.newest, self.middle, self.oldest)
            ],
        )
        atom = self.read("/en/feeds/analyses.atom")
        self.assertEqual(
            [item["published"] for item in atom["items"]],
            [item["published"] for item in rss["items"]],
        )
        for item in atom["items"]:
            self.assertGreaterEqual(item["updated"], item["published"])

    def test_feed_ids_are_unique_and_stable(self):
        ids = [self.read(url)["id"] for url in self.urls if url.endswith(".atom")]
        self.assertEqual(len(ids), len(set(ids)), ids)
        self.assertEqual(ids[0], f"{self.root}/en/feeds/analyses.atom")
        self.assertEqual(self.read("/en/feeds/theme/energy.atom")["id"], ids[1])  # stable

    def test_links_point_to_the_subjects_page(self):
        self.assertEqual(self.read("/en/feeds/analyses.rss")["link"], self.tree.analyses.full_url)
        self.assertEqual(
            self.read("/en/feeds/theme/water.atom")["link"],
            f"{self.tree.analyses.full_url}themes/water/",
        )
        self.assertEqual(
            self.read(f"/fr/feeds/expert/{self.expert_fr.pk}.rss")["link"],
            self.expert_fr.full_url,
        )
        self.assertEqual(
            self.read("/fr/feeds/region/sahel.rss")["self"],
            f"{self.root}/fr/feeds/region/sahel.rss",
        )

    def test_one_element_per_author(self):
        (newest,) = [i for i in self.read("/en/feeds/region/sahel.atom")["items"]]
        self.assertEqual(
            newest["authors"],
            [
                {"name": "Jane Doe", "uri": self.expert.full_url},
                {"name": "Outside Author", "uri": None},
            ],
        )
        (newest,) = [i for i in self.read("/en/feeds/region/sahel.rss")["items"]]
        self.assertEqual([a["name"] for a in newest["authors"]], ["Jane Doe", "Outside Author"])
        # The French feed links the expert's French page.
        (french,) = self.read("/fr/feeds/region/sahel.atom")["items"]
        self.assertEqual(french["authors"][0]["uri"], self.expert_fr.full_url)

    def test_enclosure_length_is_the_files_size(self):
        (item,) = [i for i in self.read("/en/feeds/region/sahel.rss")["items"]]
        (enclosure,) = item["enclosures"]
        response = self.client.get(enclosure["url"].removeprefix(self.root))
        body = b"".join(response.streaming_content)
        self.assertEqual(enclosure["length"], len(body))

    def test_a_language_without_the_subject_has_no_feed(self):
        # "Oldest" and "Middle" have no French version: no French feed of "Water" without them?
        # The French "Newest" has Water, so there is one; Energy's only French analysis is it too.
        self.assertEqual(self.client.get("/fr/feeds/theme/energy.rss").status_code, 200)
        lone = ThemeFactory(name="Lone", slug="lone")
        self.oldest.themes.add(lone)
        with self.captureOnCommitCallbacks(execute=True):
            self.oldest.save_revision().publish()
        self.assertEqual(self.client.get("/en/feeds/theme/lone.rss").status_code, 200)
        self.assertEqual(self.client.get("/fr/feeds/theme/lone.rss").status_code, 404)
        html = self.client.get(f"{self.tree.analyses.url}themes/lone/").content.decode()
        self.assertIn('href="/en/feeds/theme/lone.rss"', html)

    def test_pages_advertise_only_feeds_with_items(self):
        lonely = ExpertPageFactory(parent=self.expert.get_parent(), title="No Work", slug="none")
        html = self.client.get(lonely.url).content.decode()
        self.assertNotIn(f"/feeds/expert/{lonely.pk}.", html)
        html = self.client.get(self.expert.url).content.decode()
        self.assertIn(f'href="/en/feeds/expert/{self.expert.pk}.atom"', html)
        self.assertTrue(self.read(f"/en/feeds/expert/{self.expert.pk}.atom")["items"])


class FeedRulesCheckerTests(TestCase):
    """The rule checker itself finds what the feeds once had wrong."""

    def test_rss_rules(self):
        bad = (
            b'<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
            b"<channel><title>T</title><link>/</link><description>D</description>"
            b"<language>&lt;bound method AnalysesFeed.language&gt;</language>"
            b"<item><title>A</title><link>http://x.org/a/</link><guid>http://x.org/a/</guid>"
            b"<pubDate>2025-11-05</pubDate></item>"
            b"<item><title>B</title><link>http://x.org/b/</link><guid>http://x.org/a/</guid>"
            b"<pubDate>Mon, 05 Nov 2025 00:00:00 +0000</pubDate></item></channel></rss>"
        )
        with self.assertRaises(AssertionError) as raised:
            read_rss(bad)
        message = str(raised.exception)
        for expected in (
            "is no language",
            "not an absolute URL",
            "not an RFC 822 date",
            "repeats another item's",
            "wrong day of the week",
            "rel=self",
        ):
            self.assertIn(expected, message)

    def test_atom_rules(self):
        bad = (
            b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>T</title>'
            b"<id>http://x.org/</id><updated>29 Nov 2026</updated>"
            b'<link rel="self" href="http://x.org/f.atom"/>'
            b'<entry><title>A</title><link href="http://x.org/a/"/><id>http://x.org/a/</id>'
            b"<updated>2026-11-29T18:44:02+00:00</updated></entry>"
            b'<entry><title>B</title><link href="http://x.org/b/"/><id>http://x.org/a/</id>'
            b"<author><name>A, B</name></author></entry></feed>"
        )
        with self.assertRaises(AssertionError) as raised:
            read_atom(bad)
        message = str(raised.exception)
        for expected in (
            "not an RFC 3339 date-time",
            "entry 1: no author",
            "repeats another entry's",
            "entry 2: 0 <a:updated>",
        ):
            self.assertIn(expected, message)


# At most: the locale, the items (type, locale, PDF joined), their authors, their themes, the
# authors' public pages. The items are found on the facet index.
FEED_QUERIES = 5
