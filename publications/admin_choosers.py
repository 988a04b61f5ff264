"""Chooser modals of the analysis editor, built on Wagtail's generic ``ChooserViewSet``.

Themes and regions are chosen from their lists (several at once, with ``MultipleChooserPanel``),
by id; the search is an autocomplete on the names; regions are shown after the regions they are
part of. A search that finds no term says so, and offers to add it to those who may.

The expert chooser lists the experts (searchable by name, with the centre each is under) instead
of opening the page tree at its root. It offers the same pages as the page chooser: the hooks
registered for ``construct_page_chooser_queryset`` apply (least privilege, see wagtail_hooks)."""

from django.contrib.admin.utils import quote
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenMultipleView,
    ChosenView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.models import Page

from publications.chooser_widgets import ExpertChooser, RegionChooser, ThemeChooser, region_path
from publications.models import Region, Theme
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


# --- Themes and regions ------------------------------------------------------------------------


class TermListingMixin:
    """The list of terms of one kind, searched by autocomplete on the name."""

    results_template_name = "admin/term_chooser_results.html"
    per_page = 30

    def can_create(self):
        return False  # terms are added on purpose, in the Taxonomy lists (see below)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        model = self.model_class
        context["term_list_name"] = model._meta.verbose_name_plural
        if self.request.user.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}"):
            context["add_term_url"] = reverse(
                f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:add"
            )
        return context


class RegionListingMixin(TermListingMixin):
    def get_object_list(self):
        return Region.objects.select_related("parent__parent__parent")

    @property
    def title_column(self):
        # "Africa › East Africa": the name after the regions it is part of; otherwise the
        # column Wagtail's BaseChooseView.title_column draws.
        if self.is_multiple_choice:
            return TitleColumn(
                "title",
                label=_("Region"),
                accessor=region_path,
                label_prefix="chooser-modal-select",
            )
        return TitleColumn(
            "title",
            label=_("Region"),
            accessor=region_path,
            get_url=lambda obj: self.append_preserved_url_parameters(
                reverse(self.chosen_url_name, args=(quote(obj.pk),))
            ),
            link_attrs={"data-chooser-modal-choice": True},
        )


class TermChosenMixin:
    def get_display_title(self, instance):
        return region_path(instance) if isinstance(instance, Region) else str(instance)


def term_views(listing):
    return {
        "choose_view_class": type("ChooseView", (listing, ChooseView), {}),
        "choose_results_view_class": type("ChooseResultsView", (listing, ChooseResultsView), {}),
        "chosen_view_class": type("ChosenView", (TermChosenMixin, ChosenView), {}),
        "chosen_multiple_view_class": type(
            "ChosenMultipleView", (TermChosenMixin, ChosenMultipleView), {}
        ),
    }


class TermChooserViewSet(ChooserViewSet):
    """A chooser of taxonomy terms: the views of ``term_views(listing_mixin)``."""

    register_widget = False
    listing_mixin = TermListingMixin

    def __init__(self, *args, **kwargs):
        for name, view_class in term_views(self.listing_mixin).items():
            setattr(self, name, view_class)
        super().__init__(*args, **kwargs)


class ThemeChooserViewSet(TermChooserViewSet):
    model = Theme
    icon = "tag"
    choose_one_text = ThemeChooser.choose_one_text
    choose_another_text = ThemeChooser.choose_another_text
    edit_item_text = ThemeChooser.link_to_chosen_text
    page_title = _("Choose themes")


class RegionChooserViewSet(TermChooserViewSet):
    model = Region
    icon = "site"
    choose_one_text = RegionChooser.choose_one_text
    choose_another_text = RegionChooser.choose_another_text
    edit_item_text = RegionChooser.link_to_chosen_text
    page_title = _("Choose regions")
    listing_mixin = RegionListingMixin


theme_chooser_viewset = ThemeChooserViewSet("theme_chooser", url_prefix="themes/choose")
region_chooser_viewset = RegionChooserViewSet("region_chooser", url_prefix="regions/choose")
