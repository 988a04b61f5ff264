"""The home page and the analyses index: what they list, pagination, and fixed query counts."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from publications.models import AnalysisIndexPage
from tests.factories import AnalysisPageFactory, build_site


class ListingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.analyses = [
            AnalysisPageFactory(parent=cls.tree.analyses, title=f"Analysis number {i}")
            for i in range(AnalysisIndexPage.PAGE_SIZE + 3)
        ]
        cls.draft = AnalysisPageFactory(parent=cls.tree.analyses, title="Secret draft", live=False)

    def test_index_lists_newest_first_and_paginates(self):
        response = self.client.get(self.tree.analyses.url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        newest, oldest = self.analyses[-1], self.analyses[0]
        self.assertIn(newest.title, html)
        self.assertNotIn(f">{oldest.title}<", html)
        second = self.client.get(self.tree.analyses.url + "?page=2").content.decode()
        self.assertIn(oldest.title, second)

    def test_bad_page_numbers_are_404_not_500(self):
        for value in ["abc", "0", "-1", "99999", "1.5", "<script>", "9" * 400]:
            response = self.client.get(self.tree.analyses.url, {"page": value})
            self.assertEqual(response.status_code, 404, value)

    def test_drafts_are_never_listed(self):
        for url in [self.tree.home.url, self.tree.analyses.url]:
            self.assertNotIn("Secret draft", self.client.get(url).content.decode())

    def test_home_lists_latest_analyses(self):
        html = self.client.get(self.tree.home.url).content.decode()
        self.assertIn(self.analyses[-1].title, html)


class ListingQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()

    def count(self, url):
        self.client.get(url)  # warm per-process caches
        with CaptureQueriesContext(connection) as context:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(context.captured_queries)

    def test_counts_do_not_grow_with_the_number_of_cards(self):
        with self.captureOnCommitCallbacks(execute=True):
            AnalysisPageFactory(parent=self.tree.analyses)
        one_index, one_home = self.count(self.tree.analyses.url), self.count(self.tree.home.url)
        with self.captureOnCommitCallbacks(execute=True):
            for _ in range(AnalysisIndexPage.PAGE_SIZE + 5):
                AnalysisPageFactory(parent=self.tree.analyses)
        self.assertEqual(self.count(self.tree.analyses.url), one_index)
        self.assertEqual(self.count(self.tree.home.url), one_home)
        self.assertEqual((one_index, one_home), (INDEX_PAGE_QUERIES, HOME_PAGE_QUERIES))


# Wagtail's serving, as Wagtail ships it: the site, the active locale, the home page's own fields,
# for the index its child by slug and its own fields, and the privacy check (ancestors, their view
# restrictions): 7 for the index, 5 for the home. The restricted sections, the header navigation and
# the language switcher come from the shared cache (0); then the listing itself. The index: one
# page of cards (the filtering and the facet counts are done in memory on the bitmaps of
# publications.facet_index: see tests/test_faceted_listing.py); for the home: featured and latest
# (the link to the index comes from the shared cache).
INDEX_PAGE_QUERIES = 7 + 1
HOME_PAGE_QUERIES = 5 + 2
