"""The log of changes readers can see, kept in the database."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

# What Wagtail writes on a page when a draft is saved (Page.save_revision) or the page is locked:
# nothing a reader sees, so neither a change nor a reason to index the page again.
DRAFT_BOOKKEEPING_FIELDS = frozenset(
    {
        "comments",
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def is_draft_bookkeeping(update_fields):
    """Does a save that writes only ``update_fields`` leave what readers see unchanged?"""
    return bool(update_fields) and set(update_fields) <= DRAFT_BOOKKEEPING_FIELDS


class ContentChange(models.Model):
    """One change of what readers can see: a page published, unpublished, moved or deleted; a
    term, document, image, locale, site or view restriction saved or deleted (see
    ``publications.signals``). Saving a draft is not one.

    The latest row is the content *generation* (``publications.freshness``): a cached page or
    lookup made under an older one is stale. It is a row, not a counter in the cache, so that
    it commits with the change it records and a restored dump brings back its own generation:
    everything cached after the dump was taken is then stale. ``token`` tells two rows with the
    same id apart (the id sequence is restored with the dump and starts again from there).

    ``kind`` and ``translation_key`` say what the facet index (``publications.facet_index``) has
    to read again: the language versions of one analysis, of one expert, centre or programme,
    nothing (a page it does not index, a document, an image), or everything."""

    PAGES = "pages"
    ANALYSIS = "analysis"
    PERSON_OR_UNIT = "person-or-unit"
    EVERYTHING = "everything"
    KINDS = [
        (PAGES, _("a page or file the facet index does not hold")),
        (ANALYSIS, _("an analysis, in every language")),
        (PERSON_OR_UNIT, _("an expert, centre or programme, in every language")),
        (EVERYTHING, _("anything else")),
    ]

    token = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=KINDS)
    translation_key = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("content change")
        verbose_name_plural = _("content changes")

    def __str__(self):
        return f"{self.pk} {self.kind} {self.translation_key or ''}".strip()
