"""The faceted listing of the analyses index (publications.listing): every facet alone and
combined, counts that ignore the facet's own filter, region nesting, sort orders, bad parameters,
noindex, theme/region landing pages, and a fixed number of queries whatever the page size."""

import datetime
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils.http import urlencode

from publications.listing import ListingParams, clean_query
from tests.factories import (
    AnalysisPageFactory,
    AnalysisTypeFactory,
    CenterPageFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    RegionFactory,
    SeriesFactory,
    ThemeFactory,
    build_site,
    translate,
)
from tests.test_listing_pages import INDEX_PAGE_QUERIES


class FacetedListingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        t = cls.themes = {
            "diplomacy": ThemeFactory(name="Diplomacy", slug="diplomacy", description="Cities."),
            "energy": ThemeFactory(name="Energy", slug="energy"),
            "unused": ThemeFactory(name="Unused", slug="unused"),
        }
        africa = RegionFactory(name="Africa", slug="africa", description="The continent.")
        east = RegionFactory(name="East Africa", slug="east-africa", parent=africa)
        kenya = RegionFactory(name="Kenya", slug="kenya", parent=east)
        europe = RegionFactory(name="Europe", slug="europe")
        cls.regions = {"africa": africa, "east": east, "kenya": kenya, "europe": europe}
        brief = AnalysisTypeFactory(name="Policy brief", slug="policy-brief")
        study = AnalysisTypeFactory(name="Study", slug="study")
        notes = SeriesFactory(name="Notes", slug="notes")
        centre = CenterPageFactory(parent=cls.tree.centers, title="Africa Centre", slug="africa-c")
        programme = ProgrammePageFactory(parent=centre, title="Cities", slug="cities-prog")
        expert = ExpertPageFactory(parent=centre, title="Jane Doe", slug="jane-doe")
        cls.centre, cls.programme, cls.expert = centre, programme, expert

        def make(title, year, **kwargs):
            return AnalysisPageFactory(
                parent=cls.tree.analyses,
                title=title,
                publication_date=datetime.date(year, 6, 1),
                **kwargs,
            )

        cls.a = make(
            "Kenyan cities abroad",
            2024,
            themes=[t["diplomacy"]],
            regions=[kenya],
            analysis_type=brief,
            series=notes,
            authors=[expert],
            units=[programme],
        )
        cls.b = make(
            "Energy in East Africa",
            2023,
            themes=[t["energy"]],
            regions=[east],
            analysis_type=study,
            units=[centre],
        )
        cls.c = make(
            "European diplomacy",
            2022,
            themes=[t["diplomacy"], t["energy"]],
            regions=[europe],
            analysis_type=brief,
        )
        cls.d = make("Energy in Europe", 2021, themes=[t["energy"]], regions=[europe])
        cls.draft = make("Secret draft", 2024, themes=[t["diplomacy"]], live=False)
        translate(cls.tree.home, "fr", title="Accueil")
        translate(cls.tree.analyses, "fr", title="Analyses")
        translate(cls.a, "fr", title="Les villes kenyanes")

    def listing(self, path=None, **params):
        response = self.client.get(path or self.tree.analyses.url, params)
        self.assertEqual(response.status_code, 200, params)
        return response

    def titles(self, **params):
        return [card.title for card in self.listing(**params).context["analyses"]]

    def facet(self, response, name):
        facet = next(f for f in response.context["listing"].facets if f.name == name)
        return {value.value: value.count for value in facet.values}

    def test_no_filter_lists_everything_live_newest_first(self):
        self.assertEqual(
            self.titles(),
            [
                "Kenyan cities abroad",
                "Energy in East Africa",
                "European diplomacy",
                "Energy in Europe",
            ],
        )

    def test_each_facet_alone(self):
        cases = {
            "theme": ("diplomacy", {"Kenyan cities abroad", "European diplomacy"}),
            "region": ("europe", {"European diplomacy", "Energy in Europe"}),
            "type": ("study", {"Energy in East Africa"}),
            "series": ("notes", {"Kenyan cities abroad"}),
            "unit": (str(self.programme.pk), {"Kenyan cities abroad"}),
            "author": (str(self.expert.pk), {"Kenyan cities abroad"}),
            "language": ("fr", {"Kenyan cities abroad"}),
        }
        for name, (value, expected) in cases.items():
            with self.subTest(name):
                self.assertEqual(set(self.titles(**{name: value})), expected)

    def test_years(self):
        self.assertEqual(
            set(self.titles(year_from="2022", year_to="2023")),
            {"Energy in East Africa", "European diplomacy"},
        )
        self.assertEqual(self.titles(year_from="2024"), ["Kenyan cities abroad"])

    def test_several_values_of_a_facet_are_alternatives(self):
        titles = self.titles(region=["kenya", "europe"])
        self.assertEqual(
            set(titles), {"Kenyan cities abroad", "European diplomacy", "Energy in Europe"}
        )

    def test_facets_combine(self):
        self.assertEqual(
            self.titles(theme="energy", region="europe"), ["European diplomacy", "Energy in Europe"]
        )
        self.assertEqual(
            self.titles(theme="diplomacy", type="policy-brief", year_to="2023"),
            ["European diplomacy"],
        )
        self.assertEqual(
            self.titles(theme="diplomacy", region="africa", author=str(self.expert.pk)),
            ["Kenyan cities abroad"],
        )

    def test_a_region_includes_its_parts(self):
        self.assertEqual(
            set(self.titles(region="africa")), {"Kenyan cities abroad", "Energy in East Africa"}
        )
        self.assertEqual(self.titles(region="kenya"), ["Kenyan cities abroad"])

    def test_counts_apply_the_other_filters_and_ignore_their_own(self):
        response = self.listing(theme="energy")
        self.assertEqual(self.facet(response, "theme"), {"diplomacy": 2, "energy": 3})
        self.assertEqual(
            self.facet(response, "region"),
            {"africa": 1, "east-africa": 1, "europe": 2},
        )
        self.assertEqual(self.facet(response, "type"), {"policy-brief": 2, "study": 1})
        response = self.listing(theme="diplomacy", region="africa")
        self.assertEqual(self.facet(response, "theme"), {"diplomacy": 1, "energy": 1})
        self.assertEqual(
            self.facet(response, "region"),
            {"africa": 1, "east-africa": 1, "kenya": 1, "europe": 1},
        )
        self.assertEqual(self.facet(response, "author"), {str(self.expert.pk): 1})
        self.assertEqual(self.facet(response, "language"), {"en": 1, "fr": 1})
        years = dict(response.context["listing"].years)
        self.assertEqual(years, {2024: 1})

    def test_unused_terms_and_drafts_are_not_counted(self):
        counts = self.facet(self.listing(), "theme")
        self.assertNotIn("unused", counts)
        self.assertEqual(counts["diplomacy"], 2)  # the draft is not counted

    def test_sort_orders(self):
        self.assertEqual(self.titles(sort="oldest")[0], "Energy in Europe")
        self.assertEqual(self.titles(sort="newest")[0], "Kenyan cities abroad")

    def test_search_within_the_listing_sorted_by_relevance(self):
        response = self.listing(q="energy")
        titles = [card.title for card in response.context["analyses"]]
        # Two by title, one by its theme "Energy"; the title matches rank first.
        self.assertEqual(set(titles[:2]), {"Energy in East Africa", "Energy in Europe"})
        self.assertEqual(titles[2:], ["European diplomacy"])
        self.assertEqual(response.context["listing"].params.sort, "relevance")
        self.assertEqual(self.titles(q="energy", region="europe")[0], "Energy in Europe")
        self.assertEqual(
            self.facet(response, "region"), {"africa": 1, "east-africa": 1, "europe": 2}
        )
        self.assertEqual(self.titles(q="energy", sort="oldest")[0], "Energy in Europe")

    def test_shareable_urls_and_pagination_keep_the_filters(self):
        for _i in range(13):
            AnalysisPageFactory(parent=self.tree.analyses, themes=[self.themes["energy"]])
        response = self.listing(theme="energy")
        html = response.content.decode()
        self.assertIn("?theme=energy&amp;page=2", html)
        page_two = self.listing(theme="energy", page="2")
        self.assertEqual(len(page_two.context["analyses"].object_list), 16 - 12)
        self.assertIn('name="theme" value="energy" checked', html)

    def test_no_results_and_clear_filters(self):
        response = self.listing(theme="diplomacy", type="study")
        html = response.content.decode()
        self.assertIn("No analyses match these filters.", html)
        self.assertIn("Clear filters", html)
        self.assertIn(f'href="{self.tree.analyses.url}"', html)

    def test_active_filters_are_chips_that_each_remove_one_filter(self):
        index = self.tree.analyses.url
        response = self.listing(theme="diplomacy", region="europe", year_from="2022", q="cities")
        chips = {chip.name: chip for chip in response.context["active_filters"]}
        self.assertEqual(list(chips), ["theme", "region", "year_from", "q"])
        self.assertEqual(chips["theme"].url, f"{index}?region=europe&year_from=2022&q=cities")
        self.assertEqual(chips["q"].url, f"{index}?theme=diplomacy&region=europe&year_from=2022")
        # A theme or region chip also leads to its landing page.
        self.assertEqual(chips["theme"].landing_url, f"{index}themes/diplomacy/")
        self.assertEqual(chips["region"].landing_url, f"{index}regions/europe/")
        html = response.content.decode()
        self.assertIn("Remove the filter Theme: Diplomacy", html)
        self.assertIn(f'href="{index}themes/diplomacy/">Diplomacy</a>', html)
        self.assertIn(f'class="chips__clear" href="{index}"', html)
        # Following a chip's URL gives the listing without that filter.
        after = self.client.get(chips["theme"].url)
        self.assertEqual(after.context["listing"].params.theme, ())
        self.assertEqual(after.context["listing"].params.region, ("europe",))

    def test_an_author_chip_is_removed_whatever_language_version_named_it(self):
        translate(self.tree.centers, "fr")
        translate(self.centre, "fr")
        french = translate(self.expert, "fr", title="Jane Doe")
        response = self.listing(author=str(french.pk))
        (chip,) = response.context["active_filters"]
        self.assertEqual((chip.name, chip.label), ("author", "Jane Doe"))
        self.assertEqual(chip.url, self.tree.analyses.url)

    def test_on_a_landing_page_the_chip_of_its_term_leads_back_to_the_index(self):
        landing = f"{self.tree.analyses.url}themes/diplomacy/"
        response = self.listing(landing, type="policy-brief")
        chips = {chip.name: chip for chip in response.context["active_filters"]}
        self.assertEqual(chips["theme"].url, f"{self.tree.analyses.url}?type=policy-brief")
        self.assertEqual(chips["type"].url, landing)
        self.assertEqual(response.context["listing_url"], landing)

    def test_the_form_is_sent_with_a_button_and_long_facets_show_more(self):
        for index in range(9):
            AnalysisPageFactory(
                parent=self.tree.analyses,
                themes=[ThemeFactory(name=f"Zeta {index}", slug=f"zeta-{index}")],
            )
        html = self.listing(theme="zeta-8").content.decode()
        # No script needed: a disclosure, a form and its submit button; the sort order, outside
        # the form, belongs to it.
        self.assertIn('<details class="filters" id="filters" data-filters>', html)
        self.assertIn('<button class="button" type="submit">Apply filters</button>', html)
        self.assertIn('name="sort" form="listing-form"', html)
        # Eleven themes: six shown, five behind "Show 5 more", open since a hidden one is ticked.
        self.assertRegex(html, r'<details class="facet__more" open>\s*<summary>Show 5 more')
        self.assertIn('data-facet-find="Find an author"', self.listing().content.decode())
        self.assertNotIn("facet__more", self.listing(theme="energy", type="study").content.decode())

    def test_bad_parameters_never_give_a_500(self):
        bad = [
            {"page": "abc"},
            {"page": "99999"},
            {"page": "-1"},
            {"theme": "<script>alert(1)</script>"},
            {"theme": "no-such-theme"},
            {"region": "x" * 5000},
            {"year_from": "19999"},
            {"year_to": "abc"},
            {"year_from": "2030", "year_to": "1990"},
            {"sort": "'; DROP TABLE"},
            {"language": "xx"},
            {"q": "a" * 10_000},
            {"q": "\x00<>\"'&%"},
            {"author": ["a"] * 200},
        ]
        for params in bad:
            with self.subTest(params=str(params)[:60]):
                response = self.client.get(self.tree.analyses.url, params)
                self.assertIn(response.status_code, (200, 404))
                self.assertNotIn(b"<script>alert", response.content)
        self.assertEqual(self.client.get(self.tree.analyses.url, {"page": "abc"}).status_code, 404)
        response = self.listing(theme="<script>")
        self.assertEqual(len(response.context["analyses"].object_list), 4)
        self.assertIn(b'<meta name="robots" content="noindex">', response.content)

    def test_several_filters_are_noindex_one_is_not(self):
        self.assertNotIn(b'content="noindex"', self.listing().content)
        self.assertNotIn(b'content="noindex"', self.listing(theme="energy").content)
        self.assertIn(
            b'<meta name="robots" content="noindex">',
            self.listing(theme="energy", region="europe").content,
        )

    def test_params_parse(self):
        params = ListingParams.from_querydict(
            _querydict("theme=a&theme=a&theme=b&year_from=1800&sort=relevance&q=%20x%20%20y")
        )
        self.assertEqual(params.theme, ("a", "b"))
        self.assertIsNone(params.year_from)
        self.assertEqual((params.q, params.sort), ("x y", "relevance"))
        self.assertTrue(params.malformed)
        self.assertLessEqual(len(clean_query("word " * 5000)), 200)
        self.assertEqual(clean_query('a "b" c\'d <x> OR_'), "a b c d x OR")

    def test_theme_and_region_landing_pages(self):
        response = self.listing(path=f"{self.tree.analyses.url}themes/diplomacy/")
        html = response.content.decode()
        self.assertIn("<h1>Diplomacy</h1>", html)
        self.assertIn("Cities.", html)
        self.assertEqual(
            {card.title for card in response.context["analyses"]},
            {"Kenyan cities abroad", "European diplomacy"},
        )
        # On the Wagtail site's origin like every canonical URL, not the request's host.
        landing_url = f"{self.tree.analyses.full_url}themes/diplomacy/"
        self.assertIn(f'rel="canonical" href="{landing_url}"', html)
        self.assertIn(f'<meta property="og:url" content="{landing_url}">', html)
        self.assertIn("/en/feeds/theme/diplomacy.rss", html)
        response = self.listing(path=f"{self.tree.analyses.url}regions/africa/")
        self.assertEqual(
            {card.title for card in response.context["analyses"]},
            {"Kenyan cities abroad", "Energy in East Africa"},
        )
        self.assertIn("The continent.", response.content.decode())
        for path in ["themes/nope/", "regions/nope/", "themes/%3Cscript%3E/"]:
            self.assertEqual(self.client.get(self.tree.analyses.url + path).status_code, 404)

    def test_a_landing_page_has_its_own_hreflang_and_open_graph(self):
        # "Kenyan cities abroad" (diplomacy, Kenya) is in French too; "European diplomacy" not.
        html = self.listing(path=f"{self.tree.analyses.url}themes/diplomacy/").content.decode()
        french_index = self.tree.analyses.get_translation(self.french_locale())
        self.assertIn(
            f'<link rel="alternate" hreflang="en" href="{self.tree.analyses.full_url}'
            'themes/diplomacy/">',
            html,
        )
        self.assertIn(
            f'<link rel="alternate" hreflang="fr" href="{french_index.full_url}themes/diplomacy/">',
            html,
        )
        self.assertIn('<meta property="og:title" content="Diplomacy">', html)
        self.assertEqual(self.client.get(f"{french_index.url}themes/diplomacy/").status_code, 200)
        # Europe has no French analysis: no French landing page, so no hreflang="fr" to it.
        html = self.listing(path=f"{self.tree.analyses.url}regions/europe/").content.decode()
        self.assertNotIn('hreflang="fr"', html.split("</head>")[0])
        self.assertEqual(self.client.get(f"{french_index.url}regions/europe/").status_code, 404)

    def french_locale(self):
        from wagtail.models import Locale

        return Locale.objects.get(language_code="fr")

    def test_the_form_works_without_javascript(self):
        html = self.listing().content.decode()
        self.assertIn('method="get"', html)
        self.assertIn('type="submit"', html)
        self.assertNotIn("style=", html)
        self.assertNotIn("<script>", html)


