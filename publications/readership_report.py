"""What the readership report reads (*Reports > Readership*, ``publications.readership_admin``):
who may see which analyses' figures, each analysis's totals over a period, and the daily figures
of one analysis or one centre. Every query of the report is here; the views only orchestrate.

Who sees what (``scope_for``):

- whoever has ``publications.view_dailyreadership`` (Editors and Moderators, by a data
  migration; administrators, who have every permission): every analysis;
- research staff (the members of a centre's staff group, ``CenterStaffGroup``): the analyses of
  their centre, that is, whose *Research centres and programmes* name the centre or one of its
  programmes, in any language;
- anyone else: nothing (the views refuse them).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import BigIntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from wagtail.models import Page

from publications.models import AnalysisPage, AnalysisResearchUnit, DailyReadership
from research_centers.models import CenterStaffGroup, ResearchCenterPage

PERMISSION = "publications.view_dailyreadership"


@dataclass(frozen=True)
class Scope:
    """The analyses whose figures a user may see: all of them, or those of some centres (by the
    centres' translation keys)."""

    everything: bool
    centre_keys: frozenset = field(default_factory=frozenset)

    def includes_centre(self, key):
        return self.everything or key in self.centre_keys


def scope_for(user):
    """The user's ``Scope``, or None when they may see no figures."""
    if not (user.is_authenticated and user.is_active):
        return None
    if user.has_perm(PERMISSION):
        return Scope(everything=True)
    keys = frozenset(
        CenterStaffGroup.objects.filter(group__user=user).values_list("translation_key", flat=True)
    )
    return Scope(everything=False, centre_keys=keys) if keys else None


# --- Centres and their analyses --------------------------------------------------------------


@dataclass(frozen=True)
class Centre:
    key: str  # the translation key, as text (it stands for the centre in every language)
    title: str


def centres(scope):
    """The centres the scope covers, one per translation key (titled in the site's default
    language where the centre has a page in it), by title."""
    pages = ResearchCenterPage.objects.values_list(
        "translation_key", "title", "locale__language_code"
    ).order_by("path")
    if not scope.everything:
        pages = pages.filter(translation_key__in=scope.centre_keys)
    titles = {}
    for key, title, language in pages:
        if key not in titles or language == settings.LANGUAGE_CODE:
            titles[key] = title
    return sorted(
        (Centre(str(key), title) for key, title in titles.items()),
        key=lambda centre: centre.title.casefold(),
    )


def centre(scope, key):
    """The centre with this translation key, if the scope covers it (else None)."""
    return next((found for found in centres(scope) if found.key == str(key)), None)


def analyses_of_centres(keys):
    """The analyses (every language) whose centres or programmes include one of these centres
    (by translation key) or one of its programmes."""
    condition = Q(pk__in=[])
    for path in ResearchCenterPage.objects.filter(translation_key__in=keys).values_list(
        "path", flat=True
    ):
        condition |= Q(path__startswith=path)
    units = Page.objects.filter(condition).values("pk")
    return AnalysisPage.objects.filter(
        pk__in=AnalysisResearchUnit.objects.filter(unit__in=units).values("page_id")
    )


def visible_analyses(scope):
    if scope.everything:
        return AnalysisPage.objects.all()
    return analyses_of_centres(scope.centre_keys)


def may_see_analysis(scope, analysis):
    return scope.everything or visible_analyses(scope).filter(pk=analysis.pk).exists()


# --- Figures -----------------------------------------------------------------------------------


def _total(column, start, end):
    rows = (
        DailyReadership.objects.filter(page=OuterRef("pk"), date__range=(start, end))
        .order_by()
        .values("page")
        .annotate(total=Sum(column))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=BigIntegerField()), Value(0))


def analyses_with_totals(analyses, start, end):
    """``analyses`` with ``views`` and ``downloads`` over the period (both days included): the
    live ones, and any other that has figures in it (unpublished since)."""
    return (
        analyses.select_related("locale")
        .annotate(views=_total("views", start, end), downloads=_total("downloads", start, end))
        .filter(Q(live=True) | Q(views__gt=0) | Q(downloads__gt=0))
    )


def totals(analyses, start, end):
    """{"views": n, "downloads": n} of ``analyses`` over the period."""
    found = DailyReadership.objects.filter(
        page__in=analyses.order_by().values("pk"), date__range=(start, end)
    ).aggregate(views=Sum("views"), downloads=Sum("downloads"))
    return {name: number or 0 for name, number in found.items()}


@dataclass(frozen=True)
class Day:
    date: datetime.date
    views: int
    downloads: int


def daily(analyses, start, end):
    """The figures of ``analyses`` added up, for every day of the period (days without any
    included, as zeros), oldest first."""
    found = {
        row["date"]: row
        for row in DailyReadership.objects.filter(page__in=analyses.values("pk"))
        .filter(date__range=(start, end))
        .order_by()
        .values("date")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
    }
    days = []
    for offset in range((end - start).days + 1):
        date = start + datetime.timedelta(days=offset)
        row = found.get(date, {})
        days.append(Day(date, row.get("views", 0), row.get("downloads", 0)))
    return days
