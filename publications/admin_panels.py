"""The pre-publication checklist in the analysis editor: what is done, what is required before
the analysis can be submitted or published, what is worth checking (``publications.readiness``).

A Wagtail ``Panel`` of the editor's *Content* tab. Page models sit below the read side, so it
asks for the checklist through ``publications.page_context``."""

from wagtail.admin.panels import Panel

from publications.page_context import provider


class ChecklistPanel(Panel):
    """The checklist of the page being edited. After a refused submission, the one the form
    checked (what the editor typed); otherwise the one of the page as it was opened."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "admin/checklist_panel.html"

        class Media:
            css = {"all": ["css/admin_checklist.css"]}

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            checklist = getattr(self.form, "checklist", None)
            if checklist is None:
                checklist = provider(self.instance, "readiness")(self.instance)
            context["checklist"] = checklist
            return context
