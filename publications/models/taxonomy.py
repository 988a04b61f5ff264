"""The controlled vocabularies readers browse by.

Themes and regions are django-taggit tag models with ``free_tagging = False``: in the page editor
an editor can only pick an existing term, and new terms are created on purpose, in the snippet
lists (Taxonomy menu). Regions nest (Africa > East Africa > Kenya).

Every term is translatable (Wagtail's ``TranslatableMixin``): its French version is a row of its
own, with its own name, slug and description, and the same translation key. A term and its
translations are one term: a page may be tagged with any of its versions, and the listing, the
facet counts, the feeds and the landing pages know it by that key (``publications.facet_index``
counts each term once, under the id of its first version), never by its name or slug. So names
and slugs are unique within a language only ("Europe" is a name in English and in French).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel
from wagtail.models import RevisionMixin, TranslatableMixin
from wagtail.search import index

from publications.chooser_widgets import RegionChooser, ThemeChooser
from publications.validators import compact_issn, format_issn, validate_issn


def _unique_in_language(model_name, *fields):
    """A name and a slug are unique within one language, not across languages."""
    return [
        models.UniqueConstraint(
            fields=["locale", field], name=f"pub_{model_name}_{field}_per_locale"
        )
        for field in fields
    ]


class TranslatableTermMixin(TranslatableMixin):
    """What the four vocabularies share: a name and an ASCII slug per language."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        allow_unicode=False,
        help_text=_("The term's address in this language, e.g. securite-et-defense."),
    )

    class Meta(TranslatableMixin.Meta):
        abstract = True

    def __str__(self):
        return self.name

    def slugify(self, tag, i=None):
        # Landing pages and feeds take ASCII slugs only (their URL patterns say so).
        slug = slugify(tag, allow_unicode=False)
        return f"{slug}_{i}" if i is not None else slug


class Theme(RevisionMixin, TranslatableTermMixin, index.Indexed, TagBase):
    free_tagging = False

    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        # The choosers show the terms of the page's language (Wagtail passes ``locale``).
        index.FilterField("locale"),
    ]

    class Meta(TranslatableTermMixin.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]
        constraints = _unique_in_language("theme", "name", "slug")


class Region(RevisionMixin, TranslatableTermMixin, index.Indexed, TagBase):
    free_tagging = False

    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The larger region this one belongs to, e.g. Africa for East Africa."),
    )
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("description"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        # The choosers show the terms of the page's language (Wagtail passes ``locale``).
        index.FilterField("locale"),
    ]

    class Meta(TranslatableTermMixin.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]
        constraints = _unique_in_language("region", "name", "slug")

    def clean(self):
        super().clean()
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A region cannot be part of itself or of one of its parts.")}
                )
            ancestor = ancestor.parent


class AnalysisType(RevisionMixin, TranslatableTermMixin, index.Indexed, models.Model):
    """Note, study, policy brief, report, book... chosen from a list editors keep."""

    panels = [FieldPanel("name"), FieldPanel("slug")]
    search_fields = [index.SearchField("name"), index.FilterField("locale")]

    class Meta(TranslatableTermMixin.Meta):
        verbose_name = _("analysis type")
        verbose_name_plural = _("analysis types")
        ordering = ["name"]
        constraints = _unique_in_language("analysistype", "name", "slug")


class Series(RevisionMixin, TranslatableTermMixin, index.Indexed, models.Model):
    """A publication series (e.g. "Notes de l'Ifri"), which may carry its own ISSN."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=False)
    issn = models.CharField(
        _("ISSN"),
        max_length=9,
        blank=True,
        validators=[validate_issn],
        help_text=_("e.g. 2111-4447; the check digit is verified."),
    )
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("issn"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.FilterField("locale")]

    class Meta(TranslatableTermMixin.Meta):
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["name"]
        constraints = _unique_in_language("series", "name", "slug")

    def save(self, *args, **kwargs):
        self.issn = compact_issn(self.issn)
        super().save(*args, **kwargs)

    @property
    def issn_display(self):
        return format_issn(self.issn)


class AnalysisTheme(ItemBase):
    tag = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="tagged_analyses")
    content_object = ParentalKey(
        "publications.AnalysisPage", on_delete=models.CASCADE, related_name="theme_items"
    )

    panels = [FieldPanel("tag", widget=ThemeChooser, heading=_("theme"))]

    class Meta:
        # Facet counts and filters read (analysis, term) pairs: index-only scans either way.
        indexes = [
            models.Index(fields=["tag", "content_object"], name="pub_theme_tag_page_idx"),
            models.Index(fields=["content_object", "tag"], name="pub_theme_page_tag_idx"),
        ]


class AnalysisRegion(ItemBase):
    tag = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="tagged_analyses")
    content_object = ParentalKey(
        "publications.AnalysisPage", on_delete=models.CASCADE, related_name="region_items"
    )

    panels = [FieldPanel("tag", widget=RegionChooser, heading=_("region"))]

    class Meta:
        # Facet counts and filters read (analysis, term) pairs: index-only scans either way.
        indexes = [
            models.Index(fields=["tag", "content_object"], name="pub_region_tag_page_idx"),
            models.Index(fields=["content_object", "tag"], name="pub_region_page_tag_idx"),
        ]
