"""The analysis editor as an editor and a moderator use it (issue 13, part 2): selects for the
type and series, the expert chooser, ISBNs as pasted, alt text, identifiers shared with another
analysis and the messages after approving, publishing and scheduling."""

import datetime
import re

from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from publications.models import AnalysisPage
from research_centers.models import ExpertPage, ProgrammePage
from tests.admin_forms import editor_data
from tests.factories import (
    AnalysisPageFactory,
    AnalysisTypeFactory,
    CenterPageFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    SeriesFactory,
    UserFactory,
    build_site,
    translate,
)


def make_image(title="Cover", description=""):
    return get_image_model().objects.create(
        title=title, description=description, file=get_test_image_file()
    )


def texts(response, client):
    """The messages the editor reads on the page the save redirected to."""
    following = client.get(response.url)
    return [str(message.message) for message in get_messages(following.wsgi_request)]


class AnalysisFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.center = CenterPageFactory(parent=cls.tree.centers, title="Africa Center")
        cls.expert = ExpertPageFactory(parent=cls.center, title="Amina Diallo", role="Fellow")
        cls.other_expert = ExpertPageFactory(parent=cls.center, title="Bruno Keller")
        cls.type = AnalysisTypeFactory()
        cls.series = SeriesFactory(name="Notes")
        cls.editor = UserFactory(username="editor", groups=["Editors"])
        cls.moderator = UserFactory(username="moderator", groups=["Moderators"])

    def setUp(self):
        self.client.force_login(self.editor)
        self.add_url = reverse(
            "wagtailadmin_pages:add", args=["publications", "analysispage", self.tree.analyses.pk]
        )

    def add(self, **changes):
        data = editor_data(
            self.client.get(self.add_url),
            AnalysisPage,
            title="Cities abroad",
            slug="cities-abroad",
            analysis_type=str(self.type.pk),
            summary='{"blocks": [{"key": "a", "text": "Cities act.", "type": "unstyled", '
            '"depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
            **changes,
        )
        return self.client.post(self.add_url, data)

    def edit(self, page, user=None, **changes):
        self.client.force_login(user or self.editor)
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        return self.client.post(url, editor_data(self.client.get(url), AnalysisPage, **changes))

    # --- The form as drawn ---------------------------------------------------------------

    def test_type_and_series_are_selects_and_series_is_labelled_once(self):
        html = self.client.get(self.add_url).content.decode()
        self.assertRegex(html, r'<select name="analysis_type"[^>]*>')
        self.assertIn(f'<option value="{self.type.pk}">Policy brief</option>', html)
        self.assertRegex(html, r'<select name="series"[^>]*>')
        self.assertIn(f'<option value="{self.series.pk}">Notes</option>', html)
        self.assertEqual(len(re.findall(r">\s*Series\s*<", html)), 1)

    def test_the_author_chooser_opens_on_the_experts_with_search(self):
        html = self.client.get(self.add_url).content.decode()
        chooser_url = reverse("expert_chooser:choose")
        self.assertIn(chooser_url, html)
        listing = self.client.get(chooser_url).content.decode()
        self.assertIn("Amina Diallo", listing)
        self.assertIn("Bruno Keller", listing)
        self.assertIn("Africa Center", listing)  # the centre each expert is under
        results = self.client.get(reverse("expert_chooser:choose_results"), {"q": "amin"})
        self.assertContains(results, "Amina Diallo")
        self.assertNotContains(results, "Bruno Keller")
        self.assertNotContains(results, "Research centers and programs")  # no other pages

    def test_an_analysis_is_saved_with_an_expert_chosen_as_author(self):
        response = self.add(
            **{
                "authors-TOTAL_FORMS": "1",
                "authors-INITIAL_FORMS": "0",
                "authors-0-expert": str(self.expert.pk),
                "authors-0-name": "",
                "authors-0-affiliation": "",
                "authors-0-ORDER": "1",
                "authors-0-id": "",
                "authors-0-DELETE": "",
            }
        )
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        page = AnalysisPage.objects.get(slug="cities-abroad")
        self.assertEqual([a.expert_id for a in page.authors.all()], [self.expert.pk])

    # --- ISBN ---------------------------------------------------------------------------

    def test_an_isbn_pasted_with_its_prefix_is_kept_whole_and_stored_compact(self):
        html = self.client.get(self.add_url).content.decode()
        isbn_input = re.search(r'<input[^>]*name="isbn"[^>]*>', html).group(0)
        self.assertNotIn("maxlength", isbn_input)
        response = self.add(isbn="ISBN 978-2-36567-111-8")
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        self.assertEqual(AnalysisPage.objects.get(slug="cities-abroad").isbn, "9782365671118")

    def test_a_wrong_isbn_is_quoted_in_full_in_the_message(self):
        response = self.add(isbn="ISBN 978-2-36567-111-9")
        self.assertEqual(response.status_code, 200)
        error = response.context["form"].errors["isbn"][0]
        self.assertIn("“ISBN 978-2-36567-111-9” is not a valid ISBN", error)
        self.assertFalse(AnalysisPage.objects.exists())

    # --- Alt text -------------------------------------------------------------------------

    def test_a_cover_without_alt_text_is_refused_with_a_link_to_write_it(self):
        image = make_image()
        response = self.add(cover_image=str(image.pk))
        self.assertEqual(response.status_code, 200)
        error = response.context["form"].errors["cover_image"][0]
        self.assertIn("no alt text", error)
        self.assertIn(reverse("wagtailimages:edit", args=[image.pk]), error)
        self.assertFalse(AnalysisPage.objects.exists())

    def test_a_cover_described_by_the_page_in_its_language_is_accepted(self):
        plain = make_image(title="Map")
        response = self.add(cover_image=str(plain.pk), cover_alt_text="A map of West African ports")
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        page = AnalysisPage.objects.get(slug="cities-abroad")
        page.save_revision().publish()
        self.client.logout()
        html = self.client.get(page.url).content.decode()
        (cover,) = re.findall(r'<img[^>]*class="analysis__cover-image"[^>]*>', html)
        self.assertIn('alt="A map of West African ports"', cover)

    def test_a_cover_with_alt_text_or_ticked_decorative_is_accepted(self):
        described = make_image(description="A map of West African ports")
        self.assertEqual(self.add(cover_image=str(described.pk)).status_code, 302)
        AnalysisPage.objects.all().delete()
        plain = make_image(title="Pattern")
        response = self.add(cover_image=str(plain.pk), cover_is_decorative="on")
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        page = AnalysisPage.objects.get(slug="cities-abroad")
        self.assertTrue(page.cover_is_decorative)
        page.save_revision().publish()
        self.client.logout()
        html = self.client.get(page.url).content.decode()
        (cover,) = re.findall(r'<img[^>]*class="analysis__cover-image"[^>]*>', html)
        self.assertIn('alt=""', cover)

    def test_the_image_form_calls_the_description_the_alt_text(self):
        image = make_image()
        self.client.force_login(self.moderator)
        response = self.client.get(reverse("wagtailimages:edit", args=[image.pk]))
        self.assertContains(response, "Alt text (description)")

    def test_an_expert_photo_needs_alt_text_or_the_decorative_tick(self):
        photo = make_image(title="Portrait")
        url = reverse("wagtailadmin_pages:edit", args=[self.expert.pk])
        self.client.force_login(self.moderator)
        data = editor_data(self.client.get(url), ExpertPage, photo=str(photo.pk))
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no alt text", response.context["form"].errors["photo"][0])
        data["photo_is_decorative"] = "on"
        self.assertEqual(self.client.post(url, data).status_code, 302)
        saved = ExpertPage.objects.get(pk=self.expert.pk).get_latest_revision_as_object()
        self.assertEqual(saved.photo_id, photo.pk)
        self.assertTrue(saved.photo_is_decorative)

    # --- Identifiers another analysis has --------------------------------------------------

    def test_an_isbn_or_doi_of_another_analysis_is_saved_with_a_warning(self):
        AnalysisPageFactory(
            parent=self.tree.analyses, title="The first one", isbn="9782365671118", doi="10.1234/x"
        )
        response = self.add(isbn="978-2-36567-111-8", doi="https://doi.org/10.1234/X")
        self.assertEqual(response.status_code, 302)
        messages = " ".join(texts(response, self.client))
        self.assertIn("The ISBN 978-2-36567-111-8 is also the ISBN of “The first one”", messages)
        self.assertIn("The DOI 10.1234/X is also the DOI of “The first one”", messages)
        self.assertEqual(AnalysisPage.objects.filter(isbn="9782365671118").count(), 2)

    def test_a_translation_sharing_the_isbn_is_not_warned_about(self):
        english = AnalysisPageFactory(parent=self.tree.analyses, title="English edition")
        translate(self.tree.home, "fr")
        translate(self.tree.analyses, "fr")
        french = translate(english, "fr", title="Édition française")
        AnalysisPage.objects.filter(pk=english.pk).update(isbn="9782365671118")
        self.client.force_login(self.moderator)
        response = self.edit(french, user=self.moderator, isbn="9782365671118")
        self.assertEqual(response.status_code, 302)
        self.assertFalse([m for m in texts(response, self.client) if "also the ISBN" in m])

    # --- After approving, publishing, scheduling -------------------------------------------

    def test_approving_says_the_analysis_is_published(self):
        page = AnalysisPageFactory(
            parent=self.tree.analyses, title="Ready", live=False, authors=[self.expert]
        )
        self.assertEqual(self.edit(page, **{"action-submit": "1"}).status_code, 302)
        response = self.edit(
            page,
            user=self.moderator,
            **{
                "action-workflow-action": "1",
                "workflow-action-name": "approve",
                "workflow-action-extra-data": "{}",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Page.objects.get(pk=page.pk).live)
        messages = texts(response, self.client)
        self.assertIn("Approved and published: “Ready” is live.", " ".join(messages))
        self.assertFalse([m for m in messages if "has been updated" in m])

    def test_requesting_changes_says_where_the_page_goes(self):
        page = AnalysisPageFactory(parent=self.tree.analyses, title="Rough", live=False)
        self.edit(page, **{"action-submit": "1"})
        response = self.edit(
            page,
            user=self.moderator,
            **{
                "action-workflow-action": "1",
                "workflow-action-name": "reject",
                "workflow-action-extra-data": "{}",
            },
        )
        self.assertIn(
            "Changes requested: “Rough” goes back to its editor",
            " ".join(texts(response, self.client)),
        )

    def test_scheduling_says_when_and_where_to_change_it(self):
        page = AnalysisPageFactory(
            parent=self.tree.analyses, title="Next week", live=False, authors=[self.expert]
        )
        go_live = timezone.localtime(timezone.now() + datetime.timedelta(days=7)).replace(
            second=0, microsecond=0
        )
        response = self.edit(
            page,
            user=self.moderator,
            go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "1"},
        )
        self.assertEqual(response.status_code, 302)
        message = " ".join(texts(response, self.client))
        self.assertIn("“Next week” will be published on", message)
        self.assertIn("Status → Set schedule", message)
        self.assertFalse(Page.objects.get(pk=page.pk).live)

    # --- An abandoned Add page ------------------------------------------------------------

    def test_a_slug_taken_by_an_abandoned_draft_links_to_it(self):
        draft = AnalysisPageFactory(
            parent=self.tree.analyses, title="Cities abroad", slug="cities-abroad", live=False
        )
        draft.save_revision(user=self.editor)
        response = self.add()
        self.assertEqual(response.status_code, 200)
        error = response.context["form"].errors["slug"][0]
        self.assertIn("An unpublished draft, “Cities abroad”", error)
        self.assertIn(reverse("wagtailadmin_pages:edit", args=[draft.pk]), error)
        self.assertEqual(AnalysisPage.objects.filter(slug="cities-abroad").count(), 1)

    def test_a_programme_slug_taken_by_an_abandoned_draft_links_to_it(self):
        draft = ProgrammePageFactory(
            parent=self.center, title="Great Lakes", slug="great-lakes", live=False
        )
        draft.save_revision(user=self.editor)
        url = reverse(
            "wagtailadmin_pages:add", args=["research_centers", "programmepage", self.center.pk]
        )
        data = editor_data(
            self.client.get(url), ProgrammePage, title="Great Lakes", slug="great-lakes"
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        error = response.context["form"].errors["slug"][0]
        self.assertIn("An unpublished draft, “Great Lakes”", error)
        self.assertIn(reverse("wagtailadmin_pages:edit", args=[draft.pk]), error)
        self.assertEqual(ProgrammePage.objects.filter(slug="great-lakes").count(), 1)

    def test_a_slug_of_a_published_page_keeps_wagtails_message(self):
        AnalysisPageFactory(parent=self.tree.analyses, title="Out", slug="cities-abroad")
        response = self.add()
        error = response.context["form"].errors["slug"][0]
        self.assertIn("is already in use within the parent page", error)
        self.assertNotIn("unpublished draft", error)
