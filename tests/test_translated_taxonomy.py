"""Translated terms (themes, regions, types, series as TranslatableMixin snippets): a French
reader sees their French names and slugs everywhere (facets, cards, landing pages, the analysis
page, JSON-LD, citations, feeds), and a term and its translation are one term: filters and
counts never split by language, whichever version a page is tagged with."""

import datetime
import json

import feedparser
from django.test import TestCase

from publications import facet_index
from tests.factories import (
    AnalysisPageFactory,
    AnalysisTypeFactory,
    RegionFactory,
    SeriesFactory,
    ThemeFactory,
    UserFactory,
    build_site,
    translate,
    translate_term,
)
from tests.test_scholarly_metadata import HeadParser


class TranslatedTermsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.security = ThemeFactory(name="Security and defence", slug="security-and-defence")
        cls.securite = translate_term(
            cls.security,
            "fr",
            name="Sécurité et défense",
            slug="securite-et-defense",
            description="Les armées, les alliances.",
        )
        cls.untranslated = ThemeFactory(name="Migration", slug="migration")
        cls.africa = RegionFactory(name="Africa", slug="africa")
        cls.afrique = translate_term(cls.africa, "fr", name="Afrique", slug="afrique")
        cls.kenya = RegionFactory(name="Kenya", slug="kenya", parent=cls.africa)
        cls.study = AnalysisTypeFactory(name="Study", slug="study")
        translate_term(cls.study, "fr", name="Étude", slug="etude")
        cls.notes = SeriesFactory(name="Notes of the Institute", slug="notes")
        translate_term(cls.notes, "fr", name="Notes de l'Institut", slug="notes-de-l-institut")
        translate(cls.tree.home, "fr", title="Accueil")
        cls.index_fr = translate(cls.tree.analyses, "fr", title="Analyses")

        cls.english = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Armies in Kenya",
            publication_date=datetime.date(2025, 3, 1),
            themes=[cls.security, cls.untranslated],
            regions=[cls.kenya],
            analysis_type=cls.study,
            series=cls.notes,
        )
        # A translation keeps its source's (English) term rows, as *Translate* copies them...
        cls.french = translate(cls.english, "fr", title="Les armées au Kenya")
        # ... and another French analysis is tagged with the French version of the theme.
        cls.other_french = AnalysisPageFactory(
            parent=cls.index_fr,
            title="La défense européenne",
            publication_date=datetime.date(2025, 2, 1),
            themes=[cls.securite],
            regions=[cls.afrique],
            analysis_type=cls.study,
        )

    def setUp(self):
        facet_index.forget()

    def test_facets_count_a_term_once_in_the_readers_language(self):
        html = self.client.get(self.index_fr.url).content.decode()
        self.assertIn("Sécurité et défense", html)
        self.assertIn('value="securite-et-defense"', html)
        self.assertNotIn("Security and defence", html)
        self.assertIn("Afrique", html)
        self.assertNotIn(">Africa<", html)
        listing = self.client.get(self.index_fr.url).context["listing"]
        theme = next(facet for facet in listing.facets if facet.name == "theme")
        security = [value for value in theme.values if value.value == "securite-et-defense"]
        self.assertEqual(len(security), 1)
        self.assertEqual(security[0].count, 2)
        # A term without a French version keeps its own name, once.
        self.assertEqual([v.label for v in theme.values if v.value == "migration"], ["Migration"])
        region = next(facet for facet in listing.facets if facet.name == "region")
        self.assertEqual([v.count for v in region.values if v.value == "afrique"], [2])

    def test_filter_by_french_slug_or_english_slug_is_the_same_term(self):
        by_french = self.client.get(self.index_fr.url, {"theme": "securite-et-defense"})
        by_english = self.client.get(self.index_fr.url, {"theme": "security-and-defence"})
        for response in (by_french, by_english):
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.context["listing"].page.paginator.count, 2)
            self.assertEqual(response.context["listing"].params.theme, ("securite-et-defense",))
        english = self.client.get(self.tree.analyses.url, {"theme": "security-and-defence"})
        self.assertEqual(english.context["listing"].page.paginator.count, 1)

    def test_cards_show_the_type_in_their_language(self):
        html = self.client.get(self.index_fr.url).content.decode()
        self.assertIn('<span class="card__type">Étude</span>', html)
        self.assertNotIn(">Study<", html)
        html = self.client.get(self.tree.analyses.url).content.decode()
        self.assertIn('<span class="card__type">Study</span>', html)

    def test_french_landing_page_under_the_french_slug(self):
        url = f"{self.index_fr.url}themes/securite-et-defense/"
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("<h1>Sécurité et défense</h1>", html)
        self.assertIn("Les armées, les alliances.", html)
        self.assertIn(f'href="http://testserver{url}"', html.replace("localhost", "testserver"))
        # The English slug on the French index leads to the French slug.
        response = self.client.get(f"{self.index_fr.url}themes/security-and-defence/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], url)
        # And the French slug on the English index to the English one.
        response = self.client.get(f"{self.tree.analyses.url}themes/securite-et-defense/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(
            response["Location"], f"{self.tree.analyses.url}themes/security-and-defence/"
        )

    def test_french_analysis_page_names_its_terms_in_french(self):
        response = self.client.get(self.french.url)
        html = response.content.decode()
        self.assertIn("Sécurité et défense", html)
        self.assertNotIn("Security and defence", html)
        self.assertIn('<span class="analysis__type">Étude</span>', html)
        self.assertIn("Notes de l&#x27;Institut", html)
        head = HeadParser()
        head.feed(html)
        report = next(
            data for data in map(json.loads, head.json_ld) if data.get("@type") == "Report"
        )
        self.assertIn({"@type": "Thing", "name": "Sécurité et défense"}, report["about"])
        self.assertEqual(report["isPartOf"]["name"], "Notes de l'Institut")
        self.assertEqual(report["publisher"]["name"], "Institut d'études internationales")
        self.assertEqual(head.values("citation_publisher"), ["Institut d'études internationales"])
        self.assertEqual(head.values("citation_series_title"), ["Notes de l'Institut"])
        ris = self.client.get(f"{self.french.url}cite/ris/").content.decode()
        self.assertIn("Institut d'études internationales", ris)
        self.assertIn("Notes de l'Institut", ris)

    def test_english_page_keeps_english_names(self):
        html = self.client.get(self.english.url).content.decode()
        self.assertIn("Security and defence", html)
        self.assertNotIn("Sécurité", html)
        self.assertIn("Institute for International Studies", html)

    def test_french_feed_of_a_theme(self):
        response = self.client.get("/fr/feeds/theme/securite-et-defense.rss")
        self.assertEqual(response.status_code, 200)
        feed = feedparser.parse(response.content)
        self.assertIn("Sécurité et défense", feed.feed.title)
        self.assertIn("Institut d'études internationales", feed.feed.title)
        self.assertEqual(len(feed.entries), 2)
        for entry in feed.entries:
            self.assertIn("Sécurité et défense", [tag.term for tag in entry.tags])

    def test_sitemap_lists_each_landing_page_under_its_languages_slug(self):
        xml = self.client.get("/sitemap.xml").content.decode()
        self.assertIn("/fr/analyses/themes/securite-et-defense/", xml)
        self.assertIn("/en/analyses/themes/security-and-defence/", xml)
        self.assertNotIn("/fr/analyses/themes/security-and-defence/", xml)

    def test_french_header_footer_and_title_use_the_french_site_name(self):
        html = self.client.get(self.index_fr.url).content.decode()
        self.assertIn("| Institut d&#x27;études internationales</title>", html)
        self.assertNotIn("Institute for International Studies", html)


class TranslatingATermInTheAdminTests(TestCase):
    """*Translate* in a term's menu (the snippet's) makes its French version, which the
    translator then names; the French listing names it at once."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.theme = ThemeFactory(name="Peacekeeping", slug="peacekeeping")
        translate(cls.tree.home, "fr", title="Accueil")
        cls.index_fr = translate(cls.tree.analyses, "fr", title="Analyses")
        english = AnalysisPageFactory(parent=cls.tree.analyses, themes=[cls.theme])
        translate(english, "fr", title="Le maintien de la paix")
        cls.admin = UserFactory(is_superuser=True)

    def test_translate_then_rename(self):
        from django.urls import reverse
        from wagtail.models import Locale

        from publications.models import Theme

        self.client.force_login(self.admin)
        french = Locale.objects.get(language_code="fr")
        url = reverse(
            "simple_translation:submit_snippet_translation",
            args=("publications", "theme", self.theme.pk),
        )
        response = self.client.post(url, {"locales": [french.pk]})
        self.assertEqual(response.status_code, 302)
        version = Theme.objects.get(translation_key=self.theme.translation_key, locale=french)
        edit = reverse("wagtailsnippets_publications_theme:edit", args=(version.pk,))
        self.assertEqual(self.client.get(edit).status_code, 200)
        response = self.client.post(
            edit,
            {
                "name": "Maintien de la paix",
                "slug": "maintien-de-la-paix",
                "description": "Les opérations de paix.",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.client.logout()
        facet_index.forget()
        html = self.client.get(self.index_fr.url).content.decode()
        self.assertIn("Maintien de la paix", html)
        self.assertNotIn(">Peacekeeping<", html)
        landing = self.client.get(f"{self.index_fr.url}themes/maintien-de-la-paix/")
        self.assertContains(landing, "Les opérations de paix.")
