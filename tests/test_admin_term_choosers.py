"""Choosing themes and regions in the analysis editor (issue 13, part 1): the lists searched as
one types, regions after the regions they are part of, several at once, by id, and a term that
is not in the list named, with a way to add it for those who may."""

import json

from django.test import TestCase
from django.urls import reverse
from wagtail.models import Locale

from publications.models import AnalysisPage
from tests.admin_forms import editor_data
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    RegionFactory,
    ThemeFactory,
    UserFactory,
    build_site,
)


class TermChooserTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.diplomacy = ThemeFactory(name="Diplomacy", slug="diplomacy")
        cls.energy = ThemeFactory(name="Energy", slug="energy")
        cls.africa = RegionFactory(name="Africa", slug="africa")
        cls.east = RegionFactory(name="East Africa", slug="east-africa", parent=cls.africa)
        cls.kenya = RegionFactory(name="Kenya", slug="kenya", parent=cls.east)
        cls.editor = UserFactory(username="editor", groups=["Editors"])
        cls.center = CenterPageFactory(parent=cls.tree.centers, title="Africa Center")
        cls.staff = UserFactory(username="staff", groups=["Research staff: Africa Center"])

    def setUp(self):
        self.client.force_login(self.editor)

    def test_the_editor_offers_choosers_with_help_texts_and_no_tag_field(self):
        url = reverse(
            "wagtailadmin_pages:add", args=["publications", "analysispage", self.tree.analyses.pk]
        )
        html = self.client.get(url).content.decode()
        self.assertIn(reverse("theme_chooser:choose"), html)
        self.assertIn(reverse("region_chooser:choose"), html)
        self.assertIn("What the analysis is about, from the list of themes", html)
        self.assertIn("as precisely as the list allows", html)
        self.assertNotIn("comma-separated list of tags", html)
        self.assertNotIn('name="themes"', html)

    def test_themes_are_searched_as_one_types(self):
        response = self.client.get(reverse("theme_chooser:choose_results"), {"q": "dipl"})
        self.assertContains(response, "Diplomacy")
        self.assertNotContains(response, "Energy")

    def test_the_search_keeps_to_the_language_of_the_page(self):
        """The editor's chooser passes the page's ``locale``: a search lists that language's
        versions of the terms only."""
        french = Locale.objects.create(language_code="fr")
        ThemeFactory(
            name="Diplomatie",
            slug="diplomatie",
            locale=french,
            translation_key=self.diplomacy.translation_key,
        )
        for kind, viewset in (("theme", "theme_chooser"), ("region", "region_chooser")):
            with self.subTest(kind):
                response = self.client.get(
                    reverse(f"{viewset}:choose_results"), {"q": "dipl", "locale": "en"}
                )
                self.assertEqual(response.status_code, 200)
        english = self.client.get(
            reverse("theme_chooser:choose_results"), {"q": "dipl", "locale": "en"}
        )
        self.assertContains(english, "Diplomacy")
        self.assertNotContains(english, "Diplomatie")
        in_french = self.client.get(
            reverse("theme_chooser:choose_results"), {"q": "dipl", "locale": "fr"}
        )
        self.assertContains(in_french, "Diplomatie")
        self.assertNotContains(in_french, "Diplomacy")

    def test_regions_are_listed_after_the_regions_they_are_part_of(self):
        response = self.client.get(reverse("region_chooser:choose"), {"multiple": "1"})
        html = json.loads(response.content)["html"]
        self.assertIn("Africa › East Africa › Kenya", html)
        self.assertIn('name="id"', html)  # checkboxes: several at once
        chosen = self.client.get(
            reverse("region_chooser:chosen_multiple"), {"id": [self.kenya.pk, self.africa.pk]}
        )
        titles = sorted(item["title"] for item in json.loads(chosen.content)["result"])
        self.assertEqual(titles, ["Africa", "Africa › East Africa › Kenya"])

    def test_a_term_not_in_the_list_is_named_with_a_link_to_add_it(self):
        response = self.client.get(reverse("theme_chooser:choose_results"), {"q": "Diplomcy"})
        self.assertContains(response, "is not in the list of themes")
        self.assertContains(response, reverse("wagtailsnippets_publications_theme:add"))

    def test_those_who_may_not_add_terms_are_told_whom_to_ask(self):
        self.client.force_login(self.staff)
        response = self.client.get(reverse("theme_chooser:choose_results"), {"q": "Diplomcy"})
        self.assertContains(response, "is not in the list of themes")
        self.assertContains(response, "Ask a moderator or an editor")
        self.assertNotContains(response, reverse("wagtailsnippets_publications_theme:add"))

    def test_several_terms_chosen_are_saved_by_id(self):
        page = AnalysisPageFactory(parent=self.tree.analyses, title="Ports", live=False)
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        data = editor_data(self.client.get(url), AnalysisPage)
        data.update(
            {
                "theme_items-TOTAL_FORMS": "2",
                "theme_items-0-tag": str(self.diplomacy.pk),
                "theme_items-1-tag": str(self.energy.pk),
                "region_items-TOTAL_FORMS": "1",
                "region_items-0-tag": str(self.kenya.pk),
            }
        )
        for prefix, count in (("theme_items", 2), ("region_items", 1)):
            for n in range(count):
                data.setdefault(f"{prefix}-{n}-id", "")
                data.setdefault(f"{prefix}-{n}-DELETE", "")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        saved = AnalysisPage.objects.get(pk=page.pk).get_latest_revision_as_object()
        self.assertEqual(sorted(t.name for t in saved.themes.all()), ["Diplomacy", "Energy"])
        self.assertEqual([r.name for r in saved.regions.all()], ["Kenya"])
        # The chosen terms are shown as chosen, with their parents, when the editor comes back.
        self.assertContains(self.client.get(url), "Africa › East Africa › Kenya")
