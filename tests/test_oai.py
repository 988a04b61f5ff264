"""OAI-PMH at /oai/ (publications.oai, publications.harvest), harvested with Sickle and pyoai as
repositories harvest, every answer validated against the official OAI-PMH schema
(tests/xml_schemas.py): the six verbs, resumption tokens, from/until, sets, deleted records, the
protocol's error codes, fixed queries. tests/test_machine_readers_demo.py harvests the demo."""

import datetime
from unittest import mock

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from sickle import oaiexceptions
from wagtail.models import PageViewRestriction

from publications.harvest import sync_records
from publications.models import AnalysisPage, HarvestRecord
from tests.factories import (
    AnalysisPageFactory,
    AnalysisTypeFactory,
    CenterPageFactory,
    DocumentFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    RegionFactory,
    SeriesFactory,
    ThemeFactory,
    build_site,
    translate,
)
from tests.oai_client import SickleOverTestClient
from tests.xml_schemas import check_oai_pmh

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
T0 = datetime.datetime(2026, 3, 1, 12, 0, 0, tzinfo=datetime.UTC)


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@override_settings(OAI_REPOSITORY_IDENTIFIER="publications.example.org", OAI_PAGE_SIZE=2)
class OaiPmhTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.energy = ThemeFactory(name="Energy", slug="energy")
        africa = cls.africa = RegionFactory(name="Africa", slug="africa")
        cls.kenya = RegionFactory(name="Kenya", slug="kenya", parent=africa)
        cls.centre = CenterPageFactory(parent=cls.tree.centers, title="Energy Centre")
        cls.programme = ProgrammePageFactory(parent=cls.centre, title="Grids")
        cls.expert = ExpertPageFactory(parent=cls.centre, title="Jane Doe")
        cls.report = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Power in Kenya",
            subtitle="Grids and prices",
            publication_date=datetime.date(2025, 11, 5),
            themes=[cls.energy],
            regions=[cls.kenya],
            authors=[cls.expert, "Ann Other"],
            units=[cls.programme],
            pdf=DocumentFactory(pages=2),
            isbn="9780306406157",
            doi="10.1234/power-kenya",
            series=SeriesFactory(name="Energy Notes"),
            series_number="12",
            analysis_type=AnalysisTypeFactory(name="Report", slug="report"),
        )
        cls.others = [AnalysisPageFactory(parent=cls.tree.analyses) for _ in range(3)]
        cls.draft = AnalysisPageFactory(parent=cls.tree.analyses, title="Draft", live=False)
        translate(cls.tree.home, "fr")
        translate(cls.tree.analyses, "fr")
        # A translation made before identifiers stopped being copied: not its own.
        cls.french = translate(
            cls.report, "fr", title="L'électricité au Kenya", isbn=cls.report.isbn, doi=""
        )
        with at(T0):
            sync_records()
        cls.root = cls.tree.home.get_site().root_url

    def harvester(self, **kwargs):
        return SickleOverTestClient(self.client, **kwargs)

    def ident(self, page):
        return f"oai:publications.example.org:{page.pk}"

    def get(self, **params):
        response = self.client.get("/oai/", params)
        self.assertEqual(response.status_code, 200)
        return check_oai_pmh(response.content)

    def error_code(self, **params):
        document = self.get(**params)
        errors = document.findall(f"{OAI}error")
        self.assertEqual(len(errors), 1, etree.tostring(document))
        return errors[0].get("code"), document.find(f"{OAI}request")

    # --- The verbs -------------------------------------------------------------------------------

    def test_identify(self):
        identify = self.harvester().Identify()
        self.assertEqual(identify.repositoryName, "Institute for International Studies")
        self.assertEqual(identify.baseURL, f"{self.root}/oai/")
        self.assertEqual(identify.protocolVersion, "2.0")
        self.assertEqual(identify.deletedRecord, "persistent")
        self.assertEqual(identify.granularity, "YYYY-MM-DDThh:mm:ssZ")
        self.assertEqual(identify.earliestDatestamp, "2026-03-01T12:00:00Z")
        self.assertIn("publications.example.org", identify.raw)  # the oai-identifier description

    def test_list_metadata_formats(self):
        formats = list(self.harvester().ListMetadataFormats())
        self.assertEqual([f.metadataPrefix for f in formats], ["oai_dc"])
        formats = list(self.harvester().ListMetadataFormats(identifier=self.ident(self.report)))
        self.assertEqual(
            [f.metadataNamespace for f in formats], ["http://www.openarchives.org/OAI/2.0/oai_dc/"]
        )

    def test_list_records_pages_through_every_public_analysis(self):
        harvester = self.harvester()
        records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
        public = [self.report, *self.others, self.french]
        self.assertEqual(
            sorted(record.header.identifier for record in records),
            sorted(self.ident(page) for page in public),
        )
        self.assertEqual(len(harvester.responses), 3)  # 5 records, 2 a page: two tokens
        last = etree.fromstring(harvester.responses[-1].content)
        token = last.find(f".//{OAI}resumptionToken")
        self.assertEqual((token.text, token.get("completeListSize")), (None, "5"))
        self.assertEqual(token.get("cursor"), "4")

    def test_dublin_core_of_an_analysis(self):
        record = self.harvester().GetRecord(
            identifier=self.ident(self.report), metadataPrefix="oai_dc"
        )
        dc = record.metadata
        self.assertEqual(dc["title"], ["Power in Kenya: Grids and prices"])
        self.assertEqual(dc["creator"], ["Doe, Jane", "Other, Ann"])
        self.assertEqual(dc["subject"], ["Energy"])
        self.assertEqual(dc["coverage"], ["Kenya"])
        self.assertEqual(dc["date"], ["2025-11-05"])
        self.assertEqual(dc["language"], ["en"])
        self.assertEqual(dc["publisher"], ["Institute for International Studies"])
        self.assertEqual(dc["type"], ["Text", "Report"])
        self.assertEqual(dc["format"], ["application/pdf"])
        self.assertEqual(
            dc["identifier"],
            [
                f"{self.root}{self.report.url}",
                "https://doi.org/10.1234/power-kenya",
                "urn:isbn:9780306406157",
                f"{self.root}{self.report.pdf.url}",
            ],
        )
        self.assertIn("Energy Notes, 12", dc["relation"])
        self.assertIn("urn:issn:2111-4447", dc["relation"])
        self.assertIn(f"{self.root}{self.french.url}", dc["relation"])
        self.assertEqual(
            record.header.setSpecs,
            sorted(
                [
                    "centre",
                    f"centre:{self.centre.translation_key}",
                    f"centre:{self.centre.translation_key}:{self.programme.translation_key}",
                    "region",
                    f"region:{self.africa.pk}",
                    f"region:{self.africa.pk}:{self.kenya.pk}",
                    "theme",
                    f"theme:{self.energy.pk}",
                    "type",
                    f"type:{self.report.analysis_type_id}",
                ]
            ),
        )

    def test_a_translation_does_not_give_its_sources_identifiers_nor_its_pdf(self):
        """The French version serves the English PDF until it has its own: that file is not the
        French record's full text."""
        harvester = self.harvester()
        record = harvester.GetRecord(identifier=self.ident(self.french), metadataPrefix="oai_dc")
        self.assertEqual(record.metadata["language"], ["fr"])
        self.assertEqual(record.metadata["identifier"], [f"{self.root}{self.french.url}"])
        source = harvester.GetRecord(identifier=self.ident(self.report), metadataPrefix="oai_dc")
        self.assertIn(f"{self.root}{self.report.pdf.url}", source.metadata["identifier"])

    def test_sets_hold_their_parts(self):
        harvester = self.harvester()
        names = {s.setSpec: s.setName for s in harvester.ListSets()}
        self.assertEqual(names[f"region:{self.africa.pk}:{self.kenya.pk}"], "Kenya")
        self.assertEqual(names[f"centre:{self.centre.translation_key}"], "Energy Centre")
        self.assertEqual(names["theme"], "Themes")
        for spec in (f"region:{self.africa.pk}", f"centre:{self.centre.translation_key}"):
            with self.subTest(spec):
                found = {
                    header.identifier
                    for header in harvester.ListIdentifiers(metadataPrefix="oai_dc", set=spec)
                }
                self.assertEqual(found, {self.ident(self.report), self.ident(self.french)})

    def test_from_and_until(self):
        page = self.others[0]
        page.title = "Changed title"
        page.save_revision().publish()
        with at(T0 + datetime.timedelta(days=2)):
            self.assertEqual(sync_records()["changed"], 1)
        harvester = self.harvester()
        since = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2026-03-02"}))
        self.assertEqual([h.identifier for h in since], [self.ident(page)])
        self.assertEqual(since[0].datestamp, "2026-03-03T12:00:00Z")
        until = list(
            harvester.ListIdentifiers(metadataPrefix="oai_dc", until="2026-03-01T12:00:00Z")
        )
        self.assertEqual(len(until), 4)
        with self.assertRaises(oaiexceptions.NoRecordsMatch):
            list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2026-03-04"}))

    def test_publishing_again_without_change_keeps_the_datestamp(self):
        self.others[1].save_revision().publish()
        self.assertEqual(sync_records(), {"created": 0, "changed": 0, "deleted": 0})

    def test_unpublished_private_and_deleted_analyses_become_deleted_records(self):
        unpublished, private, deleted = self.others
        unpublished.unpublish()
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        deleted_id = deleted.pk
        deleted.delete()
        later = T0 + datetime.timedelta(days=1)
        with at(later):
            self.assertEqual(sync_records()["deleted"], 3)
        harvester = self.harvester()
        headers = {
            h.identifier: h
            for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2026-03-02"})
        }
        gone = {
            self.ident(unpublished),
            self.ident(private),
            f"oai:publications.example.org:{deleted_id}",
        }
        self.assertEqual(set(headers), gone)
        self.assertTrue(all(h.deleted for h in headers.values()))
        record = harvester.GetRecord(identifier=self.ident(unpublished), metadataPrefix="oai_dc")
        self.assertTrue(record.deleted)
        self.assertNotIn("<metadata", record.raw)
        # A deleted record stays in its sets, for harvesters of one set.
        self.assertTrue(headers[self.ident(unpublished)].setSpecs)
        # Published again: a live record again, with a new datestamp.
        unpublished.refresh_from_db()
        unpublished.save_revision().publish()
        with at(later + datetime.timedelta(days=1)):
            sync_records()
        record = harvester.GetRecord(identifier=self.ident(unpublished), metadataPrefix="oai_dc")
        self.assertFalse(record.deleted)
        self.assertEqual(record.header.datestamp, "2026-03-03T12:00:00Z")

    def test_drafts_are_never_records(self):
        self.assertFalse(HarvestRecord.objects.filter(page_id=self.draft.pk).exists())
        with self.assertRaises(oaiexceptions.IdDoesNotExist):
            self.harvester().GetRecord(identifier=self.ident(self.draft), metadataPrefix="oai_dc")

    def test_post_requests(self):
        harvester = self.harvester(http_method="POST")
        self.assertEqual(len(list(harvester.ListRecords(metadataPrefix="oai_dc"))), 5)

    def test_sickle_reads_the_protocols_errors(self):
        harvester = self.harvester()
        with self.assertRaises(oaiexceptions.IdDoesNotExist):
            harvester.GetRecord(
                identifier="oai:publications.example.org:999999", metadataPrefix="oai_dc"
            )
        with self.assertRaises(oaiexceptions.CannotDisseminateFormat):
            harvester.GetRecord(identifier=self.ident(self.report), metadataPrefix="marc21")
        with self.assertRaises(oaiexceptions.BadArgument):
            list(harvester.ListRecords(metadataPrefix="oai_dc", until="soon"))

    # --- Errors ----------------------------------------------------------------------------------

    def test_bad_verbs(self):
        for params in ({}, {"verb": "Hello"}, {"verb": ["Identify", "Identify"]}):
            with self.subTest(params):
                code, request = self.error_code(**params)
                self.assertEqual(code, "badVerb")
                self.assertEqual(dict(request.attrib), {})  # no attributes on a bad request

    def test_bad_arguments(self):
        cases = [
            {"verb": "Identify", "metadataPrefix": "oai_dc"},
            {"verb": "GetRecord", "identifier": self.ident(self.report)},
            {"verb": "ListRecords"},
            {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]},
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-01"},
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"},
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-01-01",
                "until": "2026-02-01T00:00:00Z",
            },
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-02-02",
                "until": "2026-02-01",
            },
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "not a set"},
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            {"verb": "GetRecord", "identifier": "x", "metadataPrefix": "oai dc"},
        ]
        for params in cases:
            with self.subTest(params):
                code, request = self.error_code(**params)
                self.assertEqual(code, "badArgument")
                self.assertEqual(dict(request.attrib), {})

    def test_other_errors(self):
        report = self.ident(self.report)
        cases = [
            (
                {"verb": "GetRecord", "identifier": report, "metadataPrefix": "marc21"},
                "cannotDisseminateFormat",
            ),
            ({"verb": "ListIdentifiers", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
            (
                {
                    "verb": "GetRecord",
                    "identifier": "oai:elsewhere.org:1",
                    "metadataPrefix": "oai_dc",
                },
                "idDoesNotExist",
            ),
            (
                {"verb": "ListMetadataFormats", "identifier": "oai:publications.example.org:0"},
                "idDoesNotExist",
            ),
            (
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "theme:999999"},
                "noRecordsMatch",
            ),
            (
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2000-01-01"},
                "noRecordsMatch",
            ),
            ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
            ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
        ]
        for params, expected in cases:
            with self.subTest(params):
                code, request = self.error_code(**params)
                self.assertEqual(code, expected)
                self.assertEqual(request.get("verb"), params["verb"])

    def test_a_token_is_for_its_own_verb_and_cannot_be_altered(self):
        document = self.get(verb="ListIdentifiers", metadataPrefix="oai_dc")
        token = document.find(f".//{OAI}resumptionToken").text
        self.assertEqual(
            self.error_code(verb="ListRecords", resumptionToken=token)[0], "badResumptionToken"
        )
        self.assertEqual(
            self.error_code(verb="ListIdentifiers", resumptionToken=token[:-2] + "xx")[0],
            "badResumptionToken",
        )
        resumed = self.get(verb="ListIdentifiers", resumptionToken=token)
        self.assertEqual(len(resumed.findall(f".//{OAI}header")), 2)

    # --- Cost ------------------------------------------------------------------------------------

    def test_a_list_costs_the_same_queries_whatever_its_length(self):
        counts = {}
        for size in (1, 50):
            with self.subTest(size), override_settings(OAI_PAGE_SIZE=size):
                with CaptureQueriesContext(connection) as queries:
                    document = self.get(verb="ListRecords", metadataPrefix="oai_dc")
                self.assertEqual(len(document.findall(f".//{OAI}record")), min(size, 5))
                counts[size] = len(queries)
        self.assertEqual(counts[1], counts[50] + 1)  # the list's size, asked only when paged
        with self.assertNumQueries(3):  # the site, the records, their sets
            self.get(verb="ListRecords", metadataPrefix="oai_dc", set="theme")

    def test_building_records_costs_the_same_queries_for_one_or_many(self):
        def count():
            HarvestRecord.objects.all().delete()
            with CaptureQueriesContext(connection) as queries:
                sync_records()
            # Not the content generation: inside a test's transaction it is read again after
            # each change (publications.freshness), which is not the sync's doing.
            return len([q for q in queries if "publications_contentchange" not in q["sql"]])

        count()  # the site's root paths and the private sections, now in the cache
        few = count()
        for _ in range(4):
            AnalysisPageFactory(
                parent=self.tree.analyses, themes=[self.energy], authors=[self.expert, "X Y"]
            )
        count()
        self.assertEqual(count(), few)


class HarvestRecordsFollowChangesTests(TestCase):
    """The records are brought up to date after every change readers see, once it commits
    (publications.harvest_jobs; tasks run at once in tests)."""

    def test_publish_and_unpublish(self):
        tree = build_site()
        with self.captureOnCommitCallbacks(execute=True):
            page = AnalysisPageFactory(parent=tree.analyses, title="First")
        record = HarvestRecord.objects.get(page_id=page.pk)
        self.assertFalse(record.deleted)
        self.assertIn("<dc:title>First</dc:title>", record.metadata)
        with self.captureOnCommitCallbacks(execute=True):
            AnalysisPage.objects.get(pk=page.pk).unpublish()
        record.refresh_from_db()
        self.assertTrue(record.deleted)
        self.assertLessEqual(record.datestamp, timezone.now())

    def test_a_burst_of_changes_is_synced_once(self):
        tree = build_site()
        with mock.patch("publications.harvest.sync_records", wraps=sync_records) as run:
            with self.captureOnCommitCallbacks(execute=True):
                for _ in range(3):
                    AnalysisPageFactory(parent=tree.analyses)
        self.assertEqual(run.call_count, 1)
        self.assertEqual(HarvestRecord.objects.count(), 3)
