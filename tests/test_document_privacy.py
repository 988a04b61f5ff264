"""A PDF is served to readers only once a live, public page links to it
(publications.wagtail_hooks.serve_published_documents_only); editors see it before."""

from django.test import TestCase
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.factories import AnalysisPageFactory, DocumentFactory, UserFactory, build_site


class DocumentPrivacyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()

    def status(self, document):
        response = self.client.get(document.url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return response.status_code

    def test_the_pdf_of_a_live_public_analysis_is_served(self):
        document = DocumentFactory()
        AnalysisPageFactory(parent=self.tree.analyses, pdf=document)
        self.assertEqual(self.status(document), 200)

    def test_a_pdf_linked_from_a_live_page_body_is_served(self):
        document = DocumentFactory()
        AnalysisPageFactory(
            parent=self.tree.analyses,
            summary=f'<p>Read <a linktype="document" id="{document.pk}">the annex</a>.</p>',
        )
        self.assertEqual(self.status(document), 200)

    def test_a_pdf_of_nothing_is_not_served(self):
        self.assertEqual(self.status(DocumentFactory()), 404)

    def test_a_pdf_attached_only_to_a_draft_is_not_served(self):
        document = DocumentFactory()
        draft = AnalysisPageFactory(parent=self.tree.analyses, pdf=document, live=False)
        self.assertEqual(self.status(document), 404)
        draft.save_revision().publish()
        self.assertEqual(self.status(document), 200)
        draft.refresh_from_db()
        draft.unpublish()
        self.assertEqual(self.status(document), 404)

    def test_a_pdf_attached_only_to_a_private_page_is_not_served(self):
        document = DocumentFactory()
        page = AnalysisPageFactory(parent=self.tree.analyses, pdf=document)
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        self.assertEqual(self.status(document), 404)

    def test_a_pdf_under_a_private_section_is_not_served(self):
        document = DocumentFactory()
        AnalysisPageFactory(parent=self.tree.analyses, pdf=document)
        PageViewRestriction.objects.create(
            page=self.tree.analyses, restriction_type=PageViewRestriction.LOGIN
        )
        self.assertEqual(self.status(document), 404)

    def test_a_pdf_in_a_restricted_collection_is_not_served_to_an_anonymous_reader(self):
        private = Collection.get_first_root_node().add_child(name="Embargoed")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
        document = DocumentFactory(collection=private)
        AnalysisPageFactory(parent=self.tree.analyses, pdf=document)
        self.assertIn(self.status(document), (302, 403))

    def test_an_editor_sees_an_unpublished_pdf_and_a_plain_reader_does_not(self):
        document = DocumentFactory()
        AnalysisPageFactory(parent=self.tree.analyses, pdf=document, live=False)
        self.client.force_login(UserFactory(is_superuser=True))
        self.assertEqual(self.status(document), 200)
        self.client.force_login(UserFactory())
        self.assertEqual(self.status(document), 404)


class DocumentHeaderTests(TestCase):
    """The headers of a served PDF: no bogus Content-Encoding, and a Cache-Control that fits who may
    read it (publications.views.serve_document)."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()

    def get(self, document):
        response = self.client.get(document.url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return response

    def test_a_public_pdf_may_be_kept_by_a_cdn_and_has_no_content_encoding(self):
        document = DocumentFactory()
        AnalysisPageFactory(parent=self.tree.analyses, pdf=document)
        response = self.get(document)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertNotIn("Content-Encoding", response)
        self.assertEqual(response["Cache-Control"], "public, max-age=300")
        # An editor gets the same public file with the same header.
        self.client.force_login(UserFactory(is_superuser=True))
        self.assertEqual(self.get(document)["Cache-Control"], "public, max-age=300")

    def test_an_unpublished_pdf_served_to_an_editor_is_private_and_not_stored(self):
        document = DocumentFactory()
        AnalysisPageFactory(parent=self.tree.analyses, pdf=document, live=False)
        self.client.force_login(UserFactory(is_superuser=True))
        response = self.get(document)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertNotIn("Content-Encoding", response)

    def test_a_pdf_of_a_restricted_collection_is_private_and_not_stored(self):
        private = Collection.get_first_root_node().add_child(name="Partners")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
        document = DocumentFactory(collection=private)
        AnalysisPageFactory(parent=self.tree.analyses, pdf=document)
        anonymous = self.get(document)
        self.assertIn(anonymous.status_code, (302, 403))
        self.assertEqual(anonymous["Cache-Control"], "private, no-store")
        self.client.force_login(UserFactory())
        response = self.get(document)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "private, no-store")

    def test_a_pdf_readers_may_not_see_is_a_404_no_one_keeps(self):
        response = self.get(DocumentFactory())
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response["Cache-Control"], "private, no-store")
