"""Research centres, their programmes and their experts, as pages: each has a public URL, revisions
and the review workflow, and a centre's staff can be given its subtree to edit."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ResearchCentersIndexPage(Page):
    """ "Our research centres and programmes"."""

    intro = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["publications.HomePage"]
    subpage_types = ["research_centers.ResearchCenterPage"]
    template = "pages/research_centers_index_page.html"

    class Meta:
        verbose_name = _("research centres index")

    def get_context(self, request, *args, **kwargs):
        from research_centers import selectors

        context = super().get_context(request, *args, **kwargs)
        context["centers"] = selectors.centers_with_programmes(self)
        return context


class ResearchUnitPage(Page):
    """What centres and programmes share: a short introduction and a description."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        max_length=600,
        help_text=_("One or two sentences, shown in lists and cards."),
    )
    description = RichTextField(_("description"), blank=True, features=TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("description")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("description"),
    ]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from research_centers import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.research_unit_context(self, request))
        return context


class ResearchCenterPage(ResearchUnitPage):
    parent_page_types = ["research_centers.ResearchCentersIndexPage"]
    subpage_types = ["research_centers.ProgrammePage", "research_centers.ExpertPage"]
    template = "pages/research_center_page.html"

    class Meta:
        verbose_name = _("research centre")
        verbose_name_plural = _("research centres")


class ProgrammePage(ResearchUnitPage):
    parent_page_types = ["research_centers.ResearchCenterPage"]
    subpage_types = []
    template = "pages/research_center_page.html"

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")


class ExpertPage(Page):
    """A researcher of the institute. The page title is the expert's full name."""

    role = models.CharField(_("role"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its description is used as the alt text."),
    )
    bio = RichTextField(_("short biography"), blank=True, features=TEXT_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
    ]
    search_fields = Page.search_fields + [index.SearchField("role"), index.SearchField("bio")]
    parent_page_types = ["research_centers.ResearchCenterPage"]
    subpage_types = []
    template = "pages/expert_page.html"

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def get_context(self, request, *args, **kwargs):
        from research_centers import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.expert_context(self, request))
        return context
