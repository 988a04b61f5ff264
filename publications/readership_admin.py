"""*Reports > Readership* in the admin: the readership figures (``publications.readership``) for
editors.

- **Readership** (``readership:index``): every analysis (each language version on its own row)
  with its views and PDF downloads over a period (the last 30 days unless another is chosen),
  sortable, filtered by centre and language; CSV and XLSX export (Wagtail's
  ``SpreadsheetExportMixin``).
- **An analysis** or **a centre** (``readership:analysis``, ``readership:centre``): the daily
  figures over the period, as a chart (inline SVG drawn here, with presentation attributes only:
  no script, no style attribute) and a table; CSV and XLSX export.

Who sees what: ``publications.readership_report.scope_for`` (editors, moderators and
administrators every analysis, research staff their centre's, anyone else nothing: the admin's
"no permission" answer).
"""

import datetime
import math

import django_filters
from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton

from publications import readership_report
from publications.memo import per_request
from publications.models import AnalysisPage, DailyReadership

DEFAULT_PERIOD_DAYS = 30
MAX_PERIOD_DAYS = 731  # two years, a point a day on the chart


def user_scope(request):
    return per_request(
        request, "readership-scope", lambda: readership_report.scope_for(request.user)
    )


# --- The period, and the filters -------------------------------------------------------------


def resolve_period(value, today=None):
    """(start, end) from the period filter's value (either end may be missing): by default the
    last ``DEFAULT_PERIOD_DAYS`` days up to today."""
    today = today or timezone.localdate()
    end = _day(value.stop if value else None) or today
    start = _day(value.start if value else None) or end - datetime.timedelta(
        days=DEFAULT_PERIOD_DAYS - 1
    )
    return start, end


def _day(value):
    """The filter's bounds are datetimes (the start and the end of the days chosen)."""
    return value.date() if isinstance(value, datetime.datetime) else value


class PeriodForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if "period" in cleaned:
            start, end = resolve_period(cleaned["period"])
            if start > end:
                self.add_error("period", _("The period ends before it starts."))
            elif (end - start).days + 1 > MAX_PERIOD_DAYS:
                self.add_error(
                    "period",
                    _("Choose a period of at most %(days)s days.") % {"days": MAX_PERIOD_DAYS},
                )
        return cleaned


def _whole_period(queryset, name, value):
    """The period chooses which figures are added up, not which rows are listed."""
    return queryset


class PeriodFilterSet(WagtailFilterSet):
    period = django_filters.DateFromToRangeFilter(
        label=_("Period"), widget=DateRangePickerWidget, method=_whole_period
    )

    class Meta:
        model = DailyReadership
        form = PeriodForm
        fields = []


class AnalysesFilterSet(PeriodFilterSet):
    centre = django_filters.ChoiceFilter(
        label=_("Research centre"),
        method="filter_centre",
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = AnalysisPage
        form = PeriodForm
        fields = []

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["centre"].extra["choices"] = [
            (centre.key, centre.title) for centre in readership_report.centres(scope)
        ]

    def filter_centre(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=readership_report.analyses_of_centres([value]).values("pk"))


# --- The chart --------------------------------------------------------------------------------


class Chart:
    """The daily figures as an SVG line chart: coordinates and labels, computed here, drawn by
    ``admin/readership/chart.html``. Coordinates are strings, so that no locale writes them with
    a decimal comma."""

    width, height = 800, 250
    left, top, right, bottom = 64, 36, 780, 216
    # Colours with enough contrast on the admin's light and dark backgrounds; downloads are
    # dashed too, so that the two lines differ without colour.
    SERIES = (
        ("views", _("Views"), "#2a6ebb", ""),
        ("downloads", _("Downloads"), "#c2410c", "6 4"),
    )
    MARKERS_UP_TO = 62  # days: a dot on each point, beyond that the lines alone
    X_LABELS = 6

    def __init__(self, days):
        self.days = days
        peak = max((max(day.views, day.downloads) for day in days), default=0)
        self.step = nice_step(peak / 4)
        self.top_value = self.step * 4

    def x(self, index):
        if len(self.days) < 2:
            return (self.left + self.right) / 2
        return self.left + (self.right - self.left) * index / (len(self.days) - 1)

    def y(self, value):
        return self.bottom - (self.bottom - self.top) * value / self.top_value

    @cached_property
    def series(self):
        lines = []
        for key, label, colour, dash in self.SERIES:
            points = [(self.x(i), self.y(getattr(day, key))) for i, day in enumerate(self.days)]
            lines.append(
                {
                    "key": key,
                    "label": label,
                    "colour": colour,
                    "dash": dash,
                    "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                    "markers": [(f"{x:.1f}", f"{y:.1f}") for x, y in points]
                    if len(points) <= self.MARKERS_UP_TO
                    else [],
                }
            )
        return lines

    @cached_property
    def y_ticks(self):
        return [{"value": self.step * k, "y": f"{self.y(self.step * k):.1f}"} for k in range(5)]

    @cached_property
    def x_ticks(self):
        count = len(self.days)
        if count <= self.X_LABELS:
            indexes = range(count)
        else:
            indexes = sorted(
                {round(k * (count - 1) / (self.X_LABELS - 1)) for k in range(self.X_LABELS)}
            )
        return [
            {"date": self.days[i].date, "x": f"{self.x(i):.1f}", "anchor": self.anchor(i)}
            for i in indexes
        ]

    def anchor(self, index):
        """Where a date label hangs from its point: the first and the last inside the chart."""
        if len(self.days) == 1 or 0 < index < len(self.days) - 1:
            return "middle"
        return "start" if index == 0 else "end"

    @cached_property
    def legend(self):
        return [
            {**line, "x": str(self.left + 150 * n), "text_x": str(self.left + 150 * n + 28)}
            for n, line in enumerate(self.series)
        ]


def nice_step(raw):
    """The smallest of 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500... that is at least ``raw``
    (1 at least): four such steps make the top of the chart."""
    if raw <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(raw))
    multiples = (1, 2, 2.5, 5, 10) if magnitude >= 10 else (1, 2, 5, 10)
    return int(next(m * magnitude for m in multiples if m * magnitude >= raw))


