"""One origin for absolute URLs (publications/site_origin.py): SITE_BASE_URL is written into the
Wagtail Site record by ``manage.py configure_site``, and what is not a page (robots.txt, feeds,
PDFs) is made absolute on the same record as pages are. tests/test_demo_output.py checks every
absolute URL of the demo content."""

from io import StringIO

from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings
from wagtail.models import Site

from publications.site_origin import parse_base_url
from tests.factories import AnalysisPageFactory, DocumentFactory, build_site


class ParseBaseUrlTests(SimpleTestCase):
    def test_what_the_site_record_can_hold(self):
        self.assertEqual(parse_base_url("https://example.org"), ("example.org", 443))
        self.assertEqual(parse_base_url("https://example.org/"), ("example.org", 443))
        self.assertEqual(parse_base_url("http://127.0.0.1:8001"), ("127.0.0.1", 8001))
        self.assertEqual(parse_base_url("http://Example.ORG"), ("example.org", 80))

    def test_what_it_cannot(self):
        for url in (
            "",
            "example.org",
            "ftp://example.org",
            "https://example.org:8443",  # Wagtail would write http://example.org:8443
            "http://example.org:443",  # ... and https://example.org
            "https://example.org/site/",
            "https://user@example.org",
            "http://example.org:port",
        ):
            with self.subTest(url), self.assertRaises(ImproperlyConfigured):
                parse_base_url(url)


class ConfigureSiteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.pdf = DocumentFactory()
        cls.page = AnalysisPageFactory(parent=cls.tree.analyses, title="An analysis", pdf=cls.pdf)

    def configure(self, *args):
        out = StringIO()
        call_command("configure_site", *args, stdout=out)
        return out.getvalue()

    @override_settings(SITE_BASE_URL="https://publications.example.org")
    def test_the_site_record_follows_the_setting_and_stays(self):
        self.assertIn("set to https://publications.example.org", self.configure())
        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port), ("publications.example.org", 443))
        self.assertEqual(site.root_page_id, self.tree.home.pk)
        self.assertIn("already https://publications.example.org", self.configure())

    def test_a_base_url_given_on_the_command_line_and_a_refused_one(self):
        self.configure("--base-url", "http://127.0.0.1:8001")
        self.assertEqual(Site.objects.get(is_default_site=True).root_url, "http://127.0.0.1:8001")
        with self.assertRaisesMessage(CommandError, "port 443 only"):
            self.configure("--base-url", "https://127.0.0.1:8001")
        self.assertEqual(Site.objects.get(is_default_site=True).root_url, "http://127.0.0.1:8001")

    def test_a_request_on_another_host_gets_the_sites_urls(self):
        self.configure("--base-url", "https://publications.example.org")
        origin = "https://publications.example.org"
        other_host = {"HTTP_HOST": "10.0.0.7:8000"}
        robots = self.client.get("/robots.txt", **other_host).content.decode()
        self.assertIn(f"Sitemap: {origin}/sitemap.xml", robots)
        html = self.client.get(self.page.url, **other_host).content.decode()
        self.assertIn(f'<link rel="canonical" href="{origin}{self.page.url}">', html)
        self.assertIn(f'<meta name="citation_pdf_url" content="{origin}{self.pdf.url}">', html)
        self.assertNotIn("10.0.0.7", html)
        self.assertNotIn("http://localhost", html)
        feed = self.client.get("/en/feeds/analyses.atom", **other_host).content.decode()
        self.assertIn(f"<id>{origin}/en/feeds/analyses.atom</id>", feed)
        self.assertNotIn("10.0.0.7", feed)
