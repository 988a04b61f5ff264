"""Chooser modals of the analysis editor, built on Wagtail's generic ``ChooserViewSet``.

The expert chooser lists the experts (searchable by name, with the centre each is under) instead
of opening the page tree at its root. It offers the same pages as the page chooser: the hooks
registered for ``construct_page_chooser_queryset`` apply (least privilege, see wagtail_hooks)."""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.models import Page

from publications.chooser_widgets import ExpertChooser
from research_centers.models import ExpertPage


class ExpertListingMixin:
    construct_queryset_hook_name = "construct_page_chooser_queryset"
    ordering = ["title"]
    per_page = 20

    def get_object_list(self):
        # The centre an expert is under is the parent page: its path minus the last step.
        parent_title = Page.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
        ).values("title")[:1]
        return ExpertPage.objects.annotate(centre_title=Subquery(parent_title))

    def can_create(self):
        return False  # experts are pages, created under their centre in the page tree

    @property
    def columns(self):
        return super().columns + [
            Column("centre_title", label=_("Centre")),
            Column("role", label=_("Role")),
            Column(
                "live",
                label=_("Status"),
                accessor=lambda page: _("published") if page.live else _("draft"),
            ),
        ]


class ExpertChooseView(ExpertListingMixin, ChooseView):
    pass


class ExpertChooseResultsView(ExpertListingMixin, ChooseResultsView):
    pass


class ExpertChooserViewSet(ChooserViewSet):
    model = ExpertPage
    icon = "user"
    choose_one_text = ExpertChooser.choose_one_text
    choose_another_text = ExpertChooser.choose_another_text
    edit_item_text = ExpertChooser.link_to_chosen_text
    page_title = _("Choose an expert")
    choose_view_class = ExpertChooseView
    choose_results_view_class = ExpertChooseResultsView
    # Pages are created in the page tree, under their centre, not in a modal.
    creation_form_class = None
    # The widget is named in AnalysisAuthor's panel: other page choosers keep Wagtail's.
    register_widget = False


expert_chooser_viewset = ExpertChooserViewSet("expert_chooser", url_prefix="experts/choose")
