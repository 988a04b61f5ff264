"""A translation's address is in its own language: published under its source's slug, it takes
its translated title's, and the old address redirects to the new one. A slug an editor chose
is kept."""

from django.test import TestCase

from tests.factories import AnalysisPageFactory, CenterPageFactory, build_site, translate


class TranslatedSlugTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        translate(cls.tree.home, "fr", title="Accueil")
        cls.centers_fr = translate(cls.tree.centers, "fr", title="Centres de recherche")
        cls.centre = CenterPageFactory(
            parent=cls.tree.centers, title="Center for Geopolitics of Cities", slug="geo-cities"
        )

    def test_translation_takes_the_slug_of_its_title_and_redirects_from_the_old_one(self):
        self.assertEqual(self.centers_fr.slug, "centres-de-recherche")
        # Wagtail announces a slug change once the transaction commits.
        with self.captureOnCommitCallbacks(execute=True):
            french = translate(self.centre, "fr", title="Centre Géopolitique des villes")
        french.refresh_from_db()
        self.assertEqual(french.slug, "centre-geopolitique-des-villes")
        self.assertEqual(french.url, "/fr/centres-de-recherche/centre-geopolitique-des-villes/")
        response = self.client.get(french.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Centre Géopolitique des villes")
        old = "/fr/centres-de-recherche/geo-cities/"
        response = self.client.get(old)
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], french.url)
        # The English page keeps its slug.
        self.centre.refresh_from_db()
        self.assertEqual(self.centre.slug, "geo-cities")

    def test_a_slug_of_its_own_is_kept(self):
        english = AnalysisPageFactory(parent=self.tree.analyses, title="Ports", slug="ports")
        translate(self.tree.analyses, "fr", title="Analyses")
        french = translate(english, "fr", title="Les ports africains", slug="ports-africains")
        french.refresh_from_db()
        self.assertEqual(french.slug, "ports-africains")
