from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document

from publications.pdf import extract_text, inspect_pdf

from .analysis import AnalysisPage, reindex


class PublicationDocument(AbstractDocument):
    """A document that is a readable PDF (checked on upload by PublicationDocumentForm). Its page
    count and text for search are read once per file, in the background
    (``publications.document_jobs``), so that pages never open the file to show them."""

    class TextStatus(models.TextChoices):
        PENDING = "pending", _("being read")
        READ = "read", _("read")
        FAILED = "failed", _("could not be read")

    page_count = models.PositiveIntegerField(_("page count"), null=True, editable=False)
    # Read once per file, for the search index (see publications.pdf.read_facts).
    text = models.TextField(_("text"), blank=True, default="", editable=False)
    text_status = models.CharField(
        _("reading of the text"),
        max_length=10,
        choices=TextStatus.choices,
        default=TextStatus.READ,
        editable=False,
    )

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:  # no analysis shows it yet
            return
        # The analyses showing this PDF are searched by its text: index them again.
        for analysis in AnalysisPage.objects.filter(pdf_id=self.pk).only("pk"):
            reindex(analysis)

    def clean(self):
        # Without a file (none was sent, or the form refused it and said why), there is no
        # extension to check: Wagtail's check would add a second, wrong message ("File extension
        # “” is not allowed").
        if self.file:
            super().clean()

    def _set_document_file_metadata(self):
        """Called by Wagtail's document form whenever the file changes: the size and hash now,
        the page count and text in the background (``publications.document_jobs``)."""
        super()._set_document_file_metadata()
        self.page_count = None
        self.text = ""
        self.text_status = self.TextStatus.PENDING

    def read_now(self):
        """Read the page count and text in this process, for PDFs the project made itself (demo
        content, tests); uploads are read in the background."""
        with self.open_file() as handle:
            facts = {"page_count": inspect_pdf(handle).page_count, "text": extract_text(handle)}
        self.record_reading(facts, save=False)

    def needs_reading(self):
        return self.text_status == self.TextStatus.PENDING

    def record_reading(self, facts, save=True):
        """What the background reading found (``{"page_count", "text"}``), or None when it failed:
        the document stays usable, without text for search."""
        if facts is None:
            self.text, self.text_status = "", self.TextStatus.FAILED
        else:
            self.page_count = facts["page_count"]
            self.text = facts["text"]
            self.text_status = self.TextStatus.READ
        if save:
            self.save(update_fields=["page_count", "text", "text_status"])

    def reading_message(self):
        """What the editor should know about the reading of this PDF, or ""."""
        if self.text_status == self.TextStatus.PENDING:
            return _(
                "The page count and text of this PDF are being read; search will find its text "
                "in a few minutes."
            )
        if self.text_status == self.TextStatus.FAILED:
            return _(
                "The text of this PDF could not be read, so search will not find it. Readers can "
                "still download it."
            )
        return ""
