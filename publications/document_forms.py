"""The document upload form. Kept apart from publications.forms because Wagtail's document forms
can only be imported once the models are loaded (the page form is imported by the models)."""

from django import forms
from wagtail.documents.forms import BaseDocumentForm

from .pdf import InvalidPdf, inspect_pdf


class PublicationDocumentForm(BaseDocumentForm):
    """Every document form in the admin (single and multiple upload, edit) is built on this base:
    a file is accepted only if it is a readable PDF. (Its page count is read when it is saved,
    see PublicationDocument._set_document_file_metadata.)"""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            try:
                inspect_pdf(uploaded)
            except InvalidPdf as exc:
                raise forms.ValidationError(str(exc), code="invalid_pdf") from exc
        return uploaded
