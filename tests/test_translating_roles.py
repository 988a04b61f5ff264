"""Translators are editors: Editors and Moderators may *Translate* a page (the French version
is a draft, under review like any page) and a term."""

from django.test import TestCase
from django.urls import reverse
from wagtail.models import Locale

from publications.models import AnalysisPage, Theme
from tests.factories import AnalysisPageFactory, ThemeFactory, UserFactory, build_site, translate


class TranslatingRolesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        translate(cls.tree.home, "fr", title="Accueil")
        translate(cls.tree.analyses, "fr", title="Analyses")
        cls.french = Locale.objects.get(language_code="fr")
        cls.page = AnalysisPageFactory(parent=cls.tree.analyses, title="Ports")
        cls.theme = ThemeFactory(name="Ports", slug="ports")

    def test_editors_and_moderators_translate_pages_and_terms(self):
        for group in ("Editors", "Moderators"):
            with self.subTest(group=group):
                AnalysisPage.objects.filter(locale=self.french, title="Ports").delete()
                Theme.objects.filter(locale=self.french).delete()
                self.client.force_login(UserFactory(groups=[group]))
                url = reverse("simple_translation:submit_page_translation", args=[self.page.pk])
                response = self.client.post(url, {"locales": [self.french.pk]})
                self.assertEqual(response.status_code, 302)
                version = self.page.get_translation(self.french)
                self.assertFalse(version.live)  # a draft, for review
                url = reverse(
                    "simple_translation:submit_snippet_translation",
                    args=["publications", "theme", self.theme.pk],
                )
                self.assertEqual(
                    self.client.post(url, {"locales": [self.french.pk]}).status_code, 302
                )
                self.assertTrue(self.theme.has_translation(self.french))

    def test_anyone_else_may_not(self):
        self.client.force_login(UserFactory(groups=[]))
        url = reverse("simple_translation:submit_page_translation", args=[self.page.pk])
        self.client.post(url, {"locales": [self.french.pk]})
        self.assertFalse(self.page.has_translation(self.french))
