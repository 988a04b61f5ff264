"""Where each page type may live in the tree."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from publications.models import AnalysisIndexPage, AnalysisPage, HomePage
from research_centers.models import (
    ExpertPage,
    ProgrammePage,
    ResearchCenterPage,
    ResearchCentersIndexPage,
)


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_sits_at_the_root(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertAllowedSubpageTypes(HomePage, {AnalysisIndexPage, ResearchCentersIndexPage})

    def test_analyses_live_only_under_the_analyses_index(self):
        self.assertAllowedParentPageTypes(AnalysisPage, {AnalysisIndexPage})
        self.assertAllowedSubpageTypes(AnalysisPage, set())
        self.assertAllowedSubpageTypes(AnalysisIndexPage, {AnalysisPage})
        self.assertCanNotCreateAt(HomePage, AnalysisPage)

    def test_centres_hold_programmes_and_experts(self):
        self.assertAllowedParentPageTypes(ResearchCenterPage, {ResearchCentersIndexPage})
        self.assertAllowedSubpageTypes(ResearchCenterPage, {ProgrammePage, ExpertPage})
        self.assertAllowedSubpageTypes(ProgrammePage, set())
        self.assertAllowedSubpageTypes(ExpertPage, set())
        self.assertCanNotCreateAt(HomePage, ResearchCenterPage)
