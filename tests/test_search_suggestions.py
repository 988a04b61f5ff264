"""The search box's suggestions as one types (/<lang>/search/suggest/?q=..., JSON, read by
static/js/discovery.js): public analyses, centres and programmes, experts, bounded, said in the
reader's language, kept under the content generation and in the page cache when something was
found. The combobox itself: tests/browser/test_search_box.py."""

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    build_site,
)


class SuggestEndpointTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.centre = CenterPageFactory(parent=cls.tree.centers, title="Centre for Diplomacy")
        cls.programme = ProgrammePageFactory(parent=cls.centre, title="Diplomacy of cities")
        cls.expert = ExpertPageFactory(parent=cls.centre, title="Diana Diplock")
        cls.analyses = [
            AnalysisPageFactory(parent=cls.tree.analyses, title=f"Diplomacy note {i}")
            for i in range(6)
        ]
        AnalysisPageFactory(parent=cls.tree.analyses, title="Diplomacy draft", live=False)

    def suggest(self, q):
        response = self.client.get("/en/search/suggest/", {"q": q})
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_analyses_centres_and_experts_bounded(self):
        data = self.suggest("dipl")
        kinds = [result["kind"] for result in data["results"]]
        self.assertEqual(kinds, ["analysis"] * 4 + ["centre"] * 2 + ["expert"])
        self.assertEqual(
            {r["title"] for r in data["results"] if r["kind"] == "centre"},
            {"Centre for Diplomacy", "Diplomacy of cities"},
        )
        self.assertEqual(data["results"][-1]["kind_label"], "Expert")
        self.assertEqual(data["results"][-1]["url"], self.expert.url)
        self.assertNotIn("Diplomacy draft", [r["title"] for r in data["results"]])
        self.assertEqual(data["status"], "7 suggestions. Use the up and down arrow keys to choose.")

    def test_in_french(self):
        Locale.objects.create(language_code="fr")
        response = self.client.get("/fr/search/suggest/", {"q": "dipl"})
        # No French page: nothing suggested (no English one), said in French.
        self.assertEqual(response.json(), {"results": [], "status": "Aucune suggestion."})

    def test_short_empty_and_hostile_queries(self):
        for q in ["", "d", "x" * 5000, "\" ' ( ) * : ^ NEAR OR AND", "\x00"]:
            with self.subTest(q[:10]):
                self.assertEqual(self.suggest(q)["results"], [])

    def test_kept_under_the_content_generation(self):
        self.suggest("dipl")
        with CaptureQueriesContext(connection) as context:
            again = self.suggest("dipl")
        # Only the request's own (the locale, the content generation): the list is kept.
        self.assertLessEqual(len(context.captured_queries), 2)
        self.assertEqual(len(again["results"]), 7)
        AnalysisPageFactory(parent=self.tree.analyses, title="Diplomatic archives")
        titles = [r["title"] for r in self.suggest("diplomat")["results"]]
        self.assertEqual(titles, ["Diplomatic archives"])


@override_settings(PAGE_CACHE_ENABLED=True)
class SuggestPageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        AnalysisPageFactory(parent=cls.tree.analyses, title="Cities abroad")

    def twice(self, q):
        self.client.get("/en/search/suggest/", {"q": q})
        return self.client.get("/en/search/suggest/", {"q": q})

    def test_found_is_cached_nothing_is_not(self):
        # Random prefixes must not fill the cache.
        self.assertNotIn("X-Page-Cache", self.twice("zzq"))
        found = self.twice("citi")
        self.assertEqual(found["X-Page-Cache"], "hit")
        self.assertEqual(found.json()["results"][0]["title"], "Cities abroad")
