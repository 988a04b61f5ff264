"""What harvesters have been given: one record per analysis (one language version) that was
public once, kept after the page is unpublished, made private or deleted, as a *deleted* record.

OAI-PMH (``publications.oai``) reads these rows and nothing else, so that what it answers, and
when it says a record changed (its datestamp), are the same thing: the record's Dublin Core and
its sets are written here by ``publications.harvest.sync_records`` after each change readers can
see, and the datestamp moves only when they differ from what was given before, or when the page
stops (or starts again) being public.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HarvestRecord(models.Model):
    # The page's id, not a foreign key: the record outlives a deleted page.
    page_id = models.PositiveBigIntegerField(_("page id"), unique=True)
    translation_key = models.UUIDField(_("translation key"))
    language_code = models.CharField(_("language"), max_length=20)
    datestamp = models.DateTimeField(_("datestamp"), db_index=True)
    deleted = models.BooleanField(_("deleted"), default=False)
    # The oai_dc:dc element as given to harvesters ("" once deleted), and a digest of it and of
    # the record's sets, to tell a change from a publish that changed nothing harvesters see.
    metadata = models.TextField(_("Dublin Core metadata"), blank=True)
    digest = models.CharField(_("digest"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("harvest record")
        verbose_name_plural = _("harvest records")
        indexes = [models.Index(fields=["datestamp", "id"], name="pub_harvest_datestamp_idx")]

    def __str__(self):
        return f"{self.page_id} ({'deleted' if self.deleted else self.language_code})"


class HarvestRecordSet(models.Model):
    """A set a record is in (``theme:12``, ``region:3:7``...), and every set above it."""

    record = models.ForeignKey(HarvestRecord, on_delete=models.CASCADE, related_name="sets")
    spec = models.CharField(_("set"), max_length=200)

    class Meta:
        verbose_name = _("harvest record set")
        constraints = [
            models.UniqueConstraint(fields=["spec", "record"], name="pub_harvest_set_unique")
        ]

    def __str__(self):
        return self.spec
