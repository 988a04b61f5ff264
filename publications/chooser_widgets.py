"""The admin's chooser widgets for analyses' fields, by URL name only.

Page models use them in their panels; the choosers' views are registered higher up
(``publications.admin_choosers``, through ``wagtail_hooks``), so nothing here imports the views
and the models stay below the admin in the layers."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import BaseChooser


class ExpertChooser(BaseChooser):
    """Opens on the list of experts, searchable by name, rather than at the root of the page
    tree (Wagtail's page chooser)."""

    model = "research_centers.ExpertPage"
    chooser_modal_url_name = "expert_chooser:choose"
    choose_one_text = _("Choose an expert")
    choose_another_text = _("Choose another expert")
    link_to_chosen_text = _("Edit this expert")
    icon = "user"
