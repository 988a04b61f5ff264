"""Scholarly and social metadata of an analysis page: Google Scholar's citation_* tags, schema.org
JSON-LD (parsed), Open Graph and Twitter cards, canonical and hreflang, and no extra query."""

import datetime
import json
from html.parser import HTMLParser

from django.test import TestCase, override_settings
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests import schema_org
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    DocumentFactory,
    ExpertPageFactory,
    RegionFactory,
    SeriesFactory,
    ThemeFactory,
    build_site,
    translate,
)


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self._in_ld = [], [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append((attrs.get("name") or attrs.get("property"), attrs.get("content")))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data

    def values(self, name):
        return [content for key, content in self.meta if key == name]


@override_settings(WAGTAIL_SITE_NAME="Institute for International Studies")
class ScholarlyMetadataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        centre = CenterPageFactory(parent=cls.tree.centers)
        cls.expert = ExpertPageFactory(parent=centre, title="Amina Okafor")
        cls.pdf = DocumentFactory(pages=4)
        cover = Image.objects.create(
            title="Cover", file=get_test_image_file(), description="A map of city networks"
        )
        cls.page = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title='Subnational diplomacy </script><script>alert("x")</script>',
            publication_date=datetime.date(2024, 3, 7),
            authors=["Zoe Zimmer", cls.expert],
            themes=[ThemeFactory(name="Diplomacy")],
            regions=[RegionFactory(name="East Africa")],
            series=SeriesFactory(name="Notes", issn="2111-4447"),
            series_number="12",
            isbn="9780306406157",
            doi="10.1234/abc-567",
            pdf=cls.pdf,
            cover_image=cover,
        )
        cls.page.save_revision().publish()
        translate(cls.tree.home, "fr", title="Accueil")
        translate(cls.tree.analyses, "fr", title="Analyses")
        cls.french = translate(cls.page, "fr", title="Diplomatie infranationale")

    def head(self):
        response = self.client.get(self.page.url)
        self.assertEqual(response.status_code, 200)
        parser = HeadParser()
        parser.feed(response.content.decode())
        return parser

    def test_google_scholar_tags(self):
        head = self.head()
        self.assertEqual(head.values("citation_title"), [self.page.title])
        self.assertEqual(head.values("citation_author"), ["Zoe Zimmer", "Amina Okafor"])
        self.assertEqual(head.values("citation_publication_date"), ["2024/03/07"])
        self.assertEqual(head.values("citation_isbn"), ["978-0-306-40615-7"])
        self.assertEqual(head.values("citation_issn"), ["2111-4447"])
        self.assertEqual(head.values("citation_doi"), ["10.1234/abc-567"])
        self.assertEqual(head.values("citation_publisher"), ["Institute for International Studies"])
        self.assertEqual(head.values("citation_language"), ["en"])
        self.assertEqual(head.values("citation_technical_report_number"), ["12"])
        (pdf_url,) = head.values("citation_pdf_url")
        # Absolute, on the Wagtail site's root URL like the page's own URL ("localhost" here).
        self.assertEqual(pdf_url, f"{self.page.get_site().root_url}{self.pdf.url}")
        response = self.client.get(pdf_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")

    def test_json_ld_report(self):
        head = self.head()
        (block,) = head.json_ld
        self.assertNotIn("</script", block)
        data = json.loads(block)
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "Report")
        self.assertEqual(data["name"], self.page.title)
        self.assertEqual([a["name"] for a in data["author"]], ["Zoe Zimmer", "Amina Okafor"])
        self.assertNotIn("url", data["author"][0])
        self.assertEqual(data["author"][1]["url"], self.expert.get_full_url())
        self.assertEqual(data["publisher"]["@type"], "Organization")
        self.assertEqual(data["publisher"]["name"], "Institute for International Studies")
        self.assertEqual(data["datePublished"], "2024-03-07")
        self.assertIn("dateModified", data)
        self.assertNotIn("isbn", data)  # a Book's property, not a Report's
        self.assertNotIn("issn", data)  # the series' (isPartOf)
        self.assertEqual(data["inLanguage"], "en")
        self.assertEqual(data["about"], [{"@type": "Thing", "name": "Diplomacy"}])
        self.assertEqual(data["spatialCoverage"], [{"@type": "Place", "name": "East Africa"}])
        self.assertEqual(data["url"], self.page.get_full_url())
        root = self.page.get_site().root_url
        self.assertEqual(data["encoding"]["contentUrl"], f"{root}{self.pdf.url}")
        self.assertEqual(data["encoding"]["encodingFormat"], "application/pdf")
        self.assertTrue(data["image"].startswith(f"{root}/media/images/"))

    def test_json_ld_expands_to_schema_org_terms_in_their_domains(self):
        (block,) = self.head().json_ld
        (report,) = schema_org.expand(json.loads(block))
        self.assertEqual(schema_org.domain_errors([report]), [])
        self.assertEqual(report["@type"], ["https://schema.org/Report"])
        self.assertEqual(schema_org.values(report, "reportNumber"), ["12"])
        (series,) = schema_org.nodes(report, "isPartOf")
        self.assertEqual(series["@type"], ["https://schema.org/CreativeWorkSeries"])
        self.assertEqual(schema_org.values(series, "name"), ["Notes"])
        self.assertEqual(schema_org.values(series, "issn"), ["2111-4447"])
        identifiers = {
            schema_org.values(node, "propertyID")[0]: node
            for node in schema_org.nodes(report, "identifier")
        }
        self.assertEqual(set(identifiers), {"ISBN", "DOI"})
        for node in identifiers.values():
            self.assertEqual(node["@type"], ["https://schema.org/PropertyValue"])
        self.assertEqual(schema_org.values(identifiers["ISBN"], "value"), ["978-0-306-40615-7"])
        self.assertEqual(schema_org.values(identifiers["DOI"], "value"), ["10.1234/abc-567"])
        self.assertEqual(
            schema_org.values(identifiers["DOI"], "url"), ["https://doi.org/10.1234/abc-567"]
        )
        (pdf,) = schema_org.nodes(report, "encoding")
        self.assertEqual(pdf["@type"], ["https://schema.org/MediaObject"])
        self.assertEqual(schema_org.values(pdf, "encodingFormat"), ["application/pdf"])
        self.assertEqual(schema_org.values(pdf, "contentSize"), [f"{self.pdf.file_size} B"])
        self.assertEqual(
            schema_org.values(pdf, "contentUrl"), [f"{self.page.get_site().root_url}{self.pdf.url}"]
        )

    def test_the_domain_check_finds_a_property_out_of_its_domain(self):
        old_shape = {
            "@context": "https://schema.org",
            "@type": "Report",
            "isbn": "978-0-306-40615-7",
            "issn": "2111-4447",
            "encoding": {"@type": "MediaObject", "contentSize": "12426", "isbnn": "x"},
        }
        errors = schema_org.domain_errors(schema_org.expand(old_shape))
        self.assertEqual(len(errors), 3, errors)
        self.assertTrue(any(".isbn: not a property of" in error for error in errors))
        self.assertTrue(any(".issn: not a property of" in error for error in errors))
        self.assertTrue(any("isbnn is not a schema.org property" in error for error in errors))

    def french_head(self):
        response = self.client.get(self.french.url)
        self.assertEqual(response.status_code, 200)
        parser = HeadParser()
        parser.feed(response.content.decode())
        return parser, response

    def test_a_translation_names_its_own_identifiers_only(self):
        # "Translate" copies neither the ISBN nor the DOI: each names one edition.
        self.french.refresh_from_db()
        self.assertEqual((self.french.isbn, self.french.doi), ("", ""))
        # A translation made before that still holds its source's: not repeated as its own.
        self.french.isbn, self.french.doi = self.page.isbn, self.page.doi
        with self.captureOnCommitCallbacks(execute=True):
            self.french.save_revision().publish()
        head, response = self.french_head()
        self.assertEqual(head.values("citation_isbn"), [])
        self.assertEqual(head.values("citation_doi"), [])
        self.assertEqual(head.values("citation_issn"), ["2111-4447"])  # the series' own
        (block,) = head.json_ld
        (report,) = schema_org.expand(json.loads(block))
        self.assertEqual(schema_org.nodes(report, "identifier"), [])
        self.assertNotIn("978-0-306-40615-7", response.content.decode())
        for fmt in ("bib", "ris", "json"):
            cite = self.client.get(f"{self.french.url}cite/{fmt}/").content.decode()
            self.assertNotIn("978-0-306-40615-7", cite, fmt)
            self.assertNotIn("10.1234/abc-567", cite, fmt)
        # The source keeps them.
        self.assertEqual(self.head().values("citation_isbn"), ["978-0-306-40615-7"])
        # The French edition's own ISBN is the French page's.
        self.french.isbn = "9782123456803"
        with self.captureOnCommitCallbacks(execute=True):
            self.french.save_revision().publish()
        head, _response = self.french_head()
        self.assertEqual(head.values("citation_isbn"), ["978-2-12-345680-3"])
        (report,) = schema_org.expand(json.loads(head.json_ld[0]))
        (isbn,) = schema_org.nodes(report, "identifier")
        self.assertEqual(schema_org.values(isbn, "value"), ["978-2-12-345680-3"])

    def test_open_graph_twitter_canonical_and_hreflang(self):
        head = self.head()
        (image,) = head.values("og:image")
        self.assertTrue(image.startswith(f"{self.page.get_site().root_url}/media/images/"))
        self.assertTrue(image.endswith(".width-800.png"))
        self.assertEqual(head.values("og:type"), ["article"])
        self.assertEqual(head.values("og:image:alt"), ["A map of city networks"])
        self.assertEqual(head.values("twitter:card"), ["summary_large_image"])
        self.assertEqual(head.values("twitter:image"), [image])
        canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
        self.assertEqual(len(canonical), 1)
        hreflang = {
            link["hreflang"]: link["href"]
            for link in head.links
            if link.get("rel") == "alternate" and "hreflang" in link
        }
        self.assertEqual(set(hreflang), {"en", "fr", "x-default"})
        self.assertTrue(hreflang["fr"].endswith(self.french.url))
        self.assertEqual(hreflang["x-default"], hreflang["en"])

    def test_no_inline_script_or_style(self):
        html = self.client.get(self.page.url).content.decode()
        import re

        scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        self.assertEqual(scripts, [' type="application/ld+json"'])
        self.assertNotIn("style=", html)
