"""Reference managers: an analysis page read as Zotero's embedded-metadata translator reads it
(tests/zotero_reader.py: the citation_* tags and Dublin Core) gives every author, the date, the
title, the publisher, the ISBN that is the page's own, the URL and the PDF; from the Dublin Core
tags alone as well (but the PDF, which only citation_pdf_url gives).
tests/test_machine_readers_demo.py reads every analysis of the demo the same way."""

import datetime

from django.test import TestCase

from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    DocumentFactory,
    ExpertPageFactory,
    SeriesFactory,
    build_site,
    translate,
)
from tests.zotero_reader import read_dublin_core_only, read_item

OTHER_HOST = {"HTTP_HOST": "127.0.0.1:8000"}  # the address a reader used, not the site's


class ZoteroEmbeddedMetadataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        centre = CenterPageFactory(parent=cls.tree.centers)
        cls.expert = ExpertPageFactory(parent=centre, title="Amina Okafor")
        cls.page = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Subnational diplomacy",
            publication_date=datetime.date(2024, 3, 7),
            authors=[cls.expert, "Jean de La Fontaine", "Zoe Zimmer"],
            series=SeriesFactory(name="Notes"),
            isbn="9780306406157",
            doi="10.1234/abc-567",
            pdf=DocumentFactory(pages=4),
        )
        translate(cls.tree.home, "fr", title="Accueil")
        translate(cls.tree.analyses, "fr", title="Analyses")
        # Made before Translate stopped copying identifiers: the ISBN is the English edition's.
        cls.french = translate(cls.page, "fr", title="Diplomatie infranationale")
        cls.root = cls.tree.home.get_site().root_url

    def read(self, page, reader=read_item):
        response = self.client.get(page.url, **OTHER_HOST)
        self.assertEqual(response.status_code, 200)
        return reader(response.content, f"http://127.0.0.1:8000{page.url}")

    def creators(self, item):
        return [(c["firstName"], c["lastName"]) for c in item["creators"]]

    def test_zotero_finds_everything(self):
        for reader in (read_item, read_dublin_core_only):
            with self.subTest(reader.__name__):
                item = self.read(self.page, reader)
                self.assertEqual(
                    self.creators(item),
                    [("Amina", "Okafor"), ("Jean de La", "Fontaine"), ("Zoe", "Zimmer")],
                )
                self.assertEqual(item["title"], "Subnational diplomacy")
                self.assertIn(item["date"], ("2024/03/07", "2024-03-07"))
                self.assertEqual(item["publisher"], "Institute for International Studies")
                self.assertEqual(item["ISBN"].replace("-", "")[-13:], "9780306406157")
                self.assertIn("10.1234/abc-567", item["DOI"])
                self.assertEqual(item["language"], "en")
        item = self.read(self.page)
        # The page's one URL, whatever address the reader came in on.
        self.assertEqual(item["url"], f"{self.root}{self.page.url}")
        (pdf,) = item["attachments"]
        self.assertEqual(pdf["url"], f"{self.root}{self.page.pdf.url}")
        download = self.client.get(pdf["url"].removeprefix(self.root))
        self.assertEqual(download["Content-Type"], "application/pdf")

    def test_a_translation_gives_its_own_language_and_not_its_sources_isbn(self):
        for reader in (read_item, read_dublin_core_only):
            with self.subTest(reader.__name__):
                item = self.read(self.french, reader)
                self.assertEqual(item["title"], "Diplomatie infranationale")
                self.assertEqual(item["language"], "fr")
                self.assertNotIn("ISBN", item)
                self.assertNotIn("DOI", item)
                self.assertEqual(len(item["creators"]), 3)
