from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The read side registers what the page models show (publications.page_context); the
        # signal handlers record every change readers can see (publications.freshness).
        for module in ("publications.selectors", "publications.metadata", "publications.readiness"):
            import_module(module)
        import_module("publications.signals").connect()
        # OAI-PMH's records follow every change readers can see (publications.harvest_jobs).
        import_module("publications.harvest_jobs").connect()
        # A translation published under its source's slug takes its translated title's.
        import_module("publications.translated_slugs").connect()
        # The admin's session guard: its URLs, script and sign-in signal (an expired session
        # keeps the editor's work).
        import_module("publications.admin_session")
        # "Crossref deposit (XML)" in an analysis's admin menu (publications.crossref_admin).
        import_module("publications.crossref_admin")
        # *Reports > Readership*: views and downloads per analysis (publications.readership_admin).
        import_module("publications.readership_admin")
        # Documents and images in use are not deleted (publications.file_review).
        import_module("publications.file_review").register_permission_policies()
