"""What scholarly machines read of the demo content (``manage.py load_demo_content``), with their
own tools: a repository harvesting it over OAI-PMH with Sickle, every answer valid against the
official schema (tests/xml_schemas.py); a reference manager saving each analysis as Zotero's
embedded-metadata translator reads it (tests/zotero_reader.py); a partner reading the public API.

One class, so that the demo (about 30 s to load) is loaded once for all of it.
"""

import datetime
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import TestCase, override_settings

from publications import selectors
from publications.harvest import sync_records
from publications.models import AnalysisPage
from publications.site_names import site_name
from publications.visibility import public
from tests.oai_client import SickleOverTestClient
from tests.zotero_reader import read_item

ORIGIN = "https://publications.example.org"
OTHER_HOST = {"HTTP_HOST": "127.0.0.1:8000"}


@override_settings(SITE_BASE_URL=ORIGIN, OAI_PAGE_SIZE=7)
class DemoMachineReadersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", stdout=StringIO())
        # The records follow each change once it commits (publications.harvest_jobs, tested in
        # tests/test_oai.py); a test's transaction never commits.
        call_command("sync_harvest_records", stdout=StringIO())
        cls.public = list(public(AnalysisPage.objects.all()).select_related("locale"))

    def test_zotero_saves_every_analysis_of_the_demo(self):
        for page in self.public:
            with self.subTest(page.url):
                response = self.client.get(page.url, **OTHER_HOST)
                self.assertEqual(response.status_code, 200)
                item = read_item(response.content, f"http://127.0.0.1:8000{page.url}")
                names = selectors.author_names(page)
                self.assertTrue(names)
                self.assertEqual(
                    [f"{c['firstName']} {c['lastName']}".strip() for c in item["creators"]],
                    names,
                )
                self.assertEqual(item["title"], page.title)
                self.assertEqual(item["date"], page.publication_date.strftime("%Y/%m/%d"))
                self.assertEqual(item["publisher"], site_name(page.locale.language_code))
                self.assertEqual(item["url"], f"{ORIGIN}{page.url}")
                own_isbn = selectors.edition_identifiers(page)["isbn"]
                self.assertEqual(item.get("ISBN", "").replace("-", ""), own_isbn)
                # Only the page's own full text: not a PDF in another language (a translation
                # that has none of its own yet).
                own_pdf = page.pdf_id and (
                    selectors.pdf_language(page) == page.locale.language_code
                )
                pdfs = [a["url"] for a in item["attachments"]]
                self.assertEqual(pdfs, [f"{ORIGIN}{page.pdf.url}"] if own_pdf else [])

    def test_the_public_api_gives_every_public_analysis(self):
        response = self.client.get("/api/v2/analyses/", {"limit": 100, "fields": "*"}, **OTHER_HOST)
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(
            sorted(item["id"] for item in data["items"]), sorted(page.pk for page in self.public)
        )
        for item in data["items"]:
            urls = [item["meta"]["html_url"], item["meta"]["detail_url"]]
            urls += [item["pdf"]["url"]] if item["pdf"] else []
            self.assertTrue(all(url.startswith(f"{ORIGIN}/") for url in urls), urls)
            self.assertTrue(item["authors"])

    def test_harvesting_the_demo_over_oai_pmh(self):
        harvester = SickleOverTestClient(self.client)
        identify = harvester.Identify()
        self.assertEqual(identify.baseURL, f"{ORIGIN}/oai/")
        repository = identify.baseURL.split("//")[1].split("/")[0]

        records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
        # Every public analysis, in every language, once; through resumption tokens.
        self.assertEqual(
            sorted(record.header.identifier for record in records),
            sorted(f"oai:{repository}:{page.pk}" for page in self.public),
        )
        self.assertGreater(len(harvester.responses), 2)
        by_id = {int(r.header.identifier.rsplit(":", 1)[1]): r for r in records}
        isbns = []
        for page in self.public:
            with self.subTest(page.title):
                dc = by_id[page.pk].metadata
                self.assertTrue(dc["title"][0].startswith(page.title))
                self.assertEqual(dc["date"], [page.publication_date.isoformat()])
                self.assertEqual(dc["language"], [page.locale.language_code])
                self.assertTrue(dc.get("creator"), "every demo analysis has authors")
                self.assertEqual(dc["identifier"][0], f"{ORIGIN}{page.url}")
                self.assertTrue(
                    all(
                        url.startswith(ORIGIN)
                        for url in dc["identifier"]
                        if "//" in url and "doi.org" not in url
                    )
                )
                isbns += [i for i in dc["identifier"] if i.startswith("urn:isbn:")]
        # An ISBN names one language version: no two records give the same one.
        self.assertEqual(len(isbns), len(set(isbns)))
        self.assertTrue(isbns)

        # Each set gives the records that are in it, and no other.
        sets = list(harvester.ListSets())
        self.assertTrue({"theme", "region", "centre", "type"} <= {s.setSpec for s in sets})
        for oai_set in sets:
            with self.subTest(oai_set.setSpec):
                found = {
                    header.identifier
                    for header in harvester.ListIdentifiers(
                        metadataPrefix="oai_dc", set=oai_set.setSpec
                    )
                }
                expected = {
                    r.header.identifier for r in records if oai_set.setSpec in r.header.setSpecs
                }
                self.assertEqual(found, expected)
                self.assertTrue(found)

        # An analysis unpublished: the next incremental harvest has it as a deleted record.
        gone = self.public[0]
        gone.unpublish()
        tomorrow = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
        with mock.patch("django.utils.timezone.now", return_value=tomorrow):
            sync_records()
        changed = list(
            harvester.ListIdentifiers(
                metadataPrefix="oai_dc", **{"from": tomorrow.strftime("%Y-%m-%d")}
            )
        )
        self.assertEqual(
            [h.identifier for h in changed if h.deleted], [f"oai:{repository}:{gone.pk}"]
        )
        # Its other language versions changed too: they no longer link to it (dc:relation).
        translations = {
            f"oai:{repository}:{page.pk}"
            for page in self.public
            if page.translation_key == gone.translation_key and page.pk != gone.pk
        }
        self.assertTrue(translations)
        self.assertEqual({h.identifier for h in changed if not h.deleted}, translations)
