"""What the editor of an analysis is warned of, from its pre-publication checklist
(``publications.readiness``): when opening a translation whose PDF is another language
version's, or an analysis in review that cannot be approved as it is, and, when submitting or
publishing, of every point still to check.

*Translate* copies the source's PDF, so a new translation serves the source's file until it is
given one in its own language (``publications.selectors.pdf_language``). Readers are told which
language the file is in; the editor is warned when opening the page and when submitting it for
review, and may go on: a translation without a PDF of its own is allowed, as are the other
points to check. The required items refuse the submission itself
(``publications.admin_forms.ChecklistMixin``)."""

from django.contrib import messages
from django.utils.translation import gettext as _

from publications.admin_forms import requested_final_action
from publications.models import AnalysisPage, ChecklistApprovalTask
from publications.readiness import analysis_checklist, pdf_language_warning

# Said after every save, with links to the other analyses (publications.admin_messages).
SAID_AFTER_EVERY_SAVE = ("shared_identifiers",)


def pdf_warning(page):
    """The warning for ``page`` if it is an analysis whose PDF is in another language than its
    own, else None."""
    if not isinstance(page, AnalysisPage):
        return None
    return pdf_language_warning(page)


def unapprovable_warning(page):
    """The warning for an analysis in review whose latest revision cannot be approved
    (``publications.models.review``), else None."""
    if not isinstance(page, AnalysisPage):
        return None
    task = page.current_workflow_task
    if task is None or not isinstance(task.specific, ChecklistApprovalTask):
        return None
    checklist = task.specific.unready_checklist(page)
    if checklist is None:
        return None
    return _(
        "This analysis is in review but cannot be approved as it is: it still needs: %(missing)s."
    ) % {"missing": checklist.missing}


def warn_in_editor(request, page):
    """``before_edit_page``: the warnings above the form when the editor opens the page."""
    if request.method == "GET":
        page = page.specific
        for message in (pdf_warning(page), unapprovable_warning(page)):
            if message:
                messages.warning(request, message)


def warn_at_submission(request, page):
    """``after_edit_page`` and ``after_create_page``: once an analysis is submitted, published
    or approved, the points of its checklist still to check, in one warning."""
    page = page.specific
    if request.method != "POST" or not isinstance(page, AnalysisPage):
        return
    if requested_final_action(request.POST) is None:
        return
    message = analysis_checklist(page, request=request).warnings_message(skip=SAID_AFTER_EVERY_SAVE)
    if message:
        messages.warning(request, message)
