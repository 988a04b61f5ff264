"""The institute's name and tagline per language, as editors give them on each language's home
page (*The site in this language*): in the header, the footer, the ``<title>`` suffix, the
citations and the feeds; the settings' names where a home page gives none."""

import re

from django.test import TestCase, override_settings

from tests.factories import AnalysisPageFactory, build_site, translate

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@override_settings(SITE_NAMES={"en": "Settings Institute", "fr": "Institut des réglages"})
class SiteIdentityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        home = cls.tree.home
        home.site_name = "Centre for Global Affairs"
        home.tagline = "Research on the world, openly."
        home.save_revision().publish()
        cls.home_fr = translate(
            home,
            "fr",
            title="Accueil",
            site_name="Centre des affaires mondiales",
            tagline="La recherche sur le monde, en accès libre.",
        )
        cls.analyses_fr = translate(cls.tree.analyses, "fr", title="Analyses")
        cls.analysis = AnalysisPageFactory(parent=cls.tree.analyses, title="Cities")
        cls.analysis_fr = translate(cls.analysis, "fr", title="Les villes")

    def test_each_language_has_the_name_and_tagline_of_its_home_page(self):
        for page, name, tagline in (
            (self.analysis, "Centre for Global Affairs", "Research on the world, openly."),
            (
                self.analysis_fr,
                "Centre des affaires mondiales",
                "La recherche sur le monde, en accès libre.",
            ),
        ):
            with self.subTest(page.url):
                html = self.client.get(page.url).content.decode()
                self.assertTrue(TITLE.search(html).group(1).endswith(f"| {name}"))
                self.assertIn(f'<span class="site-brand__name">{name}</span>', html)
                self.assertIn(f'<p class="site-footer__name">{name}</p>', html)
                self.assertIn(f'<p class="site-footer__tagline">{tagline}</p>', html)
                self.assertIn(f'<meta name="citation_publisher" content="{name}">', html)
                other = (
                    "Centre des affaires mondiales"
                    if name == "Centre for Global Affairs"
                    else "Centre for Global Affairs"
                )
                self.assertNotIn(other, html)

    def test_the_feed_names_the_site_in_its_language(self):
        body = self.client.get("/fr/feeds/analyses.atom").content.decode()
        self.assertIn("Centre des affaires mondiales", body)
        self.assertNotIn("Centre for Global Affairs", body)

    def test_a_new_name_shows_once_the_home_page_is_published(self):
        self.client.get(self.analysis_fr.url)  # the names are now kept in the shared cache
        self.home_fr.site_name = "Nouveau nom"
        self.home_fr.save_revision()  # a draft: readers still see the published name
        html = self.client.get(self.analysis_fr.url).content.decode()
        self.assertIn("Centre des affaires mondiales", html)
        self.home_fr.get_latest_revision().publish()
        html = self.client.get(self.analysis_fr.url).content.decode()
        self.assertIn('<span class="site-brand__name">Nouveau nom</span>', html)

    def test_without_a_name_on_the_home_page_the_settings_name_it(self):
        self.home_fr.site_name = ""
        self.home_fr.tagline = ""
        self.home_fr.save_revision().publish()
        html = self.client.get(self.analysis_fr.url).content.decode()
        self.assertIn('<span class="site-brand__name">Institut des réglages</span>', html)
        self.assertNotIn("site-footer__tagline", html)
