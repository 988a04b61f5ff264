"""The admin's chooser widgets for analyses' fields, by URL name only.

Page models use them in their panels; the choosers' views are registered higher up
(``publications.admin_choosers``, through ``wagtail_hooks``), so nothing here imports the views
and the models stay below the admin in the layers."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import BaseChooser


class ByIdChooser(BaseChooser):
    """A chooser whose value is an id: a posted value that is not one (a hand-made request) is
    drawn as nothing chosen, and the form says the choice is not valid, instead of failing."""

    def get_instance(self, value):
        try:
            return super().get_instance(value)
        except (ValueError, TypeError):
            return None


class ExpertChooser(ByIdChooser):
    """Opens on the list of experts, searchable by name, rather than at the root of the page
    tree (Wagtail's page chooser)."""

    model = "research_centers.ExpertPage"
    chooser_modal_url_name = "expert_chooser:choose"
    choose_one_text = _("Choose an expert")
    choose_another_text = _("Choose another expert")
    link_to_chosen_text = _("Edit this expert")
    icon = "user"


class ThemeChooser(ByIdChooser):
    """A theme from the list, by id (never by name: a name may exist in several languages)."""

    model = "publications.Theme"
    chooser_modal_url_name = "theme_chooser:choose"
    choose_one_text = _("Choose a theme")
    choose_another_text = _("Choose another theme")
    link_to_chosen_text = _("Edit this theme")
    icon = "tag"


class RegionChooser(ByIdChooser):
    """A region from the list, shown with the regions it is part of ("Africa › East Africa")."""

    model = "publications.Region"
    chooser_modal_url_name = "region_chooser:choose"
    choose_one_text = _("Choose a region")
    choose_another_text = _("Choose another region")
    link_to_chosen_text = _("Edit this region")
    icon = "site"

    def get_display_title(self, instance):
        return region_path(instance)


def region_path(region):
    """ "Africa › East Africa › Kenya": the region after the regions it is part of."""
    names = [region.name]
    ancestor, seen = region.parent, {region.pk}
    while ancestor is not None and ancestor.pk not in seen:
        names.append(ancestor.name)
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
    return " › ".join(reversed(names))
