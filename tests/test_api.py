"""The public read API at /api/v2/ (publications.api, Wagtail's API v2): public items only, the
listing's filters, the PDF link, identifiers per language version, fixed queries, throttling and
read-only CORS."""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import (
    AnalysisPageFactory,
    AnalysisTypeFactory,
    CenterPageFactory,
    DocumentFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    RegionFactory,
    ThemeFactory,
    build_site,
    translate,
)


class PublicApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.energy = ThemeFactory(name="Energy", slug="energy")
        cls.unused = ThemeFactory(name="Unused", slug="unused")
        africa = cls.africa = RegionFactory(name="Africa", slug="africa")
        kenya = RegionFactory(name="Kenya", slug="kenya", parent=africa)
        cls.centre = CenterPageFactory(parent=cls.tree.centers, title="Energy Centre")
        cls.programme = ProgrammePageFactory(parent=cls.centre, title="Grids")
        cls.expert = ExpertPageFactory(parent=cls.centre, title="Jane Doe")
        cls.draft_expert = ExpertPageFactory(parent=cls.centre, title="Not Yet", live=False)
        cls.report = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Power in Kenya",
            publication_date=datetime.date(2025, 11, 5),
            themes=[cls.energy],
            regions=[kenya],
            authors=[cls.expert, "Ann Other", cls.draft_expert],
            units=[cls.programme],
            pdf=DocumentFactory(pages=2),
            isbn="9780306406157",
            doi="10.1234/power-kenya",
            analysis_type=AnalysisTypeFactory(name="Report", slug="report"),
        )
        cls.older = AnalysisPageFactory(
            parent=cls.tree.analyses, title="Older", publication_date=datetime.date(2019, 1, 1)
        )
        cls.draft = AnalysisPageFactory(parent=cls.tree.analyses, title="Draft", live=False)
        cls.private = AnalysisPageFactory(parent=cls.tree.analyses, title="Private")
        PageViewRestriction.objects.create(
            page=cls.private, restriction_type=PageViewRestriction.LOGIN
        )
        translate(cls.tree.home, "fr")
        translate(cls.tree.analyses, "fr")
        cls.french = translate(
            cls.report, "fr", title="L'électricité au Kenya", isbn=cls.report.isbn
        )
        cls.root = cls.tree.home.get_site().root_url

    def get(self, url, status=200, **params):
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, status, response.content[:500])
        return response.json()

    def titles(self, **params):
        return [item["title"] for item in self.get("/api/v2/analyses/", **params)["items"]]

    def test_public_analyses_newest_first(self):
        data = self.get("/api/v2/analyses/")
        self.assertEqual(data["meta"]["total_count"], 3)
        self.assertEqual(
            [item["title"] for item in data["items"]],
            ["L'électricité au Kenya", "Power in Kenya", "Older"],
        )
        item = data["items"][1]
        self.assertEqual(item["meta"]["html_url"], f"{self.root}{self.report.url}")
        self.assertEqual(
            item["meta"]["detail_url"], f"{self.root}/api/v2/analyses/{self.report.pk}/"
        )
        self.assertEqual(item["pdf"]["url"], f"{self.root}{self.report.pdf.url}")
        self.assertEqual(item["pdf"]["pages"], 2)
        self.assertEqual(item["publication_date"], "2025-11-05")
        # A draft expert is not named (their page is not public yet).
        self.assertEqual([a["name"] for a in item["authors"]], ["Jane Doe", "Ann Other"])
        self.assertEqual(item["authors"][0]["expert"]["id"], self.expert.pk)

    def test_drafts_and_private_analyses_are_not_found(self):
        for page in (self.draft, self.private):
            with self.subTest(page.title):
                self.get(f"/api/v2/analyses/{page.pk}/", status=404)
        # Not even with an editor's session: the API reads no session.
        admin = get_user_model().objects.create_superuser("boss", "b@example.org", "pw")
        self.client.force_login(admin)
        self.get(f"/api/v2/analyses/{self.draft.pk}/", status=404)
        self.assertNotIn("Draft", self.titles())

    def test_detail_gives_identifiers_of_the_language_version(self):
        data = self.get(f"/api/v2/analyses/{self.report.pk}/")
        self.assertEqual(
            data["identifiers"],
            {"isbn": "978-0-306-40615-7", "doi": "10.1234/power-kenya", "issn": ""},
        )
        self.assertEqual(
            data["themes"], [{"id": self.energy.pk, "slug": "energy", "name": "Energy"}]
        )
        self.assertEqual([u["title"] for u in data["research_units"]], ["Grids"])
        self.assertIn("What this analysis finds", data["summary"])
        french = self.get(f"/api/v2/analyses/{self.french.pk}/")
        self.assertEqual(french["identifiers"]["isbn"], "")
        self.assertEqual(french["meta"]["locale"], "fr")

    def test_the_listings_filters(self):
        cases = [
            ({"theme": "energy"}, {"Power in Kenya", "L'électricité au Kenya"}),
            ({"region": "africa"}, {"Power in Kenya", "L'électricité au Kenya"}),
            ({"unit": str(self.centre.pk)}, {"Power in Kenya", "L'électricité au Kenya"}),
            ({"author": str(self.expert.pk)}, {"Power in Kenya", "L'électricité au Kenya"}),
            ({"type": "report"}, {"Power in Kenya", "L'électricité au Kenya"}),
            ({"year_to": "2020"}, {"Older"}),
            ({"locale": "fr"}, {"L'électricité au Kenya"}),
            ({"language": "fr", "locale": "en"}, {"Power in Kenya"}),
            ({"theme": "energy", "year_to": "2020"}, set()),
            ({"q": "Older"}, {"Older"}),
        ]
        for params, expected in cases:
            with self.subTest(params):
                self.assertEqual(set(self.titles(**params)), expected)

    def test_bad_parameters(self):
        self.get("/api/v2/analyses/", status=400, theme="not a slug!")
        self.get("/api/v2/analyses/", status=400, colour="blue")
        self.get("/api/v2/analyses/", status=400, title="Older")  # a field is no filter here
        self.get("/api/v2/analyses/", status=400, order="summary_secret")
        self.assertEqual(self.titles(order="publication_date")[0], "Older")

    def test_a_list_costs_the_same_queries_whatever_its_length(self):
        def count(limit):
            with CaptureQueriesContext(connection) as queries:
                data = self.get("/api/v2/analyses/", limit=limit, fields="*")
            self.assertEqual(len(data["items"]), limit)
            return len(queries)

        self.get("/api/v2/analyses/")  # the site's root paths and private sections, now cached
        # (The authors' pages are found once per language of the page of items: both here.)
        self.assertEqual(count(2), count(3))

    def test_themes_regions_centres_experts(self):
        themes = self.get("/api/v2/themes/")["items"]
        self.assertEqual([t["name"] for t in themes], ["Energy"])  # used by a public analysis
        regions = {r["slug"]: r for r in self.get("/api/v2/regions/", fields="parent_id")["items"]}
        self.assertEqual(regions["kenya"]["parent_id"], self.africa.pk)
        centres = self.get("/api/v2/centres/")["items"]
        self.assertEqual({c["title"] for c in centres}, {"Energy Centre", "Grids"})
        experts = self.get("/api/v2/experts/")["items"]
        self.assertEqual([e["title"] for e in experts], ["Jane Doe"])
        self.assertEqual(experts[0]["role"], "Research fellow")
        self.get(f"/api/v2/experts/{self.draft_expert.pk}/", status=404)

    def test_read_only_cors(self):
        response = self.client.get("/api/v2/analyses/", HTTP_ORIGIN="https://partner.example")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        self.assertNotIn("Access-Control-Allow-Credentials", response)
        preflight = self.client.options(
            "/api/v2/analyses/",
            HTTP_ORIGIN="https://partner.example",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        )
        self.assertEqual(preflight.status_code, 200)
        self.assertEqual(preflight["Access-Control-Allow-Methods"], "GET, HEAD, OPTIONS")
        for method in (self.client.post, self.client.put, self.client.delete):
            self.assertEqual(method("/api/v2/analyses/").status_code, 405)

    @override_settings(API_RATE_LIMIT="3/minute")
    def test_rate_limited_per_client(self):
        for _ in range(3):
            self.get("/api/v2/themes/")
        response = self.client.get("/api/v2/analyses/")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Retry-After", response)
        other = self.client.get("/api/v2/themes/", REMOTE_ADDR="192.0.2.7")
        self.assertEqual(other.status_code, 200)