def _querydict(query):
    from django.http import QueryDict

    return QueryDict(query)


class ListingQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.themes = [ThemeFactory() for _ in range(3)]
        cls.regions = [RegionFactory() for _ in range(3)]
        cls.centre = CenterPageFactory(parent=cls.tree.centers)
        cls.expert = ExpertPageFactory(parent=cls.centre)

    def url(self, params):
        return f"{self.tree.analyses.url}?{urlencode(params, doseq=True)}"

    def count(self, params, warm=True):
        if warm:
            self.client.get(self.url(params))
        with CaptureQueriesContext(connection) as context:
            self.assertEqual(self.client.get(self.url(params)).status_code, 200)
        return len(context.captured_queries)

    def add(self, number, new_people_and_terms=True):
        """``number`` analyses; each with a new expert, series and theme unless
        ``new_people_and_terms`` is false (then only analyses are published). Committed, as the
        admin's requests commit."""
        with self.captureOnCommitCallbacks(execute=True):
            self._add(number, new_people_and_terms)

    def _add(self, number, new_people_and_terms):
        centre = CenterPageFactory(parent=self.tree.centers) if new_people_and_terms else None
        for i in range(number):
            AnalysisPageFactory(
                parent=self.tree.analyses,
                themes=self.themes[: 1 + i % 3],
                regions=self.regions[i % 3 :],
                authors=[ExpertPageFactory(parent=centre) if centre else self.expert, "Outside"],
                units=[centre or self.centre],
                series=SeriesFactory() if centre else None,
            )
            if new_people_and_terms:
                ThemeFactory()

    def test_counts_do_not_grow_with_the_number_of_cards_and_terms(self):
        cases = [
            {},
            {"theme": self.themes[0].slug, "region": [r.slug for r in self.regions]},
            {"q": "analysis", "year_from": "2000"},
        ]
        self.add(1)
        small = [self.count(params) for params in cases]
        self.add(30)
        large = [self.count(params) for params in cases]
        self.assertEqual(small, large)
        self.assertEqual(small[0], LISTING_QUERIES)
        # The ranked search is kept under the content generation: not run again when warm.
        self.assertEqual(small[2], LISTING_QUERIES)

    def test_the_index_is_built_in_a_fixed_number_of_queries(self):
        from publications import facet_index

        def build():
            facet_index.build()  # the restricted sections, the generation: into the shared cache
            with self.assertNumQueries(INDEX_BUILD_QUERIES):
                return facet_index.build()

        self.add(1)
        small = build()
        self.add(30)
        large = build()
        self.assertEqual((len(small.everything), len(large.everything)), (1, 31))

    def test_a_publish_patches_the_index_in_a_fixed_number_of_queries(self):
        self.add(1)
        params = {"theme": self.themes[0].slug}
        self.count(params)
        # Publishing analyses starts a new content generation: the next listing reads the log of
        # changes and the analyses it names again (however many), then no more.
        self.add(1, new_people_and_terms=False)
        after_one = self.count(params, warm=False)
        self.assertLessEqual(after_one, LISTING_QUERIES + NEW_GENERATION_QUERIES + PATCH_QUERIES)
        self.assertGreaterEqual(after_one, LISTING_QUERIES + PATCH_QUERIES)
        self.assertEqual(self.count(params, warm=False), LISTING_QUERIES)
        self.add(30, new_people_and_terms=False)
        self.assertEqual(self.count(params, warm=False), after_one)

    def test_a_change_of_the_taxonomy_rebuilds_the_index(self):
        self.add(2)
        params = {"theme": self.themes[0].slug}
        self.count(params)
        # Without the OAI-PMH records' sync, which the change also starts once it commits (run at
        # once in tests): it would read the new generation first, and the listing would not.
        with mock.patch("publications.harvest_jobs.sync"):
            with self.captureOnCommitCallbacks(execute=True):
                ThemeFactory(name="A new theme")
        rebuilt = self.count(params, warm=False)
        self.assertEqual(
            rebuilt,
            LISTING_QUERIES + NEW_GENERATION_QUERIES + CATCH_UP_QUERIES + INDEX_BUILD_QUERIES,
        )

    def test_another_process_takes_the_index_from_the_shared_cache(self):
        from publications import facet_index

        self.add(3)
        params = {"theme": self.themes[0].slug}
        self.count(params)
        facet_index.forget()  # as if in another app process
        self.assertEqual(self.count(params, warm=False), LISTING_QUERIES)
        # ... and catches up on what changed since that snapshot, without building it again.
        facet_index.forget()
        self.add(1, new_people_and_terms=False)
        caught_up = self.count(params, warm=False)
        self.assertLessEqual(caught_up, LISTING_QUERIES + NEW_GENERATION_QUERIES + PATCH_QUERIES)
        self.assertGreaterEqual(caught_up, LISTING_QUERIES + PATCH_QUERIES)

    def _another_process_is_building(self):
        """Take the build lock in the shared cache as another process does, with no snapshot
        there yet, and keep aside the index it will deliver."""
        from django.core.cache import cache

        from publications import facet_index

        self.add(2)
        self.count({"theme": self.themes[0].slug})
        built = facet_index.current()
        facet_index.forget()
        cache.delete(facet_index.SNAPSHOT_KEY)
        self.assertTrue(cache.add(facet_index.BUILD_LOCK_KEY, "other", timeout=60))
        return cache, built

    def test_a_process_waits_for_the_index_another_one_is_building(self):
        import threading

        from publications import facet_index

        cache, built = self._another_process_is_building()
        delivery = threading.Timer(
            0.3, lambda: cache.set(facet_index.SNAPSHOT_KEY, built, timeout=60)
        )
        delivery.start()
        try:
            queries = self.count({"theme": self.themes[0].slug}, warm=False)
        finally:
            delivery.join()
        # Nothing built here: the snapshot is of the current generation.
        self.assertEqual(queries, LISTING_QUERIES)

    def test_a_process_builds_the_index_itself_when_the_other_one_never_delivers(self):
        from unittest import mock

        from publications import facet_index

        self._another_process_is_building()
        with mock.patch.object(facet_index, "BUILD_WAIT", 0.2):
            queries = self.count({"theme": self.themes[0].slug}, warm=False)
        self.assertEqual(queries, LISTING_QUERIES + INDEX_BUILD_QUERIES)

    def test_while_another_process_rebuilds_a_process_keeps_its_own_index(self):
        from django.core.cache import cache

        from publications import facet_index

        self.add(2)
        params = {"theme": self.themes[0].slug}
        self.count(params)
        held = facet_index.current()
        with self.captureOnCommitCallbacks(execute=True):
            ThemeFactory(name="A new theme")  # a rebuild is needed...
        self.assertTrue(cache.add(facet_index.BUILD_LOCK_KEY, "other", timeout=60))  # ...elsewhere
        queries = self.count(params, warm=False)
        self.assertLessEqual(queries, LISTING_QUERIES + NEW_GENERATION_QUERIES + CATCH_UP_QUERIES)
        self.assertIs(facet_index.current(), held)  # nothing built or waited for here
        # What it renders meanwhile is cached as made from the older data: rendered again next.
        with self.settings(PAGE_CACHE_ENABLED=True):
            self.assertEqual(self.client.get(self.url(params))["X-Page-Cache"], "miss")
            self.assertNotEqual(self.client.get(self.url(params))["X-Page-Cache"], "hit")

    def test_a_new_analysis_is_listed_and_counted_at_once(self):
        self.add(2)
        theme = self.themes[0]
        before = self.client.get(self.url({"theme": theme.slug})).context["listing"]
        AnalysisPageFactory(parent=self.tree.analyses, title="Just out", themes=[theme])
        after = self.client.get(self.url({"theme": theme.slug})).context["listing"]
        self.assertEqual(after.page.paginator.count, before.page.paginator.count + 1)
        self.assertEqual(after.page.object_list[0].title, "Just out")
        counts = {value.value: value.count for value in after.facets[0].values}
        self.assertEqual(counts[theme.slug], before.page.paginator.count + 1)


