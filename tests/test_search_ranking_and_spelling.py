"""Search that finds: title matches first (search field boosts), "Did you mean ...?" and the
results of the correction when a query finds nothing (publications.spelling), drawn from public
words only. On whichever database runs the suite (CI runs it on SQLite and PostgreSQL); what
differs between the two is asserted for each. (The search box's suggestions:
test_search_suggestions.py.)"""

import pytest
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from publications import facet_index, spelling
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    TextDocumentFactory,
    ThemeFactory,
    build_site,
)
from tests.test_search import SEARCH_PAGE_QUERIES

LONG_TITLE = (
    "The Long and Winding Story of Subnational Water Diplomacy across Many Continents, "
    "Seas, Rivers and Decades of Municipal Cooperation"
)


def test_the_python_trigram_similarity_is_pg_trgm_s(db):
    assert spelling.similarity("diplomcy", "diplomacy") == pytest.approx(7 / 12)
    assert spelling.similarity("Sahel", "sahel") == 1.0
    assert spelling.similarity("abc", "xyz") == 0.0
    if connection.vendor != "postgresql":
        return  # the same figures from PostgreSQL itself: below, on PostgreSQL
    pairs = [("diplomcy", "diplomacy"), ("goepolitics", "geopolitics"), ("sahle", "Sahel")]
    with connection.cursor() as cursor:
        for first, second in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [first, second])
            assert spelling.similarity(first, second) == pytest.approx(cursor.fetchone()[0])


def test_the_trigram_extension_is_there_on_postgresql_only(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone() == (1,)
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'pub_page_title_trgm'"
            )
            assert "gist_trgm_ops" in cursor.fetchone()[0]
        else:
            assert "pub_page_title_trgm" not in connection.introspection.get_constraints(
                cursor, "wagtailcore_page"
            )


def test_words_to_check():
    assert spelling.words_to_check("Diplomcy of the EU in 2024 sub-saharan") == [
        "diplomcy",
        "the",
        "sub",
        "saharan",
    ]
    assert spelling.words_to_check("a b 12 x-y") == []
    assert len(spelling.words_to_check(" ".join(f"word{'a' * n}" for n in range(10)))) == 5


def test_a_corrected_query_keeps_what_it_does_not_correct():
    vocabulary = {"diplomacy": 3, "sahel": 1, "cities": 2}
    words = ["diplomcy", "sahle", "zzzqqq"]
    assert (
        spelling.corrected_query("Diplomcy in the sahle: zzzqqq", words, vocabulary)
        == "Diplomacy in the sahel: zzzqqq"
    )
    assert spelling.corrected_query("cities", ["cities"], vocabulary) == "cities"


