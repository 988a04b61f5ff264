from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from publications.page_context import extra_context


class HomePage(Page):
    """The site's home in each language: featured analyses chosen by editors, then the latest."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    # The site's identity in this page's language (publications.site_names): translated with the
    # page, like everything a reader of the language reads.
    site_name = models.CharField(
        _("site name in this language"),
        max_length=120,
        blank=True,
        help_text=_(
            "The institute's name as readers of this language see it: header, footer, page "
            "titles, citations, feeds. Empty: the name set for the whole site."
        ),
    )
    tagline = models.CharField(
        _("tagline"),
        max_length=200,
        blank=True,
        help_text=_("One line that says what the institute does, under its name in the footer."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("site_name"), FieldPanel("tagline")],
            heading=_("The site in this language"),
        ),
        FieldPanel("intro"),
        InlinePanel(
            "featured_analysis_links",
            heading=_("Featured analyses"),
            label=_("Analysis"),
            max_num=6,
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["publications.AnalysisIndexPage", "research_centers.ResearchCentersIndexPage"]
    template = "pages/home_page.html"
    LATEST_COUNT = 6

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(extra_context(self, request, **kwargs))
        return context


class FeaturedAnalysis(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_analysis_links")
    analysis = models.ForeignKey(
        "publications.AnalysisPage",
        verbose_name=_("analysis"),
        on_delete=models.CASCADE,
        related_name="featured_links",
    )

    panels = [PageChooserPanel("analysis")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured analysis")
