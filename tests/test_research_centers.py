"""Centres, programmes and experts as readers get them: what each page shows, archiving,
languages, and a fixed number of SQL queries whatever the number of analyses, people or
programmes."""

from django.contrib.auth.models import Group
from django.db import connection
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import GroupPagePermission

from research_centers import selectors
from research_centers.models import CenterStaffGroup
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    RegionFactory,
    ThemeFactory,
    build_site,
    set_people,
    translate,
)


def photo(name):
    return Image.objects.create(
        title=name, file=get_test_image_file(), description=f"Portrait of {name}"
    )


def make_center(tree, size, name):
    """A centre with ``size`` experts (with photos), programmes, themes, regions, partners,
    featured analyses and 3 * ``size`` analyses spread over the centre and its programmes."""
    center = CenterPageFactory(parent=tree.centers, title=f"{name} centre")
    experts = [
        ExpertPageFactory(parent=center, title=f"{name} expert {i}", photo=photo(f"{name} {i}"))
        for i in range(size + 1)
    ]
    programmes = [
        ProgrammePageFactory(parent=center, title=f"{name} programme {i}") for i in range(size)
    ]
    themes = [ThemeFactory(name=f"{name} theme {i}") for i in range(size)]
    regions = [RegionFactory(name=f"{name} region {i}") for i in range(size)]
    analyses = [
        AnalysisPageFactory(
            parent=tree.analyses,
            title=f"{name} analysis {i}",
            authors=experts[: size + 1],
            units=[center] if i % 2 == 0 else [programmes[0]],
        )
        for i in range(3 * size)
    ]
    set_people(
        center,
        head=experts[0],
        team=experts[1:],
        themes=themes,
        regions=regions,
        featured=analyses[:size],
    )
    center.save_revision().publish()
    set_people(
        programmes[0],
        lead=experts[0],
        members=experts[1:],
        partners=[(f"{name} partner {i}", "https://example.org/") for i in range(size)],
        themes=themes,
        regions=regions,
        featured=analyses[:size],
    )
    programmes[0].save_revision().publish()
    return center, programmes, experts, analyses


class CenterPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.center, cls.programmes, cls.experts, cls.analyses = make_center(cls.tree, 2, "Africa")
        cls.archived_center = CenterPageFactory(
            parent=cls.tree.centers, title="Old Balkans centre", is_archived=True
        )
        cls.archived_programme = ProgrammePageFactory(
            parent=cls.center, title="Closed programme", is_archived=True
        )

    def html(self, page, **params):
        response = self.client.get(page.url, params)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_center_page_shows_head_team_programmes_terms_and_analyses(self):
        html = self.html(self.center)
        for text in [
            "Africa centre",
            "Head of the center",
            "Africa expert 0",
            "Africa expert 2",
            "Portrait of Africa 1",
            "Africa programme 0",
            "Africa programme 1",
            "Africa theme 1",
            "Africa region 0",
            "Featured analyses",
            "Africa analysis 5",
        ]:
            self.assertIn(text, html)
        for expert in self.experts:
            self.assertIn(f'href="{expert.url}"', html)

    def test_archived_programme_is_marked_and_not_listed_as_active(self):
        html = self.html(self.center)
        self.assertIn("Archived programs", html)
        programme_html = self.html(self.archived_programme)
        self.assertIn("archived-notice", programme_html)
        index = self.html(self.tree.centers)
        active, archived = index.split("Archived centers and programs")
        self.assertNotIn("Closed programme", active)
        self.assertNotIn("Old Balkans centre", active)
        self.assertIn("Closed programme", archived)
        self.assertIn("Old Balkans centre", archived)
        self.assertIn("Africa programme 0", active)
        self.assertIn("archived-notice", self.html(self.archived_center))

    def test_programme_page_shows_centre_lead_members_partners_and_analyses(self):
        html = self.html(self.programmes[0])
        for text in [
            "Part of",
            f'href="{self.center.url}"',
            "Program lead",
            "Africa expert 1",
            "Africa partner 1",
            'href="https://example.org/"',
            "Africa analysis 1",
        ]:
            self.assertIn(text, html)
        self.assertNotIn("Africa analysis 0", html.split("All analyses")[1])

    def test_centre_lists_its_programmes_analyses_newest_first_and_paginates(self):
        listed = list(selectors.unit_analyses(self.center))
        self.assertEqual(listed, sorted(self.analyses, key=lambda a: a.publication_date)[::-1])
        self.assertEqual(self.client.get(self.center.url, {"page": 2}).status_code, 404)

    def test_a_later_page_of_analyses_says_its_number_and_is_its_own_canonical_url(self):
        from research_centers.selectors import ANALYSES_PAGE_SIZE

        expert, programme = self.experts[0], self.programmes[0]
        for _ in range(ANALYSES_PAGE_SIZE):
            AnalysisPageFactory(parent=self.tree.analyses, authors=[expert], units=[programme])
        for unit in (self.center, programme, expert):
            first = self.html(unit)
            second = self.client.get(unit.url, {"page": 2}).content.decode()
            self.assertIn(f'<link rel="canonical" href="{unit.full_url}">', first)
            self.assertIn(f'<link rel="canonical" href="{unit.full_url}?page=2">', second)
            self.assertIn(f"<title>{unit.title} (page 2)", second)
            self.assertNotIn("(page ", first.split("</title>")[0])

    def test_expert_page_lists_their_analyses_and_affiliations(self):
        expert = self.experts[1]
        set_people(expert, languages="English, Swahili", email="x@example.org")
        expert.other_centers.set([self.archived_center])
        expert.save_revision().publish()
        html = self.html(expert)
        for text in [
            "Analyses by Africa expert 1",
            "Africa analysis 0",
            "English, Swahili",
            "mailto:x@example.org",
            f'href="{self.center.url}"',
            f'href="{self.archived_center.url}"',
        ]:
            self.assertIn(text, html)

    def test_a_draft_expert_is_left_out_of_the_team(self):
        draft = ExpertPageFactory(parent=self.center, title="Draft person", live=False)
        set_people(self.center, team=[*self.experts[1:], draft])
        self.assertNotIn("Draft person", self.html(self.center))

    def test_french_centre_lists_french_analyses_and_french_experts(self):
        translate(self.tree.home, "fr", title="Accueil")
        translate(self.tree.centers, "fr", title="Centres")
        translate(self.tree.analyses, "fr", title="Analyses")
        center_fr = translate(self.center, "fr", title="Centre Afrique")
        expert_fr = translate(self.experts[1], "fr", title="Africa expert 1", role="Chercheur")
        analysis_fr = translate(self.analyses[0], "fr", title="Analyse en français")
        html = self.html(center_fr)
        self.assertIn("Analyse en français", html)
        self.assertNotIn("Africa analysis 2", html)
        self.assertIn(f'href="{expert_fr.url}"', html)
        self.assertIn("Analyse en français", self.html(expert_fr))
        self.assertIn(analysis_fr.title, [a.title for a in selectors.unit_analyses(center_fr)])


class StaffGroupTests(TestCase):
    def test_a_new_centre_gets_a_staff_group_and_its_translation_the_same_one(self):
        tree = build_site()
        center = CenterPageFactory(parent=tree.centers, title="Pacific centre")
        group = Group.objects.get(name="Research staff: Pacific centre")
        self.assertEqual(
            CenterStaffGroup.objects.get(group=group).translation_key,
            center.translation_key,
        )
        codenames = set(
            GroupPagePermission.objects.filter(group=group, page=center).values_list(
                "permission__codename", flat=True
            )
        )
        self.assertEqual(codenames, {"add_page", "change_page", "lock_page", "unlock_page"})
        translate(tree.home, "fr", title="Accueil")
        translate(tree.centers, "fr", title="Centres")
        center_fr = translate(center, "fr", title="Centre Pacifique")
        self.assertTrue(GroupPagePermission.objects.filter(group=group, page=center_fr).exists())
        self.assertEqual(Group.objects.filter(name__startswith="Research staff: ").count(), 1)

    def test_the_staff_group_follows_the_centre_s_title_unless_renamed_by_hand(self):
        tree = build_site()
        center = CenterPageFactory(parent=tree.centers, title="Pacific centre")
        link = CenterStaffGroup.objects.get(translation_key=center.translation_key)

        center.title = "Indo-Pacific centre"
        center.save_revision().publish()
        link.group.refresh_from_db()
        self.assertEqual(link.group.name, "Research staff: Indo-Pacific centre")

        # A translation's title does not rename it.
        translate(tree.home, "fr", title="Accueil")
        translate(tree.centers, "fr", title="Centres")
        french = translate(center, "fr", title="Centre Indo-Pacifique")
        french.save_revision().publish()
        link.group.refresh_from_db()
        self.assertEqual(link.group.name, "Research staff: Indo-Pacific centre")

        # A name given by an administrator is kept.
        link.group.name = "Asia team"
        link.group.save()
        center.title = "Asia centre"
        center.save_revision().publish()
        link.group.refresh_from_db()
        self.assertEqual(link.group.name, "Asia team")
        self.assertEqual(
            GroupPagePermission.objects.filter(group=link.group, page=center).count(), 4
        )

    def test_a_rename_never_takes_another_group_s_name(self):
        tree = build_site()
        CenterPageFactory(parent=tree.centers, title="Arctic centre")
        other = CenterPageFactory(parent=tree.centers, title="Polar centre")
        other.title = "Arctic centre"
        other.save_revision().publish()
        names = set(
            Group.objects.filter(name__startswith="Research staff: ").values_list("name", flat=True)
        )
        self.assertEqual(
            names, {"Research staff: Arctic centre", "Research staff: Arctic centre (2)"}
        )


