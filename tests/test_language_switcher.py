"""The language switcher keeps the reader in place: to the page's version in the other
language; else to the closest page that has one, with a notice; the listing's filters, a
landing page's term and a search query come along in the other language's words. And the
``hreflang`` alternates, ``x-default`` included, name the same content."""

import re

from django.test import TestCase

from publications import facet_index
from tests.factories import (
    AnalysisPageFactory,
    RegionFactory,
    ThemeFactory,
    build_site,
    translate,
    translate_term,
)


def switcher_links(html):
    """hreflang -> href of the language switcher's links."""
    nav = re.search(r'<nav class="lang-switcher".*?</nav>', html, re.S).group(0)
    return {
        lang: href.replace("&amp;", "&")
        for href, lang in re.findall(r'<a href="([^"]*)" hreflang="([^"]+)"', nav)
    }


class LanguageSwitcherTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.security = ThemeFactory(name="Security and defence", slug="security-and-defence")
        translate_term(cls.security, "fr", name="Sécurité et défense", slug="securite-et-defense")
        cls.energy = ThemeFactory(name="Energy", slug="energy")
        translate_term(cls.energy, "fr", name="Énergie", slug="energie")
        cls.africa = RegionFactory(name="Africa", slug="africa")
        translate_term(cls.africa, "fr", name="Afrique", slug="afrique")
        translate(cls.tree.home, "fr", title="Accueil")
        cls.index_fr = translate(cls.tree.analyses, "fr", title="Analyses")
        cls.translated = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Armies",
            themes=[cls.security],
            regions=[cls.africa],
        )
        cls.french = translate(cls.translated, "fr", title="Les armées")
        cls.untranslated = AnalysisPageFactory(
            parent=cls.tree.analyses, title="Energy only in English", themes=[cls.energy]
        )

    def setUp(self):
        facet_index.forget()

    def links(self, url, **params):
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200)
        return switcher_links(response.content.decode())

    def test_to_the_translation(self):
        self.assertEqual(self.links(self.translated.url)["fr"], self.french.url)
        self.assertEqual(self.links(self.french.url)["en"], self.translated.url)

    def test_untranslated_analysis_leads_to_the_closest_translated_page_with_a_notice(self):
        link = self.links(self.untranslated.url)["fr"]
        self.assertEqual(link, f"/fr/switch/{self.untranslated.pk}/")
        response = self.client.get(link)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            response["Location"], f"{self.index_fr.url}?untranslated={self.untranslated.pk}"
        )
        response = self.client.get(response["Location"])
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Cette analyse n&#x27;est pas disponible en français.", html)
        self.assertIn("Lire en anglais :", html)
        self.assertIn(
            f'<a href="{self.untranslated.url}" hreflang="en" lang="en">Energy only in English</a>',
            html,
        )
        # Once translated, the same link goes to the translation.
        french = translate(self.untranslated, "fr", title="L'énergie")
        self.assertEqual(self.client.get(link)["Location"], french.url)

    def test_a_wrong_or_foreign_notice_parameter_shows_nothing(self):
        for value in ("abc", "999999", str(self.french.pk)):
            response = self.client.get(self.index_fr.url, {"untranslated": value})
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, "untranslated-notice")

    def test_search_query_carries_over(self):
        links = self.links("/en/search/", q="armies & cities")
        self.assertEqual(links["fr"], "/fr/search/?q=armies+%26+cities")

    def test_listing_filters_carry_over_in_the_other_languages_slugs(self):
        links = self.links(
            self.tree.analyses.url,
            theme="security-and-defence",
            region="africa",
            q="army",
            sort="oldest",
            page="1",
        )
        self.assertEqual(
            links["fr"],
            f"{self.index_fr.url}?theme=securite-et-defense&region=afrique&q=army&sort=oldest",
        )

    def test_landing_page_leads_to_the_same_terms_landing_page(self):
        url = f"{self.tree.analyses.url}themes/security-and-defence/"
        response = self.client.get(url)
        html = response.content.decode()
        french_landing = f"{self.index_fr.url}themes/securite-et-defense/"
        self.assertEqual(switcher_links(html)["fr"], french_landing)
        self.assertIn(
            f'<link rel="alternate" hreflang="fr" href="http://localhost{french_landing}">', html
        )
        self.assertIn(
            f'<link rel="alternate" hreflang="x-default" href="http://localhost{url}">', html
        )
        # A term no French analysis has: its French landing page does not exist (404, and not
        # in the sitemap), so the switcher goes to the French index and no alternate is given.
        url = f"{self.tree.analyses.url}themes/energy/"
        html = self.client.get(url).content.decode()
        self.assertEqual(switcher_links(html)["fr"], self.index_fr.url)
        self.assertNotIn('hreflang="fr" href="http://localhost/fr/analyses/', html)
        self.assertEqual(self.client.get(f"{self.index_fr.url}themes/energie/").status_code, 404)
        self.assertNotIn(
            "/fr/analyses/themes/energie/", self.client.get("/sitemap.xml").content.decode()
        )

    def test_x_default_is_the_default_languages_version(self):
        html = self.client.get(self.french.url).content.decode()
        self.assertIn(
            f'<link rel="alternate" hreflang="x-default" href="http://localhost{self.translated.url}">',
            html,
        )
        html = self.client.get(self.untranslated.url).content.decode()
        self.assertIn('hreflang="x-default"', html)