class RankingTests(TestCase):
    """A title match first: the analysis title's boost (10, the tsvector weight A), then the
    summary's (2, weight B), then the rest (weight D), on PostgreSQL. SQLite's FTS5 ranking
    (bm25 over the title and the body with equal weights) ignores boosts: asserted as such."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.in_title = AnalysisPageFactory(
            parent=cls.tree.analyses, title=LONG_TITLE, summary="<p>Rivers and towns.</p>"
        )
        cls.in_summary = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Cities abroad",
            summary="<p>Diplomacy, more diplomacy: the diplomacy of cities.</p>",
        )
        cls.in_text = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Municipal networks",
            summary="<p>Networks of towns.</p>",
            pdf=TextDocumentFactory(text="Diplomacy. " * 60),
        )

    def found(self, q):
        response = self.client.get("/en/search/", {"q": q})
        return [card.pk for card in response.context["analyses"]]

    def test_a_title_match_ranks_first_then_the_summary_on_postgresql(self):
        found = self.found("diplomacy")
        self.assertCountEqual(found, [self.in_title.pk, self.in_summary.pk, self.in_text.pk])
        if connection.vendor == "postgresql":
            self.assertEqual(found, [self.in_title.pk, self.in_summary.pk, self.in_text.pk])
        else:
            # SQLite (FTS5): boosts are ignored; the short text that says the word sixty times
            # outranks the long title that says it once (README, "Search").
            self.assertLess(found.index(self.in_text.pk), found.index(self.in_title.pk))


class CorrectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.centre = CenterPageFactory(parent=cls.tree.centers, title="Centre for Urban Studies")
        cls.expert = ExpertPageFactory(parent=cls.centre, title="Amina Okafor")
        cls.theme = ThemeFactory(name="Geopolitics", slug="geopolitics")
        cls.diplomacy = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Subnational diplomacy in international relations",
            themes=[cls.theme],
        )
        cls.security = [
            AnalysisPageFactory(parent=cls.tree.analyses, title=f"Water security {place}")
            for place in ("in the Sahel", "in Central Asia", "on the Nile")
        ]
        # One analysis has the typo in its summary: "securty" finds it, and only it.
        cls.typo = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Food markets",
            summary="<p>Food securty in cities.</p>",
        )
        # Words that only unpublished or private content holds.
        cls.draft = AnalysisPageFactory(
            parent=cls.tree.analyses, title="Zanzibarian accords", live=False
        )
        cls.revised = AnalysisPageFactory(parent=cls.tree.analyses, title="Ocean governance")
        revision_title = type(cls.revised).objects.get(pk=cls.revised.pk)
        revision_title.title = "Ocean governance and the Quetzalcoatlan plan"
        revision_title.save_revision()  # a draft of the live page, not published
        AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Unpublished analysis",
            live=False,
            themes=[ThemeFactory(name="Xylophonics", slug="xylophonics")],
        )
        ExpertPageFactory(parent=cls.centre, title="Wilhelmina Draftexpert", live=False)

    def get(self, q, **extra):
        response = self.client.get("/en/search/", {"q": q, **extra})
        self.assertEqual(response.status_code, 200)
        return response

    def correction(self, q):
        english = Locale.objects.get(language_code="en")
        return spelling.correction(q, english.pk, facet_index.current())

    def test_corrections_from_titles_and_names(self):
        self.assertEqual(self.correction("diplomcy"), "diplomacy")
        self.assertEqual(self.correction("Subnatonal diplomcy"), "Subnational diplomacy")
        self.assertEqual(self.correction("goepolitics"), "geopolitics")  # a theme's name
        self.assertEqual(self.correction("okafr"), "okafor")  # an expert's name
        self.assertEqual(self.correction("urbn studies"), "urban studies")  # a centre's
        self.assertIsNone(self.correction("diplomacy"))  # nothing to correct
        self.assertIsNone(self.correction("zzzqqq"))  # nothing like it
        self.assertIsNone(self.correction("x"))

    def test_nothing_found_shows_the_results_of_the_correction_and_says_so(self):
        response = self.get("diplomcy")
        self.assertEqual(response.context["corrected_from"], "diplomcy")
        self.assertEqual(response.context["query"], "diplomacy")
        self.assertEqual([card.pk for card in response.context["analyses"]], [self.diplomacy.pk])
        html = response.content.decode()
        self.assertIn("No results for “diplomcy”. Showing results for “diplomacy”.", html)
        # The box and the title keep what was typed; the snippets mark the words searched.
        self.assertIn('value="diplomcy"', html)
        self.assertIn("<title>Search: diplomcy", html)
        self.assertNotIn("Nothing matches", html)

    def test_little_found_offers_the_correction_that_finds_more(self):
        response = self.get("securty")
        self.assertEqual([card.pk for card in response.context["analyses"]], [self.typo.pk])
        self.assertEqual(response.context["suggestion"], "security")
        html = response.content.decode()
        self.assertIn('Did you mean <a href="/en/search/?q=security">security</a>?', html)
        self.assertEqual(len(self.get("security").context["analyses"]), 3)

    def test_a_correction_that_finds_no_more_is_not_offered(self):
        # "Subnational" is in one title; "subnatonal" finds nothing, "subnational" one analysis.
        self.assertEqual(self.get("food").context["suggestion"], "")
        self.assertEqual(self.get("diplomacy").context["suggestion"], "")

    def test_nothing_found_and_nothing_to_correct(self):
        response = self.get("zzzqqq")
        self.assertEqual(response.context["corrected_from"], "")
        self.assertIn("Nothing matches", response.content.decode())

    def test_unpublished_and_draft_words_are_never_suggested(self):
        for typed, secret in [
            ("zanzibarain", "zanzibarian"),  # a draft's title
            ("quetzalcoatln", "quetzalcoatlan"),  # a live page's unpublished new title
            ("xylophonix", "xylophonics"),  # a theme only an unpublished analysis has
            ("draftexpet", "draftexpert"),  # an unpublished expert
        ]:
            with self.subTest(typed):
                self.assertIsNone(self.correction(typed))
                html = self.get(typed).content.decode().lower()
                self.assertNotIn(secret, html)
                self.assertIn("nothing matches", html)

    def test_the_pages_of_a_corrected_search(self):
        for i in range(12):
            AnalysisPageFactory(parent=self.tree.analyses, title=f"Migration diplomacy {i}")
        first = self.get("diplomcy")
        self.assertEqual(first.context["page"].paginator.count, 13)
        second = self.get("diplomcy", page="2")
        self.assertEqual(second.context["corrected_from"], "diplomcy")
        self.assertEqual(len(second.context["analyses"]), 3)
        self.assertIn('href="/en/search/?q=diplomcy&amp;page=2"', first.content.decode())
        past_the_end = self.client.get("/en/search/", {"q": "diplomcy", "page": 3})
        self.assertEqual(past_the_end.status_code, 404)

    # --- Queries: a fixed number on each path -------------------------------------------------

    def counts(self, q):
        """The queries of the first search for ``q`` (cold), and of the same again (warm)."""
        found = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as context:
                self.client.get("/en/search/", {"q": q})
            found.append(len(context.captured_queries))
        return tuple(found)

    def test_queries_on_each_path(self):
        self.client.get("/en/search/", {"q": "warm up"})  # the site, the navigation...
        enough, warm = self.counts("security")  # four analyses: no correction is looked for
        self.assertLessEqual(enough, SEARCH_PAGE_QUERIES)
        # Little found: the correction's query (the search of the correction, "security", is
        # kept already); then both come from the shared cache.
        self.assertEqual(self.counts("securty"), (enough + 1, warm))
        # Little found and nothing to correct: the correction's query each time (finding none
        # is not kept, as a search that found nothing is not).
        self.assertEqual(self.counts("food"), (enough + 1, warm + 1))
        # Nothing found: the first search, the correction's query, then the second search (the
        # analyses, a page of cards, centres, programmes and experts). Warm, the searches that
        # found nothing run again: the first (the analyses', the centres', programmes' and
        # experts') and the second's centres', programmes' and experts'.
        nothing, nothing_warm = self.counts("diplomcy")
        self.assertEqual(nothing, enough + 5)
        self.assertEqual(nothing_warm, warm + 4)
        self.assertLessEqual(nothing, CORRECTED_SEARCH_PAGE_QUERIES)
        # The same with many more analyses.
        with self.captureOnCommitCallbacks(execute=True):
            for i in range(12):
                AnalysisPageFactory(
                    parent=self.tree.analyses, title=f"Water security and diplomacy {i}"
                )
        self.client.get("/en/search/", {"q": "warm up"})
        self.assertEqual(self.counts("security"), (enough, warm))
        self.assertEqual(self.counts("diplomcy"), (nothing, nothing_warm))


@override_settings(PAGE_CACHE_ENABLED=True)
class PageCacheTests(TestCase):
    """Only what was found as typed takes a place in the page cache: a corrected search does not
    (random queries must not fill it)."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        AnalysisPageFactory(parent=cls.tree.analyses, title="Cities abroad")

    def twice(self, url, q):
        self.client.get(url, {"q": q})
        return self.client.get(url, {"q": q})

    def test_a_corrected_search_is_not_cached(self):
        corrected = self.twice("/en/search/", "abrod")
        self.assertEqual(corrected.context["corrected_from"], "abrod")
        self.assertNotIn("X-Page-Cache", corrected)
        self.assertEqual(self.twice("/en/search/", "abroad")["X-Page-Cache"], "hit")


# The search page of a query that found nothing and is searched again as corrected: the first
# search (SEARCH_PAGE_QUERIES, without the page of cards), the correction's query, and a second
# search (the analyses, a page of cards, centres, programmes and experts, the public ones).
CORRECTED_SEARCH_PAGE_QUERIES = SEARCH_PAGE_QUERIES + 6
