"""What the editor of a translation is warned of: a PDF that is another language version's.

*Translate* copies the source's PDF, so a new translation serves the source's file until it is
given one in its own language (``publications.selectors.pdf_language``). Readers are told which
language the file is in; the editor is warned when opening the page and when submitting it for
review, and may go on: a translation without a PDF of its own is allowed."""

from django.contrib import messages
from django.utils.translation import gettext as _

from publications.language_names import in_language
from publications.models import AnalysisPage
from publications.selectors import pdf_language

SUBMIT_ACTIONS = ("action-submit", "action-workflow-action", "action-publish")


def pdf_warning(page):
    """The warning for ``page`` if it is an analysis whose PDF is in another language than its
    own, else None."""
    if not isinstance(page, AnalysisPage) or not page.pdf_id or not page.locale_id:
        return None
    language = pdf_language(page)
    if language is None or language == page.locale.language_code:
        return None
    return _(
        "The PDF of this page is the one of another language version: it is %(in_language)s. "
        "Readers are told so, and it is not cited as this version's full text. Choose a PDF "
        "%(in_page_language)s if there is one."
    ) % {
        "in_language": in_language(language),
        "in_page_language": in_language(page.locale.language_code),
    }


def warn_in_editor(request, page):
    """``before_edit_page``: the warning above the form when the editor opens the page."""
    if request.method == "GET":
        message = pdf_warning(page.specific)
        if message:
            messages.warning(request, message)


def warn_at_submission(request, page):
    """``after_edit_page``: the warning again when the page is submitted or published."""
    if any(action in request.POST for action in SUBMIT_ACTIONS):
        message = pdf_warning(page.specific)
        if message:
            messages.warning(request, message)
