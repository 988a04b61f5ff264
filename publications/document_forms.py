"""The document upload form. Kept apart from publications.forms because Wagtail's document forms
can only be imported once the models are loaded (the page form is imported by the models)."""

from django import forms
from django.conf import settings
from wagtail.documents.forms import BaseDocumentForm

from .bounded import JobFailed, run_python
from .pdf import TOO_HARD, InvalidPdf, check_bytes, local_path


def check_upload(uploaded):
    """Raise InvalidPdf unless ``uploaded`` is a PDF readers can open. The first checks read a
    few kilobytes here; pypdf reads the structure in a bounded child process
    (``UPLOAD_CHECK_TIME_LIMIT``, ``UPLOAD_CHECK_MEMORY_MB``), so that no file can hold the
    request long or raise this process' memory."""
    problem = check_bytes(uploaded)
    if problem is None:
        with local_path(uploaded) as path:
            try:
                problem = run_python(
                    "publications.pdf:check_structure",
                    {"path": path},
                    time_limit=settings.UPLOAD_CHECK_TIME_LIMIT,
                    memory_mb=settings.UPLOAD_CHECK_MEMORY_MB,
                )
            except JobFailed:
                problem = TOO_HARD
    if problem is not None:
        raise InvalidPdf(problem)


class PublicationDocumentForm(BaseDocumentForm):
    """Every document form in the admin (single and multiple upload, edit) is built on this base:
    a file is accepted only if it is a readable PDF. (Its page count and text are read in the
    background once it is saved, see publications.document_jobs; the edit form says how that
    went.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        message = self.instance.reading_message() if self.instance.pk else ""
        if message and "file" in self.fields:
            field = self.fields["file"]
            field.help_text = f"{message} {field.help_text}".strip()

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            try:
                check_upload(uploaded)
            except InvalidPdf as exc:
                raise forms.ValidationError(str(exc), code=f"invalid_pdf_{exc.code}") from exc
        return uploaded
