"""The document upload form. Kept apart from publications.forms because Wagtail's document forms
can only be imported once the models are loaded (the page form is imported by the models)."""

from contextlib import ExitStack

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
    problem = check_uploads([uploaded])[0]
    if problem is not None:
        raise InvalidPdf(problem)


def check_uploads(files):
    """``check_upload`` for many files at once: the problem code of each (None: a PDF readers
    can open), in order. The structures of the files that pass the first checks are read in one
    bounded child process; if it fails (a file took too long or too much memory), each of them is
    read again in a child of its own, within the same limits as an upload, so that only the file
    that made it fail is refused."""
    problems = [check_bytes(uploaded) for uploaded in files]
    pending = [number for number, problem in enumerate(problems) if problem is None]
    if pending:
        with ExitStack() as stack:
            paths = [stack.enter_context(local_path(files[number])) for number in pending]
            for number, problem in zip(pending, _structure_problems(paths), strict=True):
                problems[number] = problem
    return problems


def _structure_problems(paths):
    try:
        return run_python(
            "publications.pdf:check_structures",
            {"paths": paths},
            time_limit=settings.UPLOAD_CHECK_TIME_LIMIT,
            memory_mb=settings.UPLOAD_CHECK_MEMORY_MB,
        )
    except JobFailed:
        if len(paths) == 1:
            return [TOO_HARD]
        return [problem for path in paths for problem in _structure_problems([path])]


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

    def check_file(self, uploaded):
        """Raise InvalidPdf unless ``uploaded`` is a PDF readers can open (``check_upload``).
        A form whose files were checked beforehand, many at once (``check_uploads``), says so
        here."""
        check_upload(uploaded)

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            try:
                self.check_file(uploaded)
            except InvalidPdf as exc:
                raise forms.ValidationError(str(exc), code=f"invalid_pdf_{exc.code}") from exc
        return uploaded
