"""The home page and the analyses index: what they list, pagination, and fixed query counts."""

import datetime

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from publications.models import AnalysisIndexPage
from tests.factories import AnalysisPageFactory, CenterPageFactory, ExpertPageFactory, build_site


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

    def test_a_card_names_its_public_authors_and_shows_its_cover(self):
        from wagtail.images import get_image_model
        from wagtail.images.tests.utils import get_test_image_file

        centre = CenterPageFactory(parent=self.tree.centers)
        author = ExpertPageFactory(parent=centre, title="Hannah Lindqvist")
        hidden = ExpertPageFactory(parent=centre, title="Draft Person", live=False)
        with self.captureOnCommitCallbacks(execute=True):  # the worker makes the renditions
            cover = get_image_model().objects.create(
                title="Cover", file=get_test_image_file(size=(720, 960)), description="A cover"
            )
            AnalysisPageFactory(
                parent=self.tree.analyses,
                title="With a cover",
                authors=[author, hidden, "Outside Person"],
                cover_image=cover,
            )
        AnalysisPageFactory(parent=self.tree.analyses, title="Newest", cover_image=cover)
        html = self.client.get(self.tree.analyses.url).content.decode()
        # The first card is in the first screen (on a phone too): its cover is not lazy.
        first = html[html.index(">Newest<") :]
        self.assertNotIn('loading="lazy"', first[: first.index("</article>")])
        card = html[html.index("With a cover") :]
        card = card[: card.index("</article>")]
        self.assertIn("Hannah Lindqvist and Outside Person", card)
        self.assertNotIn("Draft Person", card)
        self.assertIn("fill-192x256.format-avif.avif 192w", card)
        self.assertIn('type="image/avif"', card)
        self.assertIn('type="image/webp"', card)
        self.assertIn('loading="lazy"', card)
        self.assertRegex(card, r'<img [^>]*height="128" [^>]*src="[^"]+format-jpeg[^>]*width="96"')

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

    def test_home_leads_with_an_analysis_and_offers_types_themes_and_regions(self):
        from tests.factories import AnalysisTypeFactory, RegionFactory, ThemeFactory

        theme = ThemeFactory(name="Energy", slug="energy")
        region = RegionFactory(name="Africa", slug="africa")
        study = AnalysisTypeFactory(name="Study", slug="study")
        AnalysisPageFactory(
            parent=self.tree.analyses,
            title="Newest study",
            analysis_type=study,
            themes=[theme],
            regions=[region],
            publication_date=datetime.date(2030, 1, 1),
        )
        response = self.client.get(self.tree.home.url)
        html = response.content.decode()
        # The h1 says what the page is, not the institute's name again.
        self.assertIn('<h1 class="hero__title">Our latest research</h1>', html)
        self.assertEqual(response.context["lead_analysis"].title, "Newest study")
        self.assertIn("Just published", html)
        # An analysis an editor features leads instead, said to be featured.
        from publications.models import FeaturedAnalysis

        FeaturedAnalysis.objects.create(page=self.tree.home, analysis=self.analyses[0])
        featured = self.client.get(self.tree.home.url)
        self.assertEqual(featured.context["lead_analysis"].pk, self.analyses[0].pk)
        self.assertIn("Featured", featured.content.decode())
        self.assertNotIn("Newest study", [c.title for c in response.context["latest_analyses"]])
        self.assertIn('<meta name="description"', html)
        index = self.tree.analyses.url
        self.assertIn(f'<a href="{index}?type=study">Study</a>', html)
        self.assertIn(f'href="{index}themes/energy/">Energy', html)
        self.assertIn(f'href="{index}regions/africa/">Africa', html)
        self.assertEqual(self.client.get(f"{index}themes/energy/").status_code, 200)


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
# (the link to the index comes from the shared cache). Then what the cards show beyond their row
# (publications.selectors.card_details, since cards name their authors and show the cover): the
# authors of every card in one query, plus, only when there are some, their public expert pages
# and the cover thumbnails' renditions (one query each; none in this fixture).
CARD_DETAILS_QUERIES = 1
INDEX_PAGE_QUERIES = 7 + 1 + CARD_DETAILS_QUERIES
HOME_PAGE_QUERIES = 5 + 2 + CARD_DETAILS_QUERIES
