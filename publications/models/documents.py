from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document

from publications.pdf import InvalidPdf, extract_text, inspect_pdf

from .analysis import AnalysisPage, reindex


class PublicationDocument(AbstractDocument):
    """A document that is a readable PDF (checked on upload by PublicationDocumentForm), with its
    page count read once, on upload, so that pages never open the file to show it."""

    page_count = models.PositiveIntegerField(_("page count"), null=True, editable=False)
    # Read once, on upload, for the search index (see publications.pdf.extract_text).
    text = models.TextField(_("text"), blank=True, default="", editable=False)

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The analyses showing this PDF are searched by its text: index them again.
        for analysis in AnalysisPage.objects.filter(pdf_id=self.pk).only("pk"):
            reindex(analysis)

    def _set_document_file_metadata(self):
        """Called by Wagtail's document form whenever the file changes (and by the demo loader):
        reads the page count and the text for search once, here."""
        super()._set_document_file_metadata()
        try:
            with self.open_file() as handle:
                self.page_count = inspect_pdf(handle).page_count
                self.text = extract_text(handle)
        except InvalidPdf:
            self.page_count = None
            self.text = ""
