"""Research centres, their programmes and their experts, as pages: each has a public URL, revisions
and the review workflow, and a centre's staff can be given its subtree to edit (see roles.py).

Relations editors set here (head, team, lead, members, other affiliations, featured analyses)
point at the pages editors chose, whatever their language; selectors.py shows, for a page in one
language, the live versions of those pages in the same language where they exist.
"""

from django import forms
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from publications.admin_forms import ExpertPageForm, ResearchUnitPageForm
from publications.page_context import extra_context

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
EXPERT_PAGE = "research_centers.ExpertPage"


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
        context = super().get_context(request, *args, **kwargs)
        context.update(extra_context(self, request, **kwargs))
        return context


class ResearchUnitPage(Page):
    """What centres and programmes share: an introduction, a description, themes and regions,
    featured analyses, and an archived flag."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        max_length=600,
        help_text=_("One or two sentences, shown in lists and cards."),
    )
    description = RichTextField(_("description"), blank=True, features=TEXT_FEATURES)
    # Each concrete class gets its own link table and reverse name (theme.researchcenterpage_set,
    # theme.programmepage_set).
    themes = ParentalManyToManyField("publications.Theme", verbose_name=_("themes"), blank=True)
    regions = ParentalManyToManyField("publications.Region", verbose_name=_("regions"), blank=True)
    is_archived = models.BooleanField(
        _("archived"),
        default=False,
        help_text=_(
            "An archived centre or programme stays online, marked as archived, but is no longer "
            "listed among the active ones."
        ),
    )

    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("description"),
        index.FilterField("is_archived"),
    ]

    base_form_class = ResearchUnitPageForm

    class Meta:
        abstract = True

    @classmethod
    def unit_panels(cls, people_panels):
        content = Page.content_panels + [
            FieldPanel("introduction"),
            FieldPanel("description"),
            *people_panels,
            FieldPanel("is_archived"),
        ]
        classification = [
            FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
            InlinePanel(
                "featured_analysis_links",
                heading=_("Featured analyses"),
                label=_("Analysis"),
                help_text=_(
                    "Shown first, in this order. The list of analyses below fills itself from "
                    "the analyses' own centres and programmes."
                ),
            ),
        ]
        return TabbedInterface(
            [
                ObjectList(content, heading=_("Content")),
                ObjectList(classification, heading=_("Themes and analyses")),
                ObjectList(Page.promote_panels, heading=_("Promote")),
                ObjectList(Page.settings_panels, heading=_("Settings")),
            ]
        )


class ResearchCenterPage(ResearchUnitPage):
    head = models.ForeignKey(
        EXPERT_PAGE,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    edit_handler = ResearchUnitPage.unit_panels(
        [
            PageChooserPanel("head", page_type=EXPERT_PAGE),
            InlinePanel("team_members", heading=_("Team"), label=_("Team member")),
        ]
    )
    parent_page_types = ["research_centers.ResearchCentersIndexPage"]
    subpage_types = ["research_centers.ProgrammePage", "research_centers.ExpertPage"]
    template = "pages/research_center_page.html"

    class Meta:
        verbose_name = _("research centre")
        verbose_name_plural = _("research centres")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(extra_context(self, request, **kwargs))
        return context


class ProgrammePage(ResearchUnitPage):
    lead = models.ForeignKey(
        EXPERT_PAGE,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    edit_handler = ResearchUnitPage.unit_panels(
        [
            PageChooserPanel("lead", page_type=EXPERT_PAGE),
            InlinePanel("members", heading=_("Members"), label=_("Member")),
            InlinePanel("partners", heading=_("Partners"), label=_("Partner")),
        ]
    )
    parent_page_types = ["research_centers.ResearchCenterPage"]
    subpage_types = []
    template = "pages/programme_page.html"

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(extra_context(self, request, **kwargs))
        return context


class ExpertPage(Page):
    """A researcher of the institute. The page title is the expert's full name; the centre it
    lives under is the expert's main affiliation."""

    role = models.CharField(_("role"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Its “Alt text (description)” is what screen readers say: it must describe the "
            "photo, unless the photo is ticked as decorative."
        ),
    )
    photo_is_decorative = models.BooleanField(
        _("decorative photo (no alt text)"),
        default=False,
        help_text=_("Tick only if the photo adds nothing a reader needs: screen readers skip it."),
    )
    bio = RichTextField(_("short biography"), blank=True, features=TEXT_FEATURES)
    other_centers = ParentalManyToManyField(
        "research_centers.ResearchCenterPage",
        verbose_name=_("other centres"),
        blank=True,
        related_name="affiliated_experts",
        help_text=_("Centres the expert also works with, besides the one their page is under."),
    )
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        help_text=_("e.g. English, French, Swahili"),
    )
    email = models.EmailField(_("e-mail"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("role"),
        MultiFieldPanel(
            [FieldPanel("photo"), FieldPanel("photo_is_decorative")], heading=_("Photo")
        ),
        FieldPanel("bio"),
        FieldPanel("other_centers", widget=forms.CheckboxSelectMultiple),
        FieldPanel("languages"),
        MultiFieldPanel(
            [FieldPanel("email"), InlinePanel("links", label=_("Link"))],
            heading=_("Contact"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("role"), index.SearchField("bio")]
    parent_page_types = ["research_centers.ResearchCenterPage"]
    subpage_types = []
    template = "pages/expert_page.html"
    base_form_class = ExpertPageForm

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(extra_context(self, request, **kwargs))
        return context


# --- Ordered relations ------------------------------------------------------------------------


class ExpertLink(Orderable):
    page = ParentalKey(ExpertPage, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=100, help_text=_("e.g. ORCID, LinkedIn"))
    url = models.URLField(_("URL"))

    panels = [FieldPanel("label"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("link")


class PersonLink(Orderable):
    """An expert in a team, in the order editors set."""

    expert = models.ForeignKey(
        EXPERT_PAGE, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("expert", page_type=EXPERT_PAGE)]

    class Meta(Orderable.Meta):
        abstract = True


class CenterTeamMember(PersonLink):
    page = ParentalKey(ResearchCenterPage, on_delete=models.CASCADE, related_name="team_members")

    class Meta(PersonLink.Meta):
        verbose_name = _("team member")


class ProgrammeMember(PersonLink):
    page = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="members")

    class Meta(PersonLink.Meta):
        verbose_name = _("member")


class ProgrammePartner(Orderable):
    page = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("website"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("partner")


class FeaturedAnalysisLink(Orderable):
    analysis = models.ForeignKey(
        "publications.AnalysisPage",
        verbose_name=_("analysis"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("analysis")]

    class Meta(Orderable.Meta):
        abstract = True


class CenterFeaturedAnalysis(FeaturedAnalysisLink):
    page = ParentalKey(
        ResearchCenterPage, on_delete=models.CASCADE, related_name="featured_analysis_links"
    )

    class Meta(FeaturedAnalysisLink.Meta):
        verbose_name = _("featured analysis")


class ProgrammeFeaturedAnalysis(FeaturedAnalysisLink):
    page = ParentalKey(
        ProgrammePage, on_delete=models.CASCADE, related_name="featured_analysis_links"
    )

    class Meta(FeaturedAnalysisLink.Meta):
        verbose_name = _("featured analysis")


# --- Staff groups -----------------------------------------------------------------------------


class CenterStaffGroup(models.Model):
    """The group whose members edit one centre's subtree, in every language: the centre's pages
    share a translation key. Created with the centre's first page (see roles.py)."""

    translation_key = models.UUIDField(_("centre translation key"), unique=True)
    group = models.OneToOneField(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="center_staff"
    )
    # Where the centre's staff keep their images and documents (roles.center_collection).
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="center_staff",
    )

    class Meta:
        verbose_name = _("centre staff group")
        verbose_name_plural = _("centre staff groups")

    def __str__(self):
        return self.group.name
