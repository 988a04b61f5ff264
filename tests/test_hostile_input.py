"""Very long or hostile values in every public GET parameter: answered quickly (under 2 s) and
never with a 500. The parameters are those the public pages read: ``page`` everywhere; the
listing's filters, sort and search (publications.listing.ListingParams); the site search and its
suggestions; the feeds' filters."""

import time

from django.test import Client, TestCase

from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    RegionFactory,
    ThemeFactory,
    build_site,
)

HOSTILE_VALUES = {
    "long": "a" * 10_000,
    "long-digits": "9" * 10_000,
    "nul": "abc\x00def",
    "script": "<script>alert(1)</script>",
    "quotes-sql": "' OR 1=1 --\"",
    "fts-operators": '"energy" & !(war) | <-> :* \\',
    "unicode": "Économie 北京 🌍 \u202e\ufeff",
    "negative": "-1",
    "huge": "99999999999999999999999999",
    "float": "1.5e308",
    "empty": "",
    "spaces": "   ",
    "path": "../../etc/passwd",
    "percent": "%00%ff%",
}

LISTING_PARAMETERS = [
    "page",
    "q",
    "theme",
    "region",
    "type",
    "series",
    "unit",
    "centre",
    "author",
    "language",
    "year_from",
    "year_to",
    "sort",
]


def search_urls():
    """The search and feed URLs, when they exist in this version of the site."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    urls = {}
    with translation.override("en"):
        for name in ["search", "search_suggest", "analyses_feed_rss", "analyses_feed_atom"]:
            try:
                urls[name] = reverse(name)
            except NoReverseMatch:
                pass
    return urls


class HostileInputTests(TestCase):
    """One site for the whole walk (built once); each request is a sub-test."""

    @classmethod
    def setUpTestData(cls):
        tree = build_site()
        theme, region = ThemeFactory(slug="energy"), RegionFactory(slug="africa")
        center = CenterPageFactory(parent=tree.centers)
        expert = ExpertPageFactory(parent=center)
        analysis = AnalysisPageFactory(
            parent=tree.analyses,
            themes=[theme],
            regions=[region],
            authors=[expert],
            units=[center],
        )
        cls.urls = {
            "home": tree.home.url,
            "listing": tree.analyses.url,
            "analysis": analysis.url,
            "centre": center.url,
            "expert": expert.url,
        }

    def assert_answered_well(self, url, params=None, **extra):
        started = time.monotonic()
        response = Client().get(url, params, **extra)
        elapsed = time.monotonic() - started
        self.assertLess(response.status_code, 500)
        self.assertIn(response.status_code, (200, 301, 302, 400, 404))
        self.assertLess(elapsed, 2)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            self.assertNotIn(b"<script>alert(1)</script>", response.content)

    def test_listing_parameters(self):
        for parameter in LISTING_PARAMETERS:
            for name, value in HOSTILE_VALUES.items():
                with self.subTest(parameter=parameter, value=name):
                    self.assert_answered_well(self.urls["listing"], {parameter: value})
                    # Repeated, and mixed with valid filters.
                    self.assert_answered_well(
                        self.urls["listing"],
                        {parameter: [value] * 30, "theme": "energy", "region": "africa"},
                    )

    def test_page_parameter_of_every_page(self):
        for page_name in ["home", "analysis", "centre", "expert"]:
            for name, value in HOSTILE_VALUES.items():
                with self.subTest(page=page_name, value=name):
                    self.assert_answered_well(self.urls[page_name], {"page": value, "q": value})

    def test_search_suggestions_and_feeds(self):
        urls = search_urls()
        if not urls:
            self.skipTest("no search or feed in this version")
        for url in urls.values():
            for parameter in ["q", "page", "theme", "region", "type", "sort"]:
                for name, value in HOSTILE_VALUES.items():
                    with self.subTest(url=url, parameter=parameter, value=name):
                        self.assert_answered_well(url, {parameter: value})

    def test_bytes_that_are_not_utf8(self):
        for url in [self.urls["listing"], *search_urls().values()]:
            with self.subTest(url=url):
                self.assert_answered_well(url, QUERY_STRING="q=%ff%fe%00&page=%ff&theme=%c3")

    def test_many_parameters_at_once_are_answered_quickly(self):
        params = {name: HOSTILE_VALUES["long"] for name in LISTING_PARAMETERS}
        self.assert_answered_well(self.urls["listing"], params)
        self.assert_answered_well(self.urls["listing"], {f"p{i}": "x" for i in range(900)})
