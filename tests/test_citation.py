""" "Cite this analysis": one CSL-JSON record, Chicago and APA references, and BibTeX, RIS and
CSL-JSON files, read back with bibtexparser 2 and rispy."""

import datetime
import json

import bibtexparser
import rispy
from django.test import SimpleTestCase, TestCase

from publications import citation
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    DocumentFactory,
    ExpertPageFactory,
    SeriesFactory,
    build_site,
)

ITEM = {
    "id": "analysis-7",
    "type": "report",
    "title": "Cities & {braces}: 100% of $ #1_x ~ ^ \\ abroad",
    "author": [
        {"family": "Okafor", "given": "Amina"},
        {"family": "Dupont-Moreau", "given": "Jean-Luc"},
        {"literal": "UNESCO"},
    ],
    "issued": {"date-parts": [[2024, 3, 7]]},
    "publisher": "Institute for International Studies",
    "language": "en",
    "URL": "https://example.org/en/analyses/cities/",
    "collection-title": "Notes",
    "number": "12",
    "DOI": "10.1234/abc-567",
    "ISBN": "978-0-306-40615-7",
    "genre": "Policy brief",
}


class FormatterTests(SimpleTestCase):
    def test_bibtex_reads_back(self):
        library = bibtexparser.parse_string(citation.bibtex(ITEM))
        self.assertEqual(len(library.failed_blocks), 0)
        (entry,) = library.entries
        self.assertEqual(entry.entry_type, "techreport")
        self.assertEqual(entry["year"], "2024")
        self.assertEqual(entry["number"], "12")
        self.assertEqual(entry["doi"], "10.1234/abc-567")
        self.assertIn(r"Cities \& \{braces\}: 100\% of \$ \#1\_x", entry["title"])
        self.assertEqual(entry["author"], "Okafor, Amina and Dupont-Moreau, Jean-Luc and {UNESCO}")

    def test_ris_reads_back(self):
        (record,) = rispy.loads(citation.ris(ITEM))
        self.assertEqual(record["type_of_reference"], "RPRT")
        self.assertEqual(record["authors"], ["Okafor, Amina", "Dupont-Moreau, Jean-Luc", "UNESCO"])
        self.assertEqual(record["title"], ITEM["title"])
        self.assertEqual(record["year"], "2024")
        self.assertEqual(record["date"], "2024/03/07")
        self.assertEqual(record["doi"], "10.1234/abc-567")
        self.assertEqual(record["publisher"], ITEM["publisher"])
        self.assertEqual(record["urls"], [ITEM["URL"]])

    def test_csl_json_is_the_record(self):
        (record,) = json.loads(citation.csl_json({**ITEM, "pdf_url": "https://x/y.pdf"}))
        self.assertEqual(record, ITEM)

    def test_chicago_and_apa(self):
        self.assertEqual(
            str(citation.chicago(ITEM)),
            "Okafor, Amina, Jean-Luc Dupont-Moreau, and UNESCO. <i>Cities &amp; {braces}: 100% "
            "of $ #1_x ~ ^ \\ abroad</i>. Notes 12. Institute for International Studies, 2024. "
            "https://doi.org/10.1234/abc-567.",
        )
        self.assertEqual(
            str(citation.apa(ITEM)),
            "Okafor, A., Dupont-Moreau, J.-L., &amp; UNESCO. (2024). <i>Cities &amp; {braces}: "
            "100% of $ #1_x ~ ^ \\ abroad</i> (Notes No. 12). Institute for International "
            "Studies. https://doi.org/10.1234/abc-567",
        )

    def test_names(self):
        self.assertEqual(citation.split_name("Jane Q. Doe"), {"family": "Doe", "given": "Jane Q."})
        self.assertEqual(citation.split_name("Doe, Jane"), {"family": "Doe", "given": "Jane"})
        self.assertEqual(citation.split_name("Plato"), {"literal": "Plato"})


class CiteDownloadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        centre = CenterPageFactory(parent=cls.tree.centers)
        cls.page = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Subnational diplomacy",
            slug="subnational-diplomacy",
            subtitle="Cities abroad",
            publication_date=datetime.date(2024, 3, 7),
            authors=[ExpertPageFactory(parent=centre, title="Amina Okafor"), "John Smith"],
            series=SeriesFactory(name="Notes", issn="2111-4447"),
            series_number="12",
            doi="10.1234/abc-567",
            isbn="9780306406157",
            pdf=DocumentFactory(),
        )

    def download(self, fmt):
        response = self.client.get(f"{self.page.url}cite/{fmt}/")
        self.assertEqual(response.status_code, 200)
        return response

    def test_bibtex_download(self):
        response = self.download("bib")
        self.assertEqual(response["Content-Type"], "application/x-bibtex; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="subnational-diplomacy.bib"'
        )
        (entry,) = bibtexparser.parse_string(response.content.decode()).entries
        self.assertEqual(entry["author"], "Okafor, Amina and Smith, John")
        self.assertEqual(entry["title"], "{Subnational diplomacy: Cities abroad}")
        self.assertEqual(entry["isbn"], "978-0-306-40615-7")
        self.assertEqual(entry["issn"], "2111-4447")

    def test_ris_download(self):
        response = self.download("ris")
        self.assertEqual(
            response["Content-Type"], "application/x-research-info-systems; charset=utf-8"
        )
        self.assertIn('filename="subnational-diplomacy.ris"', response["Content-Disposition"])
        (record,) = rispy.loads(response.content.decode())
        self.assertEqual(record["authors"], ["Okafor, Amina", "Smith, John"])
        self.assertEqual(record["secondary_title"], "Notes")
        self.assertTrue(record["file_attachments1"].endswith(".pdf"))

    def test_csl_json_download(self):
        response = self.download("json")
        self.assertEqual(
            response["Content-Type"], "application/vnd.citationstyles.csl+json; charset=utf-8"
        )
        (record,) = json.loads(response.content)
        self.assertEqual(record["issued"], {"date-parts": [[2024, 3, 7]]})
        self.assertEqual(record["URL"], self.page.get_full_url())
        self.assertEqual((record["collection-title"], record["number"]), ("Notes", "12"))

    def test_unknown_format_is_404(self):
        for suffix in ["cite/pdf/", "cite/", "cite/bib/x/"]:
            self.assertEqual(self.client.get(f"{self.page.url}{suffix}").status_code, 404)

    def test_the_page_shows_the_references_and_the_links(self):
        html = self.client.get(self.page.url).content.decode()
        self.assertIn("Cite this analysis", html)
        self.assertIn(
            "Okafor, Amina, and John Smith. <i>Subnational diplomacy: Cities abroad</i>", html
        )
        self.assertIn("Okafor, A., &amp; Smith, J. (2024).", html)
        for fmt in ("bib", "ris", "json"):
            self.assertIn(f'href="{self.page.url}cite/{fmt}/"', html)
