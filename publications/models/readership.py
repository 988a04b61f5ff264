"""Readership figures: how many times each analysis was read and its PDF downloaded, per day.

Plain totals, nothing about a reader: no address, no cookie, no user agent, no time of day. The
counts are kept in each web process's memory and added to these rows in batches, off the request
path (``publications.readership``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyReadership(models.Model):
    """The views of one analysis page (one language version) and the downloads of its PDF, on
    one day (``TIME_ZONE``, UTC)."""

    page = models.ForeignKey(
        "publications.AnalysisPage",
        verbose_name=_("analysis"),
        on_delete=models.CASCADE,
        related_name="readership",
    )
    date = models.DateField(_("date"))
    views = models.PositiveBigIntegerField(_("views"), default=0)
    downloads = models.PositiveBigIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("daily readership")
        verbose_name_plural = _("daily readership")
        constraints = [
            models.UniqueConstraint(fields=["page", "date"], name="pub_readership_page_date")
        ]

    def __str__(self):
        return f"{self.page_id} {self.date}: {self.views} / {self.downloads}"
