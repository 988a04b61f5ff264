"""Files go through review (publications.file_review): a PDF or an image that a page uses, now or
in any revision, is neither replaced in place nor deleted; a new file reaches readers when a
moderator publishes the page that points to it, and rolling back brings the old one back.

Everything goes through the real admin views with the Django test client, on real files in the
test settings' temporary MEDIA_ROOT."""

import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from publications.file_review import file_usage
from publications.models import AnalysisPage, PublicationDocument
from tests.admin_forms import editor_data
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    DocumentFactory,
    ExpertPageFactory,
    TextDocumentFactory,
    UserFactory,
    build_site,
)
from tests.pdf_samples import valid_pdf


def served(client, document):
    response = client.get(document.url)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, body


def stored(file_field):
    return os.path.exists(file_field.path)


def make_image(title="Cover"):
    # With its alt text: a cover or a photo without one is refused in the page editor.
    return get_image_model().objects.create(
        title=title, description=f"{title}, in colour", file=get_test_image_file()
    )


class FileReviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.editor = UserFactory(username="editor", groups=["Editors"])
        cls.moderator = UserFactory(username="moderator", groups=["Moderators"])
        cls.root_collection = Collection.get_first_root_node()

    def setUp(self):
        self.original = TextDocumentFactory(title="Original", text="Original findings on water.")
        self.original_bytes = self.original.file.read()
        self.original.file.close()
        self.cover = make_image()
        self.analysis = AnalysisPageFactory(
            parent=self.tree.analyses,
            title="Water policy",
            pdf=self.original,
            cover_image=self.cover,
            authors=["A. Writer"],
        )
        self.analysis.save_revision().publish()

    def login(self, user):
        self.client.force_login(user)

    def edit_page(self, page, **changes):
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        data = editor_data(self.client.get(url), AnalysisPage, **changes)
        return self.client.post(url, data)

    # --- An editor cannot change what readers get -------------------------------------------

    def test_an_editor_cannot_replace_the_pdf_of_a_live_analysis(self):
        self.login(self.editor)
        response = self.client.post(
            reverse("wagtaildocs:edit", args=[self.original.pk]),
            {
                "title": "Original",
                "collection": self.root_collection.pk,
                "file": SimpleUploadedFile("new.pdf", valid_pdf(5), "application/pdf"),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "so its file cannot be replaced")
        self.assertContains(response, "Water policy")
        document = PublicationDocument.objects.get(pk=self.original.pk)
        self.assertEqual(document.file.name, self.original.file.name)
        self.assertTrue(stored(document.file))
        self.assertIn("Original findings", document.text)
        self.assertEqual(served(self.client, document), (200, self.original_bytes))

    def test_an_editor_cannot_delete_the_pdf_of_a_live_analysis(self):
        self.login(self.editor)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("wagtaildocs:delete", args=[self.original.pk]))
        self.assertTrue(PublicationDocument.objects.filter(pk=self.original.pk).exists())
        self.assertTrue(stored(self.original.file))
        self.assertEqual(AnalysisPage.objects.get(pk=self.analysis.pk).pdf_id, self.original.pk)

    def test_an_editor_cannot_delete_or_replace_the_cover_of_a_live_analysis(self):
        self.login(self.editor)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("wagtailimages:delete", args=[self.cover.pk]))
        self.assertTrue(get_image_model().objects.filter(pk=self.cover.pk).exists())
        self.assertTrue(stored(self.cover.file))

        response = self.client.post(
            reverse("wagtailimages:edit", args=[self.cover.pk]),
            {
                "title": "Cover",
                "collection": self.root_collection.pk,
                "file": SimpleUploadedFile(
                    "other.png", get_test_image_file(size=(300, 200)).file.getvalue(), "image/png"
                ),
            },
        )
        self.assertContains(response, "so its file cannot be replaced")
        image = get_image_model().objects.get(pk=self.cover.pk)
        self.assertEqual(image.file.name, self.cover.file.name)
        self.assertEqual((image.width, image.height), (self.cover.width, self.cover.height))
        self.assertTrue(stored(image.file))

    def test_a_bulk_delete_leaves_files_in_use(self):
        self.login(self.moderator)
        url = reverse("wagtail_bulk_action", args=["publications", "publicationdocument", "delete"])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"{url}?id={self.original.pk}", {"id": [self.original.pk]})
        self.assertTrue(PublicationDocument.objects.filter(pk=self.original.pk).exists())
        self.assertTrue(stored(self.original.file))

    def test_files_linked_from_rich_text_or_an_expert_photo_are_in_use(self):
        annex = DocumentFactory(title="Annex")
        photo = make_image("Portrait")
        AnalysisPageFactory(
            parent=self.tree.analyses,
            summary=f'<p>See <a linktype="document" id="{annex.pk}">the annex</a>.</p>',
        )
        centre = CenterPageFactory(parent=self.tree.centers)
        ExpertPageFactory(parent=centre, title="Amina Diallo", photo=photo)
        self.login(self.moderator)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("wagtaildocs:delete", args=[annex.pk]))
            self.client.post(reverse("wagtailimages:delete", args=[photo.pk]))
        self.assertTrue(PublicationDocument.objects.filter(pk=annex.pk).exists())
        self.assertTrue(get_image_model().objects.filter(pk=photo.pk).exists())
        self.assertEqual([p.title for p in file_usage(photo).live], ["Amina Diallo"])

    def test_moderators_see_where_a_file_is_used(self):
        self.login(self.moderator)
        response = self.client.get(reverse("wagtaildocs:edit", args=[self.original.pk]))
        self.assertContains(response, "Used by “Water policy” (published)")
        self.assertNotContains(
            response, reverse("wagtaildocs:delete", args=[self.original.pk]) + '"'
        )

    def test_an_unused_file_can_still_be_deleted(self):
        """The rule is about files in use: a mistaken upload goes away, with its file."""
        self.login(self.editor)
        stray = DocumentFactory(title="Mistake", uploaded_by_user=self.editor)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("wagtaildocs:delete", args=[stray.pk]))
        self.assertFalse(PublicationDocument.objects.filter(pk=stray.pk).exists())
        self.assertFalse(stored(stray.file))

    def test_an_administrator_takes_a_file_down_after_seeing_where_it_is_used(self):
        """The one way to remove a file in use at once (a legal request, a leak)."""
        self.login(UserFactory(username="admin", is_superuser=True))
        url = reverse("wagtaildocs:delete", args=[self.original.pk])
        confirm = self.client.get(url)
        self.assertContains(confirm, reverse("wagtaildocs:document_usage", args=[self.original.pk]))
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url)
        self.assertFalse(PublicationDocument.objects.filter(pk=self.original.pk).exists())
        self.assertIsNone(AnalysisPage.objects.get(pk=self.analysis.pk).pdf_id)

    # --- A new file goes through the page's review, and rolling back restores the old one ---

    def test_a_new_pdf_reaches_readers_when_a_moderator_publishes_and_rollback_restores(self):
        self.login(self.editor)
        self.client.post(
            reverse("wagtaildocs:add"),
            {
                "title": "Corrected",
                "collection": self.root_collection.pk,
                "file": SimpleUploadedFile("corrected.pdf", valid_pdf(7), "application/pdf"),
            },
        )
        corrected = PublicationDocument.objects.get(title="Corrected")
        self.edit_page(self.analysis, pdf=str(corrected.pk), **{"action-submit": "1"})
        page = AnalysisPage.objects.get(pk=self.analysis.pk)
        self.assertEqual(page.pdf_id, self.original.pk)  # readers still get the original
        self.assertEqual(page.get_latest_revision_as_object().pdf_id, corrected.pk)
        reader = Client()
        self.assertEqual(served(reader, self.original)[0], 200)
        self.assertEqual(served(reader, corrected)[0], 404)
        self.assertEqual(served(self.client, corrected)[0], 200)  # its editor checks it

        self.login(self.moderator)
        self.edit_page(page, **{"action-publish": "1"})
        page = AnalysisPage.objects.get(pk=self.analysis.pk)
        self.assertEqual(page.pdf_id, corrected.pk)
        self.assertEqual(served(reader, corrected)[0], 200)

        # The original is history now: kept, for everyone, with its file.
        usage = file_usage(self.original)
        self.assertEqual([p.pk for p in usage.history], [page.pk])
        for user in (self.editor, self.moderator):
            self.login(user)
            with self.captureOnCommitCallbacks(execute=True):
                self.client.post(reverse("wagtaildocs:delete", args=[self.original.pk]))
            self.assertTrue(PublicationDocument.objects.filter(pk=self.original.pk).exists())
            self.assertTrue(stored(self.original.file))

        # Roll back to the revision with the original PDF, and publish it.
        first = page.revisions.filter(content__pdf=self.original.pk).order_by("pk").last()
        self.login(self.moderator)
        url = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, first.pk])
        data = editor_data(self.client.get(url), AnalysisPage, **{"action-publish": "1"})
        self.client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        page = AnalysisPage.objects.get(pk=self.analysis.pk)
        self.assertEqual(page.pdf_id, self.original.pk)
        self.assertEqual(served(self.client, self.original), (200, self.original_bytes))

    def test_a_pdf_used_only_by_a_draft_is_kept_too(self):
        draft_pdf = DocumentFactory(title="Draft PDF", uploaded_by_user=self.editor)
        draft = AnalysisPageFactory(parent=self.tree.analyses, title="Draft", live=False)
        draft.pdf = draft_pdf
        draft.save_revision()
        self.assertEqual([p.pk for p in file_usage(draft_pdf).history], [draft.pk])
        self.login(self.editor)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("wagtaildocs:delete", args=[draft_pdf.pk]))
        self.assertTrue(PublicationDocument.objects.filter(pk=draft_pdf.pk).exists())
        self.assertTrue(stored(draft_pdf.file))
