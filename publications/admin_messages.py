"""What the page editor says after a save: a warning for an identifier another analysis already
has, and plain words after a moderator approves, publishes or schedules.

Wagtail's ``after_create_page`` and ``after_edit_page`` hooks (registered in wagtail_hooks) run
once the page and its revision are saved; the messages go through Wagtail's admin messages."""

from django.contrib import messages as django_messages
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.models import Page

from publications.models import AnalysisPage
from publications.readiness import analyses_sharing_identifiers


def warn_about_shared_identifiers(request, page):
    if not isinstance(page, AnalysisPage):
        return
    labels = {"isbn": _("ISBN"), "doi": _("DOI")}
    for field, others in analyses_sharing_identifiers(page).items():
        value = page.isbn_display if field == "isbn" else page.doi
        messages.warning(
            request,
            _(
                "The %(identifier)s %(value)s is also the %(identifier)s of “%(other)s”. An "
                "identifier names one edition: check which analysis it belongs to."
            )
            % {"identifier": labels[field], "value": value, "other": others[0].title},
            buttons=[
                messages.button(reverse("wagtailadmin_pages:edit", args=[other.pk]), other.title)
                for other in others[:3]
            ],
        )


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def outcome_message(page, action):
    """What the moderator's ``action`` ("approve", "reject") led to, from the saved page."""
    title = page.get_admin_display_title()
    if action == "reject":
        return _("Changes requested: “%(title)s” goes back to its editor, with your comment.") % {
            "title": title
        }
    if action != "approve":
        return None
    state = page.current_workflow_state
    if state is not None and state.current_task_state is not None:
        return _("Approved: “%(title)s” now awaits the next step, “%(task)s”.") % {
            "title": title,
            "task": state.current_task_state.task.name,
        }
    scheduled = page.scheduled_revision
    if scheduled is not None:
        return _("Approved: “%(title)s” will be published on %(when)s.") % {
            "title": title,
            "when": _when(scheduled.approved_go_live_at),
        }
    if page.live and not page.has_unpublished_changes:
        return _("Approved and published: “%(title)s” is live.") % {"title": title}
    return _("Approved: “%(title)s”.") % {"title": title}


def schedule_message(page):
    scheduled = page.scheduled_revision
    if scheduled is None:
        return None
    return _(
        "“%(title)s” will be published on %(when)s. To change the date: Status → Set schedule."
    ) % {"title": page.get_admin_display_title(), "when": _when(scheduled.approved_go_live_at)}


def replace_confirmation(request, text, buttons=()):
    """Wagtail's own confirmation of this request ("…has been updated.", "…has been scheduled
    for publishing.") is replaced by ``text``; the other messages stay, in their order."""
    storage = django_messages.get_messages(request)
    queued = list(storage)  # reading them takes them out of the queue
    for message in queued:
        if message.level == django_messages.SUCCESS:
            continue
        django_messages.add_message(request, message.level, message.message, message.extra_tags)
    messages.success(request, text, buttons=list(buttons))


def after_edit_page(request, page):
    if request.method != "POST":
        return None
    page = Page.objects.get(pk=page.pk).specific  # as the action left it (published or not)
    action = request.POST.get("action-workflow-action") and request.POST.get("workflow-action-name")
    text = None
    if action:
        text = outcome_message(page, action)
    elif "action-publish" in request.POST:
        text = schedule_message(page)
    if text:
        buttons = []
        if page.live and page.url:
            buttons.append(messages.button(page.url, _("View live"), new_window=True))
        replace_confirmation(request, text, buttons)
    warn_about_shared_identifiers(request, page)
    return None


def after_create_page(request, page):
    if request.method != "POST":
        return None
    if "action-publish" in request.POST:
        text = schedule_message(Page.objects.get(pk=page.pk).specific)
        if text:
            replace_confirmation(request, text)
    warn_about_shared_identifiers(request, page)
    return None