# tests/test_listing_pages.py's INDEX_PAGE_QUERIES: the filtering and the counts are done in
# memory (publications.facet_index); a query (q=) adds the search.
LISTING_QUERIES = INDEX_PAGE_QUERIES
# Building the index (publications.facet_index.build): the latest change (its generation), the
# locales, themes, regions, types, series, centres and programmes, experts, the public analyses,
# the links to themes, regions, centres and programmes, authors.
INDEX_BUILD_QUERIES = 13
# After any change, the generation is read from the database, and the lookups kept under it are
# made again: the restricted sections (unless the change's own request made them already: the
# search indexing of an analysis names its public authors), the header navigation, the site's
# name in each language (publications.site_names).
NEW_GENERATION_QUERIES = 4
# Reading the log of changes since the index's generation.
CATCH_UP_QUERIES = 1
# Catching up on published analyses, however many: the log, their ids in every state (to take
# them out), the public ones, their links to themes, regions, centres and programmes, authors.
PATCH_QUERIES = CATCH_UP_QUERIES + 6


class PeopleChangesTests(TestCase):
    """Publishing, renaming or unpublishing an expert, a centre or a programme patches the facet
    index (their labels and their bitmaps), as readers see on the listing."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.centre = CenterPageFactory(parent=cls.tree.centers, title="Energy centre")
        cls.programme = ProgrammePageFactory(parent=cls.centre, title="Grids programme")
        cls.expert = ExpertPageFactory(parent=cls.centre, title="Ada Lovelace", live=False)
        cls.analysis = AnalysisPageFactory(
            parent=cls.tree.analyses, authors=[cls.expert], units=[cls.programme]
        )

    def facet(self, name):
        listing = self.client.get(self.tree.analyses.url).context["listing"]
        facet = next(facet for facet in listing.facets if facet.name == name)
        return {value.label: value.count for value in facet.values}

    def test_an_expert_published_renamed_and_unpublished(self):
        self.assertEqual(self.facet("author"), {})
        with self.captureOnCommitCallbacks(execute=True):
            self.expert.save_revision().publish()
        self.assertEqual(self.facet("author"), {"Ada Lovelace": 1})
        expert = type(self.expert).objects.get(pk=self.expert.pk)
        with self.captureOnCommitCallbacks(execute=True):
            expert.title = "Ada King"
            expert.save_revision().publish()
        self.assertEqual(self.facet("author"), {"Ada King": 1})
        with self.captureOnCommitCallbacks(execute=True):
            type(expert).objects.get(pk=expert.pk).unpublish()
        self.assertEqual(self.facet("author"), {})

    def test_a_programme_counts_for_its_centre_and_leaves_with_its_page(self):
        self.assertEqual(self.facet("unit"), {"Energy centre": 1, "Grids programme": 1})
        programme = type(self.programme).objects.get(pk=self.programme.pk)
        with self.captureOnCommitCallbacks(execute=True):
            programme.title = "Power grids programme"
            programme.save_revision().publish()
        self.assertEqual(self.facet("unit"), {"Energy centre": 1, "Power grids programme": 1})
        with self.captureOnCommitCallbacks(execute=True):
            type(programme).objects.get(pk=programme.pk).unpublish()
        # Still an analysis of the centre the programme belongs to.
        self.assertEqual(self.facet("unit"), {"Energy centre": 1})
        centre_page = self.client.get(self.centre.url).context["analyses"]
        self.assertEqual([card.pk for card in centre_page.object_list], [self.analysis.pk])


class IdentitiesTests(TestCase):
    """Two experts with the same name and slug, under two centres, are two authors: two facet
    values, two feeds, each with its own analyses. And a language has one analyses index."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.smiths = []
        for centre_title in ("Energy centre", "Africa centre"):
            centre = CenterPageFactory(parent=cls.tree.centers, title=centre_title)
            smith = ExpertPageFactory(parent=centre, title="John Smith", slug="john-smith")
            AnalysisPageFactory(
                parent=cls.tree.analyses,
                title=f"By the Smith of the {centre_title}",
                authors=[smith],
            )
            cls.smiths.append(smith)

    def test_two_experts_with_one_slug_are_two_authors(self):
        listing = self.client.get(self.tree.analyses.url).context["listing"]
        authors = next(facet for facet in listing.facets if facet.name == "author")
        self.assertEqual(
            sorted(value.value for value in authors.values),
            sorted(str(smith.pk) for smith in self.smiths),
        )
        for smith, centre_title in zip(
            self.smiths, ("Energy centre", "Africa centre"), strict=True
        ):
            listed = self.client.get(self.tree.analyses.url, {"author": smith.pk})
            self.assertEqual(
                [card.title for card in listed.context["analyses"]],
                [f"By the Smith of the {centre_title}"],
            )
            feed = self.client.get(f"/en/feeds/expert/{smith.pk}.rss").content.decode()
            self.assertIn(f"By the Smith of the {centre_title}", feed)
            self.assertEqual(feed.count("<item>"), 1)
            page = self.client.get(smith.url).context["analyses"]
            self.assertEqual(len(page.object_list), 1)

    def test_a_language_has_one_analyses_index(self):
        from publications.models import AnalysisIndexPage

        self.assertFalse(AnalysisIndexPage.can_create_at(self.tree.home))
