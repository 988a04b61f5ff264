"""Terms in use are safe (publications.taxonomy_admin): deleting a theme, region, type or series
that pages use is refused with the list of those pages; merging it into another term, a
moderator's action, gives each page a new revision (published pages republished, drafts kept as
drafts) and then removes it. Through the admin's views with the Django test client."""

from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page
from wagtail.users.models import UserProfile

from publications.models import AnalysisPage, AnalysisType, Region, Series, Theme
from tests.factories import (
    AnalysisPageFactory,
    AnalysisTypeFactory,
    CenterPageFactory,
    RegionFactory,
    SeriesFactory,
    ThemeFactory,
    UserFactory,
    build_site,
)


def theme_slugs(page):
    return sorted(theme.slug for theme in page.themes.all())


class TermsInUseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.editor = UserFactory(username="editor", groups=["Editors"])
        cls.moderator = UserFactory(username="moderator", groups=["Moderators"])

    def setUp(self):
        self.water = ThemeFactory(name="Water", slug="water")
        self.energy = ThemeFactory(name="Energy", slug="energy")
        self.live = [
            AnalysisPageFactory(
                parent=self.tree.analyses,
                title=f"Water analysis {n}",
                themes=[self.water, self.energy] if n == 0 else [self.water],
            )
            for n in range(5)
        ]
        for page in self.live:
            page.save_revision().publish()
        self.never_published = AnalysisPageFactory(
            parent=self.tree.analyses, title="Unpublished water", live=False, themes=[self.water]
        )
        self.never_published.save_revision()
        # Live without the theme; its editor's draft adds it.
        self.drafted = AnalysisPageFactory(parent=self.tree.analyses, title="Drafted water")
        self.drafted.save_revision().publish()
        draft = self.drafted.get_latest_revision_as_object()
        draft.themes.add(self.water)
        draft.subtitle = "Work in progress"
        draft.save_revision()

    def landing(self, slug):
        return self.client.get(f"{self.tree.analyses.url}themes/{slug}/").status_code

    def delete_url(self, term):
        return reverse(term.snippet_viewset.get_url_name("delete"), args=[term.pk])

    def merge_url(self, term):
        return reverse(term.snippet_viewset.get_url_name("merge"), args=[term.pk])

    # --- Deleting -------------------------------------------------------------------------------

    def test_deleting_a_theme_in_use_is_refused_with_the_pages_that_use_it(self):
        self.client.force_login(self.moderator)
        response = self.client.post(self.delete_url(self.water), follow=True)
        self.assertTrue(Theme.objects.filter(pk=self.water.pk).exists())
        message = response.content.decode()
        self.assertIn("“Water” cannot be deleted", message)
        for title in ("Water analysis 0", "Water analysis 4", "Unpublished water", "Drafted water"):
            self.assertIn(title, message)
        self.assertIn(self.merge_url(self.water), message)
        for page in self.live:
            self.assertIn("water", theme_slugs(AnalysisPage.objects.get(pk=page.pk)))
        self.client.logout()
        self.assertEqual(self.landing("water"), 200)

    def test_the_confirmation_page_is_not_offered_for_a_term_in_use(self):
        self.client.force_login(self.moderator)
        response = self.client.get(self.delete_url(self.water))
        self.assertRedirects(
            response,
            reverse(self.water.snippet_viewset.get_url_name("edit"), args=[self.water.pk]),
            fetch_redirect_response=False,
        )

    def test_a_term_used_only_in_a_draft_is_in_use(self):
        only_drafted = ThemeFactory(name="Drafts only", slug="drafts-only")
        draft = self.drafted.get_latest_revision_as_object()
        draft.themes.add(only_drafted)
        draft.save_revision()
        self.client.force_login(self.moderator)
        self.client.post(self.delete_url(only_drafted))
        self.assertTrue(Theme.objects.filter(pk=only_drafted.pk).exists())

    def test_a_bulk_delete_is_refused_too(self):
        self.client.force_login(self.moderator)
        url = reverse("wagtail_bulk_action", args=["publications", "theme", "delete"])
        self.client.post(f"{url}?id={self.water.pk}", {"id": [self.water.pk]})
        self.assertTrue(Theme.objects.filter(pk=self.water.pk).exists())

    def test_types_series_and_regions_in_use_are_refused(self):
        series = SeriesFactory(name="Notes")
        region = RegionFactory(name="Sahel", slug="sahel")
        AnalysisPageFactory(parent=self.tree.analyses, series=series, regions=[region])
        analysis_type = AnalysisType.objects.get()
        self.client.force_login(self.moderator)
        for term in (series, region, analysis_type):
            self.client.post(self.delete_url(term))
            self.assertTrue(type(term).objects.filter(pk=term.pk).exists(), term)

    def test_an_unused_term_is_deleted(self):
        unused = ThemeFactory(name="Unused", slug="unused")
        self.client.force_login(self.moderator)
        self.client.post(self.delete_url(unused))
        self.assertFalse(Theme.objects.filter(pk=unused.pk).exists())

    def test_the_refusal_is_in_the_editors_language(self):
        profile = UserProfile.get_for_user(self.moderator)
        profile.preferred_language = "fr"
        profile.save()
        self.client.force_login(self.moderator)
        response = self.client.post(self.delete_url(self.water), follow=True)
        self.assertContains(response, "Impossible de supprimer « Water »")
        self.assertContains(response, "« Water analysis 0 » (publiée)")

    # --- Merging --------------------------------------------------------------------------------

    def test_editors_cannot_merge(self):
        self.client.force_login(self.editor)
        self.client.post(self.merge_url(self.water), {"target": self.energy.pk})
        self.assertTrue(Theme.objects.filter(pk=self.water.pk).exists())
        self.assertIn("water", theme_slugs(AnalysisPage.objects.get(pk=self.live[2].pk)))
        listing = self.client.get(reverse(self.water.snippet_viewset.get_url_name("list")))
        self.assertNotContains(listing, self.merge_url(self.water))

    def test_the_merge_page_lists_the_pages_it_will_change(self):
        self.client.force_login(self.moderator)
        response = self.client.get(self.merge_url(self.water))
        self.assertContains(response, "Water analysis 3")
        self.assertContains(response, "draft: stays a draft")
        listing = self.client.get(reverse(self.water.snippet_viewset.get_url_name("list")))
        self.assertContains(listing, self.merge_url(self.water))

    def test_merging_republishes_live_pages_keeps_drafts_and_removes_the_term(self):
        self.client.force_login(self.moderator)
        response = self.client.post(self.merge_url(self.water), {"target": self.energy.pk})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Theme.objects.filter(pk=self.water.pk).exists())

        for page in self.live:
            page = AnalysisPage.objects.get(pk=page.pk)
            self.assertEqual(theme_slugs(page), ["energy"])  # once, even where it was already
            self.assertTrue(page.live)
            self.assertFalse(page.has_unpublished_changes)
            self.assertEqual(page.live_revision.user, self.moderator)
            self.assertEqual(page.revisions.count(), 2)  # history keeps the one with "Water"

        never_published = AnalysisPage.objects.get(pk=self.never_published.pk)
        self.assertFalse(never_published.live)
        self.assertEqual(theme_slugs(never_published.get_latest_revision_as_object()), ["energy"])

        drafted = AnalysisPage.objects.get(pk=self.drafted.pk)
        self.assertTrue(drafted.has_unpublished_changes)
        self.assertEqual(theme_slugs(drafted), [])  # readers' version untouched
        latest = drafted.get_latest_revision_as_object()
        self.assertEqual((theme_slugs(latest), latest.subtitle), (["energy"], "Work in progress"))

        self.client.logout()
        self.assertEqual(self.landing("water"), 404)
        self.assertEqual(self.landing("energy"), 200)

    def test_a_live_page_with_a_draft_gets_both_updated(self):
        page = self.live[1]
        draft = page.get_latest_revision_as_object()
        draft.subtitle = "Being rewritten"
        draft.save_revision()
        self.client.force_login(self.moderator)
        self.client.post(self.merge_url(self.water), {"target": self.energy.pk})
        page = AnalysisPage.objects.get(pk=page.pk)
        self.assertEqual((theme_slugs(page), page.subtitle), (["energy"], ""))
        self.assertTrue(page.has_unpublished_changes)
        latest = page.get_latest_revision_as_object()
        self.assertEqual((theme_slugs(latest), latest.subtitle), (["energy"], "Being rewritten"))

    def test_merging_types_series_and_centre_themes(self):
        brief, report = AnalysisTypeFactory(), AnalysisType.objects.create(name="R", slug="r")
        old, new = SeriesFactory(name="Old"), SeriesFactory(name="New")
        page = AnalysisPageFactory(parent=self.tree.analyses, analysis_type=brief, series=old)
        page.save_revision().publish()
        centre = CenterPageFactory(parent=self.tree.centers)
        centre.themes.set([self.water])
        centre.save_revision().publish()
        self.client.force_login(self.moderator)
        self.client.post(self.merge_url(brief), {"target": report.pk})
        self.client.post(self.merge_url(old), {"target": new.pk})
        self.client.post(self.merge_url(self.water), {"target": self.energy.pk})
        page = AnalysisPage.objects.get(pk=page.pk)
        self.assertEqual((page.analysis_type_id, page.series_id), (report.pk, new.pk))
        self.assertFalse(AnalysisType.objects.filter(pk=brief.pk).exists())
        self.assertFalse(Series.objects.filter(pk=old.pk).exists())
        centre = Page.objects.get(pk=centre.pk).specific
        self.assertEqual([theme.pk for theme in centre.themes.all()], [self.energy.pk])

    def test_regions_keep_their_parts_and_never_merge_into_one(self):
        africa = RegionFactory(name="Africa", slug="africa")
        west = RegionFactory(name="West Africa", slug="west-africa", parent=africa)
        mali = RegionFactory(name="Mali", slug="mali", parent=west)
        world = RegionFactory(name="World", slug="world")
        self.client.force_login(self.moderator)
        response = self.client.post(self.merge_url(africa), {"target": mali.pk})
        self.assertContains(response, "cannot be merged into one of its parts")
        self.assertTrue(Region.objects.filter(pk=africa.pk).exists())
        self.client.post(self.merge_url(africa), {"target": world.pk})
        self.assertFalse(Region.objects.filter(pk=africa.pk).exists())
        self.assertEqual(Region.objects.get(pk=west.pk).parent_id, world.pk)
