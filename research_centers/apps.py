from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchCentersConfig(AppConfig):
    name = "research_centers"
    verbose_name = _("Research centres")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The pages' contexts (publications.page_context) and the staff groups' signal handlers.
        import_module("research_centers.selectors")
        import_module("research_centers.signals")
