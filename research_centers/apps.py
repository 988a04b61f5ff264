from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchCentersConfig(AppConfig):
    name = "research_centers"
    verbose_name = _("Research centres")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from research_centers import signals  # noqa: F401
