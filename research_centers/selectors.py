"""Read-side queries of the research centres area (see publications.selectors for the rules)."""

from django.core.paginator import Paginator
from wagtail.models import Page

from publications.models.analysis import page_or_404
from publications.selectors import analysis_cards, live_public, newest_first

ANALYSES_PAGE_SIZE = 10


def centers_with_programmes(index_page):
    """The centres under the index, each with its live programmes, in two queries."""
    from research_centers.models import ProgrammePage, ResearchCenterPage

    centers = list(
        live_public(ResearchCenterPage.objects).child_of(index_page).select_related("locale")
    )
    programmes = (
        live_public(ProgrammePage.objects).descendant_of(index_page).select_related("locale")
    )
    by_parent_path = {}
    for programme in programmes:
        by_parent_path.setdefault(programme.path[: -Page.steplen], []).append(programme)
    return [(center, by_parent_path.get(center.path, [])) for center in centers]


def unit_analyses(unit):
    """Analyses of a centre (its programmes' included) or of a programme, newest first."""
    return newest_first(
        analysis_cards().filter(research_units__unit__path__startswith=unit.path).distinct()
    )


def research_unit_context(unit, request):
    paginator = Paginator(unit_analyses(unit), ANALYSES_PAGE_SIZE)
    return {"analyses": page_or_404(paginator, request.GET.get("page"))}


def expert_context(expert, request):
    paginator = Paginator(
        newest_first(analysis_cards().filter(authors__expert=expert).distinct()),
        ANALYSES_PAGE_SIZE,
    )
    return {"analyses": page_or_404(paginator, request.GET.get("page"))}
