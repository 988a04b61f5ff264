"""Pages are found by Wagtail's own routing (no page model overrides it, nor the privacy check),
for every kind of URL: pages at any depth, drafts, missing pages, RoutablePageMixin sub-URLs,
private pages, aliases."""

from django.test import TestCase
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction

from publications.models import AnalysisIndexPage, AnalysisPage, HomePage, Theme
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    ThemeFactory,
    UserFactory,
    build_site,
)


def wagtail_route(home, path):
    """What Wagtail's own routing (Page.route, one tree level at a time) finds."""
    from django.http import Http404
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    components = [part for part in path.split("/") if part][1:]  # without the language
    try:
        return Page.route(home, request, components)
    except Http404:
        return None


class RoutingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.theme = ThemeFactory(name="Energy", slug="energy")
        cls.analysis = AnalysisPageFactory(parent=cls.tree.analyses, themes=[cls.theme])
        cls.draft = AnalysisPageFactory(parent=cls.tree.analyses, live=False)
        cls.center = CenterPageFactory(parent=cls.tree.centers)
        cls.programme = ProgrammePageFactory(parent=cls.center)
        cls.expert = ExpertPageFactory(parent=cls.center)

    def test_every_page_is_found_with_the_right_type(self):
        for page in [
            self.tree.home,
            self.tree.analyses,
            self.analysis,
            self.tree.centers,
            self.center,
            self.programme,
            self.expert,
        ]:
            response = self.client.get(page.url)
            self.assertEqual(response.status_code, 200, page.url)
            self.assertEqual(type(response.context["page"]), type(page.specific), page.url)
            self.assertEqual(response.context["page"].pk, page.pk)

    def test_drafts_and_missing_pages_are_404(self):
        for url in [
            f"/en/analyses/{self.draft.slug}/",
            "/en/analyses/no-such-analysis/",
            "/en/no-such-section/",
            f"/en/analyses/{self.analysis.slug}/no-such-child/",
            f"/en/analyses/{self.analysis.slug}/a/b/c/d/",
        ]:
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_a_page_below_a_draft_section_is_served_as_wagtail_would(self):
        home = HomePage.objects.get(pk=self.tree.home.pk)
        for path in [self.analysis.url, f"/en/analyses/{self.draft.slug}/", "/en/nothing/"]:
            expected = wagtail_route(home, path)
            found = self.client.get(path)
            self.assertEqual(found.status_code, 200 if expected else 404, path)

    def test_routable_sub_urls_still_work(self):
        # Sub-URLs of RoutablePageMixin pages (the themes landing of the index, the citation
        # files of an analysis), as far as the pages have them.
        if hasattr(AnalysisIndexPage, "get_subpage_urls"):
            response = self.client.get(f"{self.tree.analyses.url}themes/{self.theme.slug}/")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(
                self.client.get(f"{self.tree.analyses.url}themes/nope/").status_code, 404
            )
        if hasattr(AnalysisPage, "get_subpage_urls"):
            names = [getattr(url, "name", "") for url in AnalysisPage.get_subpage_urls()]
            if "cite_route" in names:
                response = self.client.get(f"{self.analysis.url}cite/bib/")
                self.assertEqual(response.status_code, 200)

    def test_a_child_page_wins_over_nothing_and_theme_slugs_never_shadow_pages(self):
        Theme.objects.filter(pk=self.theme.pk).update(slug=self.analysis.slug)
        response = self.client.get(self.analysis.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["page"].pk, self.analysis.pk)

    def test_no_page_model_overrides_wagtail_s_routing(self):
        from django.apps import apps

        for model in apps.get_models():
            if issubclass(model, Page) and model.__module__.startswith(
                ("publications", "research_centers")
            ):
                self.assertIs(
                    model.route,
                    (RoutablePageMixin if issubclass(model, RoutablePageMixin) else Page).route,
                    model,
                )
                self.assertIs(model.get_view_restrictions, Page.get_view_restrictions, model)

    def test_private_pages_still_ask_for_a_login(self):
        PageViewRestriction.objects.create(
            page=self.center, restriction_type=PageViewRestriction.LOGIN
        )
        for page in [self.center, self.programme, self.expert]:
            response = self.client.get(page.url)
            self.assertEqual(response.status_code, 302, page.url)
            self.assertIn("login", response["Location"])
            self.assertIn("no-cache", response["Cache-Control"])
        self.client.force_login(UserFactory())
        self.assertEqual(self.client.get(self.programme.url).status_code, 200)

    def test_an_alias_is_routed_and_restricted_as_its_source(self):
        alias = self.analysis.create_alias(parent=self.tree.centers, update_slug="alias-copy")
        response = self.client.get(alias.url)
        self.assertEqual(response.status_code, 200)
        PageViewRestriction.objects.create(
            page=self.analysis, restriction_type=PageViewRestriction.LOGIN
        )
        self.assertEqual(self.client.get(alias.url).status_code, 302)
