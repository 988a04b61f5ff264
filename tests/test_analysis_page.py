"""The analysis page as a reader gets it: every element of the seed page, and a fixed number of SQL
queries whatever the number of authors, themes, regions, centres or related analyses."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    DocumentFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    RegionFactory,
    SeriesFactory,
    ThemeFactory,
    build_site,
    translate,
)


def make_analysis(tree, size, **extra):
    """An analysis with ``size`` authors, themes, regions, centres and related analyses."""
    center = CenterPageFactory(parent=tree.centers, title=f"Centre {size}")
    themes = [ThemeFactory(name=f"Theme {size}-{i}") for i in range(size)]
    regions = [RegionFactory(name=f"Region {size}-{i}") for i in range(size)]
    experts = [ExpertPageFactory(parent=center, title=f"Expert {size}-{i}") for i in range(size)]
    units = [center] + [
        ProgrammePageFactory(parent=center, title=f"Programme {size}-{i}") for i in range(size - 1)
    ]
    others = [
        AnalysisPageFactory(parent=tree.analyses, title=f"Other {size}-{i}", themes=themes[:1])
        for i in range(size + 4)
    ]
    return AnalysisPageFactory(
        parent=tree.analyses,
        themes=themes,
        regions=regions,
        authors=[*experts, "Outside Co-Author"],
        units=units,
        related=others[:size],
        **extra,
    )


class AnalysisPageElementsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.pdf = DocumentFactory(title="Full text", pages=7)
        cover = Image.objects.create(
            title="Cover", file=get_test_image_file(), description="A map of city networks"
        )
        cls.page = make_analysis(
            cls.tree,
            2,
            title="The Influence of Strategic Subnational Diplomacy in International Relations",
            subtitle="Cities abroad",
            isbn="9780306406157",
            doi="10.1234/subnational",
            series=SeriesFactory(name="Notes", issn="2111-4447"),
            series_number="12",
            pdf=cls.pdf,
            cover_image=cover,
            summary="<p>Cities now conduct a foreign policy of their own.</p>",
        )
        translate(cls.tree.home, "fr", title="Accueil")
        translate(cls.tree.analyses, "fr", title="Analyses")
        cls.french = translate(cls.page, "fr", title="L'influence de la diplomatie infranationale")

    def get(self):
        response = self.client.get(self.page.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_seed_elements_are_all_there(self):
        html = self.get()
        for text in [
            "The Influence of Strategic Subnational Diplomacy in International Relations",
            "Cities now conduct a foreign policy of their own.",
            "Available in",
            "Themes and regions",
            "ISBN / ISSN",
            "978-0-306-40615-7",
            "2111-4447",
            "10.1234/subnational",
            "Share",
            "Download the full analysis",
            "This page contains only a summary of our work.",
            "Related centers and programs",
            "Discover our other research centers and programs",
            "Discover all our analyses",
            "Outside Co-Author",
            "A map of city networks",
        ]:
            self.assertIn(text, html)

    def test_themes_and_regions_link_to_their_landing_pages(self):
        html = self.get()
        for kind, terms in (
            ("themes", self.page.themes.all()),
            ("regions", self.page.regions.all()),
        ):
            for term in terms:
                url = f"{self.tree.analyses.url}{kind}/{term.slug}/"
                self.assertIn(f'<a href="{url}">{term.name}</a>', html)
                self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_a_term_without_a_landing_page_is_not_a_link(self):
        # The French version's terms lead to the French landing pages.
        theme = self.page.themes.first()
        html = self.client.get(self.french.url).content.decode()
        self.assertIn(f'<a href="/fr/analyses/themes/{theme.slug}/">', html)
        # A term that only a draft has has no landing page (a 404): a centre names it unlinked.
        lonely = ThemeFactory(name="Only in drafts")
        AnalysisPageFactory(parent=self.tree.analyses, themes=[lonely], live=False)
        centre = CenterPageFactory(parent=self.tree.centers)
        centre.themes.set([lonely, theme])
        centre.save_revision().publish()
        html = self.client.get(centre.url).content.decode()
        self.assertIn("Only in drafts", html)
        self.assertNotIn(f"themes/{lonely.slug}/", html)
        self.assertEqual(self.client.get(f"/en/analyses/themes/{lonely.slug}/").status_code, 404)
        self.assertIn(f'<a href="/en/analyses/themes/{theme.slug}/">', html)

    def test_centres_and_programmes_stand_with_the_authors(self):
        html = self.get()
        header = html[
            html.index('class="analysis__header"') : html.index('class="analysis__summary')
        ]
        self.assertIn("Related centers and programs", header)
        for link in self.page.research_units.all():
            self.assertIn(f'href="{link.unit.url}"', header)

    def test_on_a_phone_the_download_and_languages_follow_the_summary(self):
        html = self.get()
        order = [
            html.index('class="analysis__summary'),
            html.index("Download the full analysis"),
            html.index("Available in:"),
            html.index("Themes and regions"),
            html.index("Cite this analysis"),
        ]
        self.assertEqual(order, sorted(order))
        # And a short way to the PDF stands in the page's header.
        header = html[
            html.index('class="analysis__header"') : html.index('class="analysis__summary')
        ]
        self.assertIn(f'class="quick-download" href="{self.pdf.url}"', header)

    def test_available_in_links_the_real_translation_with_hreflang(self):
        html = self.get()
        self.assertIn(f'href="{self.french.url}"', html)
        self.assertIn('hreflang="fr"', html)

    def test_available_in_says_nothing_of_a_missing_language(self):
        lonely = AnalysisPageFactory(parent=self.tree.analyses)
        html = self.client.get(lonely.url).content.decode()
        self.assertNotIn('hreflang="fr" href="/fr/analyses', html.replace("\n", ""))
        self.assertNotIn(f'href="/fr/analyses/{lonely.slug}/"', html)

    def test_authors_link_to_their_expert_pages(self):
        html = self.get()
        for author in self.page.authors.all():
            if author.expert_id:
                self.assertIn(f'href="{author.expert.url}"', html)

    def test_share_links_are_plain_links(self):
        html = self.get()
        for prefix in [
            "mailto:?subject=",
            "https://www.linkedin.com/sharing/share-offsite/?url=",
            "https://x.com/intent/post?",
            "https://bsky.app/intent/compose?text=",
        ]:
            self.assertIn(prefix, html)
        self.assertNotIn("platform.twitter.com", html)

    def test_download_shows_format_size_and_pages_and_serves_the_pdf(self):
        html = self.get()
        self.assertIn(self.pdf.url, html)
        self.assertIn("7 pages", html)
        self.assertIn("PDF", html)
        response = self.client.get(self.pdf.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("inline", response["Content-Disposition"])
        self.assertIn(".pdf", response["Content-Disposition"])
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF-"))

    def test_a_draft_is_not_served(self):
        draft = AnalysisPageFactory(parent=self.tree.analyses, live=False)
        self.assertEqual(self.client.get(f"/en/analyses/{draft.slug}/").status_code, 404)

    def test_french_page_is_in_french_and_links_back(self):
        response = self.client.get(self.french.url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('lang="fr"', html)
        self.assertIn(f'href="{self.page.url}"', html)


class AnalysisPageQueryCountTests(TestCase):
    """The number of queries is the same for an analysis with 1 of everything and with 8."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.small = make_analysis(cls.tree, 1, pdf=DocumentFactory())
        cls.large = make_analysis(cls.tree, 8, pdf=DocumentFactory())

    def count_queries(self, page):
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return len(context.captured_queries)

    def test_query_count_does_not_grow_with_list_lengths(self):
        # Warm the per-process and shared caches (content types, site, each page's translations).
        self.count_queries(self.small), self.count_queries(self.large)
        small, large = self.count_queries(self.small), self.count_queries(self.large)
        self.assertEqual(small, large)
        self.assertLessEqual(small, ANALYSIS_PAGE_QUERIES)

    def test_exact_query_count(self):
        self.count_queries(self.small)
        with self.assertNumQueries(ANALYSIS_PAGE_QUERIES):
            self.client.get(self.small.url)


# Wagtail's serving, left as Wagtail ships it, takes 9: the site, the active locale, the home
# page's own fields, then two per tree level below it (the child by slug, its own fields: the
# analyses index, the analysis), and its privacy check (the page's ancestors, their view
# restrictions). The page's own data takes 8 (publications.selectors.analysis_page_context): its
# foreign keys, authors, centres and programmes, themes, regions, the editor picks, the editor
# exclusions, and the cards of the related and newest analyses together. The related analyses are
# scored, and the newest found, on the facet index (publications.facet_index); the restricted
# sections, the header navigation, the section pages and the page's language versions come from
# the shared cache: 0. The cards' authors take one more (publications.selectors.card_details; their
# expert pages and cover renditions one each when a card has some: not here).
WAGTAIL_SERVING_QUERIES = 9
ANALYSIS_PAGE_QUERIES = WAGTAIL_SERVING_QUERIES + 8 + 1
