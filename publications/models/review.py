"""The review step of the "Editorial review" workflow: approval by a group (Moderators), as
Wagtail's group approval task, that does not approve an analysis missing a required item of its
pre-publication checklist (``publications.readiness``).

Approving publishes the page's latest revision, which may be a draft saved after the submission
(or whose cover lost its alt text since), and a moderator may approve from the dashboard without
opening the editor: so the task itself checks what approving would publish. Refused, the
moderator is taken to the editor, which says what is missing; in the editor, approving what the
form holds is checked first (``publications.admin_forms.ChecklistMixin``), so that a moderator
who completes the page approves it in one go."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask

from publications.page_context import provider

from .analysis import AnalysisPage


class ChecklistApprovalTask(AbstractGroupApprovalTask):
    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            page = task_state.workflow_state.content_object
            if self.unready_checklist(page) is not None:
                # Not approved: Wagtail's workflow action view goes where this says.
                return reverse("wagtailadmin_pages:edit", args=[page.pk])
        return super().on_action(task_state, user, action_name, **kwargs)

    def unready_checklist(self, obj):
        """The checklist of the latest revision of ``obj`` (what approving would publish) if a
        required item is missing, else None. Asked more than once per request: checked once
        per revision."""
        # The dashboard and the editor give the specific page, the workflow views a plain
        # Page: its class says whether it is an analysis, without a query.
        if not issubclass(getattr(obj, "specific_class", None) or type(obj), AnalysisPage):
            return None
        revision_id = obj.latest_revision_id
        if revision_id is None:
            return None
        checked = self.__dict__.setdefault("_unready_checklists", {})
        if revision_id not in checked:
            page = obj.get_latest_revision().as_object()
            checklist = provider(page, "readiness")(page, blocking_only=True)
            checked[revision_id] = checklist if checklist.blocking else None
        return checked[revision_id]

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve or request changes; an analysis missing a "
            "required item of its pre-publication checklist is not approved."
        )

    class Meta:
        verbose_name = _("group approval with the pre-publication checklist")
        verbose_name_plural = _("group approvals with the pre-publication checklist")
