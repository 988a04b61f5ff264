"""Each language has its own PDF and identifiers. A translation made with *Translate* keeps its
source's PDF until it is given its own: the page then says which language the file is in, the
link's ``hreflang`` is the file's, Google Scholar is not told it is this edition's full text,
and the editor is warned when opening the page and when submitting it."""

import json

from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse

from publications import facet_index
from tests.admin_forms import editor_data
from tests.factories import (
    AnalysisPageFactory,
    DocumentFactory,
    UserFactory,
    build_site,
    translate,
)
from tests.test_scholarly_metadata import HeadParser


def head(html):
    parser = HeadParser()
    parser.feed(html)
    return parser


def report(parser):
    return next(data for data in map(json.loads, parser.json_ld) if data.get("@type") == "Report")


class PdfLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        translate(cls.tree.home, "fr", title="Accueil")
        translate(cls.tree.analyses, "fr", title="Analyses")
        cls.english_pdf = DocumentFactory(title="English full text", pages=4)
        cls.english = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Cities abroad",
            pdf=cls.english_pdf,
            isbn="978-0-306-40615-7",
            doi="10.5555/iis.1",
            authors=["A. Writer"],
        )
        cls.french = translate(cls.english, "fr", title="Les villes à l'étranger")
        cls.french_pdf = DocumentFactory(title="Texte intégral", pages=6)
        other = AnalysisPageFactory(
            parent=cls.tree.analyses, title="Ports", pdf=DocumentFactory(pages=2)
        )
        cls.french_with_pdf = translate(other, "fr", title="Les ports", pdf=cls.french_pdf)
        cls.editor = UserFactory(username="editor", groups=["Editors"])

    def setUp(self):
        facet_index.forget()

    def get(self, page):
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_translation_without_its_own_pdf_says_the_pdf_is_in_english(self):
        html = self.get(self.french)
        self.assertIn(f'href="{self.english_pdf.url}" type="application/pdf" hreflang="en"', html)
        self.assertIn("PDF, en anglais,", html)
        self.assertIn("4 pages", html)
        parser = head(html)
        self.assertEqual(parser.values("citation_language"), ["fr"])
        self.assertEqual(parser.values("citation_pdf_url"), [])
        data = report(parser)
        self.assertEqual(data["inLanguage"], "fr")
        self.assertEqual(data["encoding"]["inLanguage"], "en")
        # The source's identifiers are not the translation's (Translate leaves them empty).
        self.assertNotIn("978-0-306-40615-7", html)
        self.assertNotIn("10.5555/iis.1", html)
        self.assertNotIn("identifier", data)
        ris = self.client.get(f"{self.french.url}cite/ris/").content.decode()
        self.assertNotIn(self.english_pdf.url, ris)

    def test_translation_with_its_own_pdf(self):
        html = self.get(self.french_with_pdf)
        self.assertIn(f'href="{self.french_pdf.url}" type="application/pdf" hreflang="fr"', html)
        self.assertNotIn("en anglais", html)
        self.assertIn("6 pages", html)
        parser = head(html)
        self.assertEqual(parser.values("citation_language"), ["fr"])
        self.assertEqual(len(parser.values("citation_pdf_url")), 1)
        self.assertTrue(parser.values("citation_pdf_url")[0].endswith(self.french_pdf.url))
        self.assertEqual(report(parser)["encoding"]["inLanguage"], "fr")

    def test_the_source_keeps_its_pdf_and_identifiers(self):
        html = self.get(self.english)
        self.assertIn(f'href="{self.english_pdf.url}" type="application/pdf" hreflang="en"', html)
        self.assertNotIn("in English", html)
        parser = head(html)
        self.assertEqual(parser.values("citation_language"), ["en"])
        self.assertTrue(parser.values("citation_pdf_url")[0].endswith(self.english_pdf.url))
        self.assertEqual(parser.values("citation_doi"), ["10.5555/iis.1"])
        self.assertEqual(report(parser)["encoding"]["inLanguage"], "en")

    def test_editor_is_warned_in_the_editor_and_at_submission(self):
        self.client.force_login(self.editor)
        # A translation with its own PDF, and the source, get no warning.
        for page in (self.french_with_pdf, self.english):
            response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
            self.assertNotContains(response, "another language version")
        url = reverse("wagtailadmin_pages:edit", args=[self.french.pk])
        response = self.client.get(url)
        self.assertContains(response, "in English")
        self.assertContains(response, "Choose a PDF in French")
        response = self.client.post(
            url, editor_data(self.client.get(url), type(self.french), **{"action-submit": "1"})
        )
        self.assertEqual(response.status_code, 302)
        warnings = [str(m) for m in get_messages(response.wsgi_request) if "PDF" in str(m)]
        self.assertEqual(len(warnings), 1)