# --- The views -------------------------------------------------------------------------------


class ReadershipViewMixin:
    """Who may see figures at all (``scope``), and the period the filters chose."""

    header_icon = "view"
    default_period_days = DEFAULT_PERIOD_DAYS

    def dispatch(self, request, *args, **kwargs):
        self.scope = user_scope(request)
        if self.scope is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def period(self):
        value = None
        if self.filters is not None and self.filters.is_valid():
            value = self.filters.form.cleaned_data.get("period")
        return resolve_period(value)

    @cached_property
    def period_errors(self):
        if self.filters is None or self.filters.is_valid():
            return []
        return [error for errors in self.filters.form.errors.values() for error in errors]

    def period_query(self):
        """The period's part of the query string, for links to the other views."""
        return {
            name: self.request.GET[name]
            for name in ("period_from", "period_to")
            if self.request.GET.get(name)
        }

    def get_filename(self):
        start, end = self.period
        return f"{self.export_filename}-{start.isoformat()}-{end.isoformat()}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period_start"], context["period_end"] = self.period
        context["period_errors"] = self.period_errors
        return context


class ReadershipIndexView(ReadershipViewMixin, ReportView):
    page_title = _("Readership")
    index_url_name = "readership:index"
    index_results_url_name = "readership:index_results"
    results_template_name = "admin/readership/index_results.html"
    filterset_class = AnalysesFilterSet
    default_ordering = "-views"
    paginate_by = 50
    export_filename = "readership"
    list_export = ["title", "locale.language_code", "views", "downloads", "full_url"]
    export_headings = {
        "title": _("Analysis"),
        "locale.language_code": _("Language"),
        "views": _("Views"),
        "downloads": _("Downloads"),
        "full_url": _("URL"),
    }

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Analysis"),
                sort_key="title",
                get_url=lambda analysis: self.daily_url("readership:analysis", analysis.pk),
            ),
            Column(
                "language",
                label=_("Language"),
                accessor=lambda analysis: analysis.locale.get_display_name(),
            ),
            NumberColumn("views", label=_("Views"), sort_key="views"),
            NumberColumn("downloads", label=_("Downloads"), sort_key="downloads"),
        ]

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "scope": self.scope}

    def daily_url(self, name, argument):
        url = reverse(name, args=[argument])
        query = self.period_query()
        return f"{url}?{urlencode(query)}" if query else url

    def get_base_queryset(self):
        start, end = self.period
        return readership_report.analyses_with_totals(
            readership_report.visible_analyses(self.scope), start, end
        )

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        return queryset.order_by(ordering, "title", "pk")

    @cached_property
    def chosen_centres(self):
        """The centres whose daily figures the header links to: the one the filter chose, else
        the research staff's own."""
        key = None
        if self.filters is not None and self.filters.is_valid():
            key = self.filters.form.cleaned_data.get("centre")
        if key:
            found = readership_report.centre(self.scope, key)
            return [found] if found else []
        if self.scope.everything:
            return []
        return readership_report.centres(self.scope)

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Daily figures: %(centre)s") % {"centre": centre.title},
                url=self.daily_url("readership:centre", centre.key),
                icon_name="view",
            )
            for centre in self.chosen_centres
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = readership_report.totals(self.object_list, *self.period)
        context["total_views"] = totals["views"] or 0
        context["total_downloads"] = totals["downloads"] or 0
        return context


