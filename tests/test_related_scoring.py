"""Related analyses, scored: editor picks first, then shared themes, regions, centres/programmes
and authors (weighted), recent work ahead of old, editor exclusions honoured, a fixed number of
queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publications import selectors
from publications.models import ExcludedRelatedAnalysis
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    RegionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def years_ago(years):
    return TODAY - datetime.timedelta(days=int(365.25 * years))


@pytest.fixture
def world(site_tree):
    index = site_tree.analyses
    centre = CenterPageFactory(parent=site_tree.centers)
    expert = ExpertPageFactory(parent=centre, title="Amina Okafor")
    theme, theme2, region = ThemeFactory(), ThemeFactory(), RegionFactory()
    page = AnalysisPageFactory(
        parent=index,
        themes=[theme, theme2],
        regions=[region],
        authors=[expert],
        units=[centre],
        publication_date=years_ago(0.1),
    )
    return {
        "index": index,
        "centre": centre,
        "expert": expert,
        "theme": theme,
        "theme2": theme2,
        "region": region,
        "page": page,
    }


def titles(page, **kwargs):
    context_units = [link.unit for link in page.research_units.all()]
    experts = [a.expert for a in page.authors.all() if a.expert_id]
    return [
        card.title
        for card in selectors.related_analyses(
            page,
            unit_keys={u.translation_key for u in context_units},
            expert_keys={e.translation_key for e in experts},
            **kwargs,
        )
    ]


def test_each_shared_relation_counts_and_weights_rank(world):
    index = world["index"]
    old = years_ago(10)
    AnalysisPageFactory(
        parent=index, title="Same author", authors=[world["expert"]], publication_date=old
    )
    AnalysisPageFactory(
        parent=index, title="Same centre", units=[world["centre"]], publication_date=old
    )
    AnalysisPageFactory(
        parent=index,
        title="Two themes",
        themes=[world["theme"], world["theme2"]],
        publication_date=old,
    )
    AnalysisPageFactory(
        parent=index, title="Same region", regions=[world["region"]], publication_date=old
    )
    AnalysisPageFactory(parent=index, title="Nothing shared", themes=[ThemeFactory()])
    # Two themes 2*3=6, author 4, centre 2, region 2 (newest first among equals: same date, pk).
    assert titles(world["page"], limit=10) == [
        "Two themes",
        "Same author",
        "Same region",
        "Same centre",
    ]


def test_recent_work_comes_first_at_equal_relevance(world):
    index = world["index"]
    AnalysisPageFactory(
        parent=index, title="Old", themes=[world["theme"]], publication_date=years_ago(8)
    )
    AnalysisPageFactory(
        parent=index, title="Recent", themes=[world["theme"]], publication_date=years_ago(0.5)
    )
    AnalysisPageFactory(
        parent=index, title="Fairly recent", themes=[world["theme"]], publication_date=years_ago(2)
    )
    assert titles(world["page"]) == ["Recent", "Fairly recent", "Old"]
    # Recency is a bonus, not a trump: much more in common beats recent.
    AnalysisPageFactory(
        parent=index,
        title="Old but close",
        themes=[world["theme"], world["theme2"]],
        authors=[world["expert"]],
        publication_date=years_ago(15),
    )
    assert titles(world["page"])[0] == "Old but close"


def test_picks_first_and_exclusions_honoured(world):
    index = world["index"]
    pick = AnalysisPageFactory(parent=index, title="Pick", publication_date=years_ago(20))
    excluded = AnalysisPageFactory(
        parent=index, title="Excluded", themes=[world["theme"], world["theme2"]]
    )
    AnalysisPageFactory(parent=index, title="Shared", themes=[world["theme"]])
    page = world["page"]
    page.related_analysis_links.create(analysis=pick)
    ExcludedRelatedAnalysis.objects.create(page=page, analysis=excluded)
    assert titles(page) == ["Pick", "Shared"]


def test_exclusions_of_a_draft_being_previewed_are_read_from_memory(world):
    excluded = AnalysisPageFactory(parent=world["index"], title="Excluded", themes=[world["theme"]])
    page = world["page"]
    page.excluded_related_links = [ExcludedRelatedAnalysis(analysis=excluded)]
    assert "Excluded" not in titles(page)


def test_a_fixed_number_of_queries_whatever_the_number_of_candidates(
    world, django_capture_on_commit_callbacks
):
    page = world["page"]

    def count():
        with CaptureQueriesContext(connection) as context:
            selectors.related_analyses(
                page,
                themes=[],
                regions=[world["region"]],
                unit_keys=[],
                expert_keys=[world["expert"].translation_key],
            )
        return len(context.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        AnalysisPageFactory(parent=world["index"], regions=[world["region"]])
    count()  # builds the facet index and caches the section pages, once per generation
    small = count()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(15):
            AnalysisPageFactory(
                parent=world["index"], regions=[world["region"]], themes=[world["theme"]]
            )
    count()
    # The picks, the exclusions, the cards: the scoring is done on the facet index, in memory.
    assert count() == small == 3