class QueryCountTests(TestCase):
    """The same number of queries for a centre with 1 of everything and with 8: the page's own
    queries (research_centers.selectors, counted exactly) and the whole response (the same for
    both sizes, and no more than the baseline: routing, navigation and caches belong to other
    parts of the site and may only make it smaller)."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.small = make_center(cls.tree, 1, "Small")
        cls.large = make_center(cls.tree, 8, "Large")

    def count(self, page):
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return len(context.captured_queries)

    def assert_fixed(self, small_page, large_page, most):
        self.count(small_page)  # warm caches and create the renditions
        self.count(large_page)
        small, large = self.count(small_page), self.count(large_page)
        self.assertEqual(small, large)
        self.assertLessEqual(small, most)

    def assert_context_queries(self, context_function, pages, expected):
        request = RequestFactory().get("/")
        for page in pages:
            self.client.get(page.url)  # create the renditions
            page = type(page).objects.get(pk=page.pk)
            with self.assertNumQueries(expected):
                context_function(page, request)

    def test_centre_page(self):
        self.assert_context_queries(
            selectors.center_page_context, [self.small[0], self.large[0]], CENTER_QUERIES
        )
        self.assert_fixed(self.small[0], self.large[0], CENTER_PAGE_QUERIES)

    def test_programme_page(self):
        programmes = [self.small[1][0], self.large[1][0]]
        self.assert_context_queries(selectors.programme_page_context, programmes, PROGRAMME_QUERIES)
        self.assert_fixed(*programmes, PROGRAMME_PAGE_QUERIES)

    def test_expert_page(self):
        experts = [self.small[2][1], self.large[2][1]]
        self.assert_context_queries(selectors.expert_context, experts, EXPERT_QUERIES)
        self.assert_fixed(*experts, EXPERT_PAGE_QUERIES)

    def test_centres_index(self):
        selectors.centers_index_context(self.tree.centers)  # warm the shared cache
        with self.assertNumQueries(2):
            selectors.centers_index_context(self.tree.centers)
        self.count(self.tree.centers)
        self.assertLessEqual(self.count(self.tree.centers), INDEX_PAGE_QUERIES)


# The pages' own queries (research_centers.selectors). The analyses are found and counted on the
# facet index (publications.facet_index, where a centre's bitmap includes its programmes'): only
# their page of cards is a query.
# A centre: team links, expert keys, experts, their renditions, programmes, themes, regions,
# featured links, their keys, their cards, the analyses' cards, the cards' authors (see
# publications.selectors.card_details: their expert pages and cover renditions are one query more
# each when a card has some, not in this fixture);
CENTER_QUERIES = 12
# a programme: its centre, member links, expert keys, experts, renditions, partners, themes,
# regions, featured links, keys, cards, the analyses' cards, their authors;
PROGRAMME_QUERIES = 13
# an expert: photo, other centres, the centres, links, the analyses' cards, their authors.
EXPERT_QUERIES = 6
# Whole responses, as measured when these pages were written: Wagtail's routing (site, locale,
# the ancestors level by level, aliases, view restrictions) and the header navigation, plus the
# above.
CENTER_PAGE_QUERIES = 22
PROGRAMME_PAGE_QUERIES = 25
EXPERT_PAGE_QUERIES = 18
INDEX_PAGE_QUERIES = 10
