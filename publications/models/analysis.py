"""The analysis: the page a reader lands on, and the index that lists every analysis."""

import datetime
import threading
from contextlib import contextmanager

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelsearch.tasks import insert_or_update_object_task
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    MultipleChooserPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from publications import citation
from publications.admin_forms import AnalysisEditorForm
from publications.admin_panels import ChecklistPanel
from publications.blocks import AnalysisBodyBlock
from publications.chooser_widgets import ExpertChooser
from publications.page_context import extra_context, provider
from publications.validators import (
    compact_isbn,
    compact_issn,
    format_isbn,
    format_issn,
    normalise_doi,
    validate_doi,
    validate_isbn,
    validate_issn,
)

from .changes import is_draft_bookkeeping
from .taxonomy import AnalysisRegion, AnalysisTheme, Region, Theme

SUMMARY_FEATURES = ["bold", "italic", "link", "ol", "ul"]
RESEARCH_UNIT_PAGE_TYPES = ["research_centers.ResearchCenterPage", "research_centers.ProgrammePage"]


class AnalysisIndexPage(RoutablePageMixin, Page):
    """All analyses, with facets (theme, region, type, series, centre, author, language, year), a
    search box and sort orders; and a landing page per theme and per region:
    ``themes/<slug>/`` and ``regions/<slug>/`` below the index."""

    intro = RichTextField(_("introduction"), blank=True, features=SUMMARY_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["publications.HomePage"]
    subpage_types = ["publications.AnalysisPage"]
    # One per language: the listing, the feeds and the centre and expert pages all list the
    # public analyses of a language, wherever in that language's tree they are.
    max_count_per_parent = 1
    page_description = _("The list of all analyses. One per language.")
    template = "pages/analysis_index_page.html"

    PAGE_SIZE = 12

    class Meta:
        verbose_name = _("analyses index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(extra_context(self, request, **kwargs))
        return context

    @classmethod
    def landing_path(cls, kind, slug):
        """The path of a theme's or region's landing page below the index ("themes/<slug>/"),
        for an index page loaded as a plain Page as well."""
        return cls.get_resolver().reverse(f"{kind}_route", slug)

    @path("")
    def index_route(self, request):
        return self.render(request)

    @re_path(r"^themes/(?P<slug>[-a-zA-Z0-9_]{1,100})/$")
    def theme_route(self, request, slug):
        return self._landing(request, Theme, "theme", slug)

    @re_path(r"^regions/(?P<slug>[-a-zA-Z0-9_]{1,100})/$")
    def region_route(self, request, slug):
        return self._landing(request, Region, "region", slug)

    def _landing(self, request, model, kind, slug):
        """A term's landing page, under its slug in this index's language. The slug of another
        language's version of the term leads (301) to this language's, so that a link carried
        over from the other language lands on the same term; a term with no version in this
        language keeps the slug it has."""
        terms = list(model.objects.filter(slug=slug).order_by("pk"))
        if not terms:
            raise Http404
        term = next((term for term in terms if term.locale_id == self.locale_id), None)
        if term is None:
            version = terms[0].get_translation_or_none(self.locale_id)
            if version is not None and version.slug != slug:
                return HttpResponsePermanentRedirect(
                    self.url + self.landing_path(kind, version.slug) + _query(request)
                )
            term = terms[0]
        return self.render(request, fixed={kind: (term.slug,)}, landing=term, landing_kind=kind)


def _query(request):
    query = request.GET.urlencode()
    return f"?{query}" if query else ""


class _DeferredIndexing(threading.local):
    """The ids of the analyses saved in this thread while indexing is deferred (None: it is
    not)."""

    saved = None


_deferred = _DeferredIndexing()


@contextmanager
def indexing_deferred():
    """Within this block, an analysis saved is not indexed on its own: its id joins the set
    yielded, and the caller indexes them all afterwards, in bulk (an import indexes thousands
    of analyses in a few writes: ``publications.importing.jobs``; one at a time, each write
    costs Wagtail's PostgreSQL backend a pass over the whole index)."""
    previous = _deferred.saved
    _deferred.saved = set()
    try:
        yield _deferred.saved
    finally:
        _deferred.saved = previous


def reindex(instance):
    """Update the search index entry of ``instance`` through Wagtail's own index task."""
    if instance.pk:
        if _deferred.saved is not None:
            _deferred.saved.add(instance.pk)
            return
        insert_or_update_object_task.enqueue(
            instance._meta.app_label, instance._meta.model_name, str(instance.pk)
        )


class AnalysisPage(RoutablePageMixin, Page):
    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    publication_date = models.DateField(
        _("publication date"), default=datetime.date.today, db_index=True
    )
    analysis_type = models.ForeignKey(
        "publications.AnalysisType",
        verbose_name=_("type"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="analyses",
    )
    series = models.ForeignKey(
        "publications.Series",
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="analyses",
    )
    series_number = models.CharField(_("number in series"), max_length=30, blank=True)
    summary = RichTextField(
        _("summary"),
        features=SUMMARY_FEATURES,
        help_text=_("What the analysis finds, in a few paragraphs. Shown on the analysis page."),
    )
    body = StreamField(AnalysisBodyBlock(), verbose_name=_("key points and body"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Its “Alt text (description)” is what screen readers say: it must describe what the "
            "image shows, unless the image is ticked as decorative."
        ),
    )
    cover_is_decorative = models.BooleanField(
        _("decorative cover (no alt text)"),
        default=False,
        help_text=_(
            "Tick only if the cover adds nothing a reader needs (a pattern, a colour): screen "
            "readers then skip it."
        ),
    )
    cover_alt_text = models.CharField(
        _("cover's alt text in this language"),
        max_length=255,
        blank=True,
        help_text=_(
            "What the cover shows, in this page's language, when the image's description is in "
            "another language."
        ),
    )
    themes = ClusterTaggableManager(
        through=AnalysisTheme, blank=True, verbose_name=_("themes"), related_name="analyses"
    )
    regions = ClusterTaggableManager(
        through=AnalysisRegion, blank=True, verbose_name=_("regions"), related_name="analyses"
    )
    isbn = models.CharField(
        _("ISBN"),
        max_length=17,
        blank=True,
        validators=[validate_isbn],
        help_text=_("ISBN-10 or ISBN-13, with or without hyphens; the check digit is verified."),
    )
    issn = models.CharField(
        _("ISSN"),
        max_length=9,
        blank=True,
        validators=[validate_issn],
        help_text=_("Only if it differs from the series' ISSN."),
    )
    doi = models.CharField(
        _("DOI"),
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text=_("e.g. 10.1234/abc-567"),
    )
    # Where the analysis came from when it was imported (``manage.py import_analyses``): the
    # identifier it has in the catalogue it was moved from, so that importing the same file again
    # updates this page instead of creating another. Unique when set; empty for the others.
    external_id = models.CharField(
        _("external identifier"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("The analysis' identifier in the catalogue it was imported from."),
    )
    pdf = models.ForeignKey(
        "publications.PublicationDocument",
        verbose_name=_("full analysis (PDF)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The full text in this page's language. Only real, unprotected PDFs are accepted."
        ),
    )
    has_no_pdf = models.BooleanField(
        _("This analysis has no PDF"),
        default=False,
        help_text=_(
            "Tick when it is published without a full text to download: the checklist then "
            "stops asking for one."
        ),
    )

    content_panels = Page.content_panels + [
        # What is done and what is missing before it can be submitted or published
        # (publications.readiness).
        ChecklistPanel(heading=_("Before publication")),
        FieldPanel("subtitle"),
        # A handful of types and series: a select, not a modal chooser.
        FieldRowPanel(
            [FieldPanel("publication_date"), FieldPanel("analysis_type", widget=forms.Select)]
        ),
        FieldRowPanel([FieldPanel("series", widget=forms.Select), FieldPanel("series_number")]),
        InlinePanel("authors", heading=_("Authors"), label=_("Author"), min_num=0),
        FieldPanel("summary"),
        FieldPanel("pdf"),
        FieldPanel("has_no_pdf"),
        MultiFieldPanel(
            [
                FieldPanel("cover_image"),
                FieldPanel("cover_is_decorative"),
                FieldPanel("cover_alt_text"),
            ],
            heading=_("Cover image"),
        ),
        FieldPanel("body"),
    ]
    classification_panels = [
        # Picked from the lists by id, several at once (publications.admin_choosers).
        MultipleChooserPanel(
            "theme_items",
            chooser_field_name="tag",
            heading=_("Themes"),
            label=_("Theme"),
            help_text=_(
                "What the analysis is about, from the list of themes: readers find it under each "
                "theme's page, filter and feed. Choose several at once; search by name."
            ),
        ),
        MultipleChooserPanel(
            "region_items",
            chooser_field_name="tag",
            heading=_("Regions"),
            label=_("Region"),
            help_text=_(
                "The places it covers, as precisely as the list allows (Kenya rather than Africa): "
                "a region is also found under the regions it is part of."
            ),
        ),
        InlinePanel(
            "research_units",
            heading=_("Research centres and programmes"),
            label=_("Centre or programme"),
        ),
        InlinePanel(
            "related_analysis_links",
            heading=_("Related analyses"),
            label=_("Related analysis"),
            help_text=_("Shown first, in this order; the list is completed automatically."),
        ),
        InlinePanel(
            "excluded_related_links",
            heading=_("Never show as related"),
            label=_("Excluded analysis"),
            help_text=_("Analyses the automatic list of related analyses must leave out."),
        ),
        MultiFieldPanel(
            [FieldPanel("isbn"), FieldPanel("issn"), FieldPanel("doi")],
            heading=_("Identifiers"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(classification_panels, heading=_("Classification")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    # Boosts: a match in the title ranks first, one in the summary next, then the rest (body,
    # authors, terms, PDF text). The database backend turns boosts into PostgreSQL's tsvector
    # weights, the same four for every model (A to D, from all the boosts in use: Wagtail's
    # images and documents use 10, Page's title 2), so these reuse those two values: the title
    # here weighs A (1.0), the summary B (0.2), the rest D (0.01). SQLite's FTS5 ranking ignores
    # boosts (README, "Search"). Changing a boost takes effect once `update_index` has run.
    search_fields = Page.search_fields + [
        index.SearchField("title", boost=10),
        index.SearchField("subtitle"),
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("isbn"),
        index.FilterField("publication_date"),
        index.FilterField("analysis_type"),
        index.SearchField("author_names"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields("regions", [index.SearchField("name")]),
        # The text of the PDF, extracted once on upload (PublicationDocument.text).
        index.RelatedFields("pdf", [index.SearchField("text")]),
    ]

    base_form_class = AnalysisEditorForm
    # An ISBN or a DOI names one edition: a translation (Wagtail's "Translate" copies the page)
    # or a copy is another one, whose editor enters its own, if it has any.
    # The external identifier names the imported record: a copy or a translation is another page.
    exclude_fields_in_copy = ["isbn", "doi", "external_id"]
    parent_page_types = ["publications.AnalysisIndexPage"]
    subpage_types = []
    template = "pages/analysis_page.html"

    class Meta:
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="pub_analysis_external_id_unique",
            )
        ]

    # Wagtail's own indexing runs on post_save, which fires before a clustered page saves its
    # authors, themes and regions: the page would be indexed with the old ones. It is off for
    # analyses, which save() indexes once those are saved (and signals.py takes them out of the
    # index when they are deleted). Each update of the index costs Wagtail's PostgreSQL backend
    # a pass over the whole index table (its title norms): once per save, not twice.
    search_auto_update = False

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        if not is_draft_bookkeeping(kwargs.get("update_fields")):
            reindex(self)  # a task, like Wagtail's own
        return result

    def clean(self):
        super().clean()
        self.isbn = compact_isbn(self.isbn) if self.isbn else ""
        self.issn = compact_issn(self.issn) if self.issn else ""

    def full_clean(self, *args, **kwargs):
        # Normalise before field validation, so "doi:10.1/x" or "978-..." validate as typed.
        self.doi = normalise_doi(self.doi)
        super().full_clean(*args, **kwargs)

    def author_names(self):
        """The authors' names readers see (publications.selectors.author_names), as one text for
        the search index."""
        return " ".join(provider(self, "author names")(self))

    @property
    def isbn_display(self):
        return format_isbn(self.isbn)

    @property
    def issn_display(self):
        """The analysis' own ISSN, or its series' ISSN."""
        if self.issn:
            return format_issn(self.issn)
        if self.series_id and self.series.issn:
            return self.series.issn_display
        return ""

    @cached_property
    def teaser(self):
        """Plain-text abstract for cards: the search description if written, else the summary."""
        # Paragraph boundaries become spaces, so "…end.</p><p>Next…" does not read "end.Next".
        text = self.search_description or strip_tags(self.summary.replace("</p>", "</p> "))
        return Truncator(" ".join(text.split())).words(60)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(extra_context(self, request, **kwargs))
        return context

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.render(request)

    @re_path(r"^cite/(?P<fmt>bib|ris|json)/$")
    def cite_route(self, request, fmt):
        """The citation as a file: BibTeX, RIS or CSL-JSON (publications.citation), from the
        CSL-JSON record the read side makes (publications.metadata)."""
        renderer, content_type, extension = citation.FORMATS[fmt]
        item = provider(self, "citation")(self, request)
        response = HttpResponse(renderer(item), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.slug[:80]}.{extension}"'
        response["X-Robots-Tag"] = "noindex"
        return response


class AnalysisAuthor(Orderable):
    """One author, in the order editors set: an expert of the institute (linked to their page) or
    a co-author from outside, by name."""

    page = ParentalKey(AnalysisPage, on_delete=models.CASCADE, related_name="authors")
    expert = models.ForeignKey(
        "research_centers.ExpertPage",
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_analyses",
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("For a co-author who has no expert page here."),
    )
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)

    panels = [
        FieldPanel("expert", widget=ExpertChooser),
        FieldPanel("name"),
        FieldPanel("affiliation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("author")
        indexes = [models.Index(fields=["expert", "page"], name="pub_author_expert_page_idx")]

    def clean(self):
        super().clean()
        if bool(self.expert_id) == bool(self.name.strip()):
            raise ValidationError(
                _("Choose an expert, or type the name of an outside co-author (one, not both).")
            )


class AnalysisResearchUnit(Orderable):
    """A research centre or programme the analysis belongs to."""

    page = ParentalKey(AnalysisPage, on_delete=models.CASCADE, related_name="research_units")
    unit = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("centre or programme"),
        on_delete=models.CASCADE,
        related_name="analysis_links",
    )

    panels = [PageChooserPanel("unit", page_type=RESEARCH_UNIT_PAGE_TYPES)]

    class Meta(Orderable.Meta):
        verbose_name = _("research centre or programme")
        indexes = [models.Index(fields=["unit", "page"], name="pub_unit_unit_page_idx")]

    def clean(self):
        super().clean()
        allowed = {label.lower() for label in RESEARCH_UNIT_PAGE_TYPES}
        if self.unit_id:
            content_type = self.unit.content_type
            if f"{content_type.app_label}.{content_type.model}" not in allowed:
                raise ValidationError({"unit": _("Choose a research centre or a programme.")})


class RelatedAnalysis(Orderable):
    """An editor's pick for "Related analyses", shown before the automatic ones."""

    page = ParentalKey(
        AnalysisPage, on_delete=models.CASCADE, related_name="related_analysis_links"
    )
    analysis = models.ForeignKey(
        AnalysisPage,
        verbose_name=_("analysis"),
        on_delete=models.CASCADE,
        related_name="picked_by_links",
    )

    panels = [PageChooserPanel("analysis")]

    class Meta(Orderable.Meta):
        verbose_name = _("related analysis")

    def clean(self):
        super().clean()
        if self.analysis_id and self.page_id and self.analysis_id == self.page_id:
            raise ValidationError({"analysis": _("An analysis cannot be related to itself.")})


class ExcludedRelatedAnalysis(Orderable):
    """An analysis an editor never wants in this page's automatic "Related analyses"."""

    page = ParentalKey(
        AnalysisPage, on_delete=models.CASCADE, related_name="excluded_related_links"
    )
    analysis = models.ForeignKey(
        AnalysisPage,
        verbose_name=_("analysis"),
        on_delete=models.CASCADE,
        related_name="excluded_by_links",
    )

    panels = [PageChooserPanel("analysis", page_type="publications.AnalysisPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("excluded related analysis")