class DailyReadershipView(ReadershipViewMixin, ReportView):
    """The daily figures of some analyses (one analysis, or a centre's) over the period."""

    results_template_name = "admin/readership/daily_results.html"
    filterset_class = PeriodFilterSet
    paginate_by = 100
    columns = [
        Column("date", label=_("Day")),
        NumberColumn("views", label=_("Views")),
        NumberColumn("downloads", label=_("Downloads")),
    ]
    list_export = ["date", "views", "downloads"]
    export_headings = {"date": _("Day"), "views": _("Views"), "downloads": _("Downloads")}

    def analyses(self):
        """The analyses whose days are shown: each view of this base says which (one analysis,
        or a centre's)."""
        raise NotImplementedError

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("readership:index"), "label": _("Readership")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    @cached_property
    def days(self):
        start, end = self.period
        return readership_report.daily(self.analyses(), start, end)

    def get_queryset(self):
        return self.days

    def get_filtered_queryset(self):
        # The days are a list, made for the period: nothing for the filters to do to it.
        return self.get_queryset()

    def get_index_url(self):
        return reverse(self.index_url_name, kwargs=self.kwargs)

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, kwargs=self.kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chart"] = Chart(self.days)
        context["is_filtering"] = False  # a period gives days, not "matches"
        context["total_views"] = sum(day.views for day in self.days)
        context["total_downloads"] = sum(day.downloads for day in self.days)
        return context


class AnalysisReadershipView(DailyReadershipView):
    index_url_name = "readership:analysis"
    index_results_url_name = "readership:analysis_results"
    export_filename = "readership-analysis"

    @cached_property
    def analysis(self):
        analysis = get_object_or_404(
            AnalysisPage.objects.select_related("locale"), pk=self.kwargs["page_id"]
        )
        if not readership_report.may_see_analysis(self.scope, analysis):
            raise PermissionDenied
        return analysis

    def get(self, request, *args, **kwargs):
        self.analysis  # noqa: B018 - refuse before anything is computed
        return super().get(request, *args, **kwargs)

    def analyses(self):
        return AnalysisPage.objects.filter(pk=self.analysis.pk)

    def get_page_title(self):
        return self.analysis.title

    def get_page_subtitle(self):
        return self.analysis.locale.get_display_name()

    def get_filename(self):
        return super().get_filename().replace("analysis", f"analysis-{self.analysis.pk}", 1)


class CentreReadershipView(DailyReadershipView):
    index_url_name = "readership:centre"
    index_results_url_name = "readership:centre_results"
    export_filename = "readership-centre"

    @cached_property
    def centre(self):
        key = self.kwargs["key"]
        found = readership_report.centre(readership_report.Scope(everything=True), key)
        if found is None:
            raise Http404
        if not self.scope.includes_centre(key):
            raise PermissionDenied
        return found

    def get(self, request, *args, **kwargs):
        self.centre  # noqa: B018 - refuse before anything is computed
        return super().get(request, *args, **kwargs)

    def analyses(self):
        return readership_report.analyses_of_centres([self.centre.key])

    def get_page_title(self):
        return self.centre.title


# --- Menu, URLs and the permission ----------------------------------------------------------


class ReadershipMenuItem(MenuItem):
    def is_shown(self, request):
        return user_scope(request) is not None


@hooks.register("register_reports_menu_item")
def readership_menu_item():
    return ReadershipMenuItem(
        _("Readership"), reverse("readership:index"), name="readership", icon_name="view", order=50
    )


urlpatterns = [
    path("", ReadershipIndexView.as_view(), name="index"),
    path("results/", ReadershipIndexView.as_view(results_only=True), name="index_results"),
    path("analyses/<int:page_id>/", AnalysisReadershipView.as_view(), name="analysis"),
    path(
        "analyses/<int:page_id>/results/",
        AnalysisReadershipView.as_view(results_only=True),
        name="analysis_results",
    ),
    path("centres/<uuid:key>/", CentreReadershipView.as_view(), name="centre"),
    path(
        "centres/<uuid:key>/results/",
        CentreReadershipView.as_view(results_only=True),
        name="centre_results",
    ),
]


@hooks.register("register_admin_urls")
def readership_urls():
    return [
        path("reports/readership/", include((urlpatterns, "readership"), namespace="readership"))
    ]


@hooks.register("register_permissions")
def readership_permission():
    """ "Can view daily readership" in the group editor, so that an administrator can give the
    figures of every analysis to another group than Editors and Moderators."""
    app_label, codename = readership_report.PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)
