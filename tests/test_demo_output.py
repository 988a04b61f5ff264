"""What machines read of the demo content (``manage.py load_demo_content``, what ``make run``
serves), read from every public page as a crawler finds them, with requests on another host name
than the site's:

- every feed a page advertises keeps the RSS 2.0 / Atom 1.0 rules (tests/feed_rules.py, lxml), has
  items, dates them by the analysis' publication date in that order, has an Atom id of its own,
  and gives each PDF's length as the size of the file served;
- every absolute URL of the site (canonical, og:url, hreflang, JSON-LD, citation_pdf_url, the
  citation files, *Copy link*, the sitemap, robots.txt, the feeds) is on the configured origin;
- every analysis' JSON-LD uses schema.org properties on types of their domains (pyld).

One test, so that the demo (about 30 s to load) is loaded once, whichever worker runs it.
"""

import datetime
import json
import re
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

from django.core.management import call_command
from django.test import TestCase, override_settings
from wagtail.models import Locale

from publications.models import AnalysisPage
from tests import schema_org
from tests.feed_rules import read_feed

ORIGIN = "https://publications.example.org"
OTHER_HOST = {"HTTP_HOST": "127.0.0.1:8000"}  # how a load balancer or a proxy may reach the app
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}
FEED_TYPES = {"application/rss+xml", "application/atom+xml"}


class PageReader(HTMLParser):
    """The absolute URLs a page gives machines, by where they are, and its feed links."""

    def __init__(self):
        super().__init__()
        self.urls, self.feeds, self.json_ld, self._in_ld = [], [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel, href = attrs.get("rel"), attrs.get("href")
        if tag == "link" and rel == "canonical":
            self.urls.append(("canonical", href))
        elif tag == "link" and rel == "alternate" and "hreflang" in attrs:
            self.urls.append(("hreflang", href))
        elif tag == "link" and rel == "alternate" and attrs.get("type") in FEED_TYPES:
            self.feeds.append(href)
        elif tag == "meta" and attrs.get("property") == "og:url":
            self.urls.append(("og:url", attrs["content"]))
        elif tag == "meta" and attrs.get("name") == "citation_pdf_url":
            self.urls.append(("citation_pdf_url", attrs["content"]))
        elif tag == "a" and "data-copy-link" in attrs:
            self.urls.append(("copy link", href))
        elif tag == "a" and href and "linkedin.com" in href:
            self.urls.append(("share", parse_qs(urlsplit(href).query)["url"][0]))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data


def json_ld_urls(data):
    """The site's URLs in a JSON-LD block: every url, contentUrl and image, at any depth (not the
    @context, nor doi.org's)."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("url", "contentUrl", "image") and isinstance(value, str):
                if not value.startswith("https://doi.org/"):
                    found.append(value)
            else:
                found += json_ld_urls(value)
    elif isinstance(data, list):
        for value in data:
            found += json_ld_urls(value)
    return found


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@override_settings(SITE_BASE_URL=ORIGIN)
class DemoContentOutputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", stdout=StringIO())

    def get(self, url, status=200):
        response = self.client.get(url, **OTHER_HOST)
        self.assertEqual(response.status_code, status, url)
        return response

    def body(self, url):
        response = self.get(url)
        if response.streaming:
            return b"".join(response.streaming_content)
        return response.content

    def test_feeds_urls_and_json_ld_of_the_demo_content(self):
        # robots.txt leads to the sitemap, which lists every public page.
        robots = self.body("/robots.txt").decode()
        (sitemap_url,) = re.findall(r"^Sitemap: (\S+)$", robots, re.MULTILINE)
        found = [("robots.txt", sitemap_url)]
        sitemap = ElementTree.fromstring(self.body(urlsplit(sitemap_url).path))
        locs = [loc.text for loc in sitemap.iterfind("s:url/s:loc", SITEMAP_NS)]
        found += [("sitemap", loc) for loc in locs]
        found += [
            ("sitemap hreflang", link.get("href"))
            for link in sitemap.iterfind("s:url/x:link", SITEMAP_NS)
        ]
        self.assertGreater(len(locs), 100)

        feeds, blocks = {}, []
        for loc in locs:
            path = urlsplit(loc).path
            page = PageReader()
            page.feed(self.get(path).content.decode())
            found += page.urls
            for href in page.feeds:
                feeds.setdefault(href, path)
            for block in page.json_ld:
                blocks.append((path, json.loads(block)))
                found += [("JSON-LD", url) for url in json_ld_urls(json.loads(block))]
        analyses = AnalysisPage.objects.live().public().select_related("locale")
        for analysis in analyses:
            base = analysis.url
            record = json.loads(self.body(f"{base}cite/json/"))
            found += [("CSL-JSON", item["URL"]) for item in record]
            ris = self.body(f"{base}cite/ris/").decode()
            found += [("RIS", url) for url in re.findall(r"^(?:UR|L1)  - (\S+)", ris, re.M)]
            bib = self.body(f"{base}cite/bib/").decode()
            found += [("BibTeX", url) for url in re.findall(r"url = \{([^}]+)\}", bib)]

        with self.subTest("feeds"):
            found += self.check_feeds(feeds, analyses)
        with self.subTest("one origin"):
            kinds = {kind for kind, _url in found}
            for kind in (
                "robots.txt",
                "sitemap",
                "sitemap hreflang",
                "canonical",
                "og:url",
                "hreflang",
                "citation_pdf_url",
                "copy link",
                "share",
                "JSON-LD",
                "CSL-JSON",
                "RIS",
                "BibTeX",
                "feed",
            ):
                self.assertIn(kind, kinds)  # each kind was found, and so checked
            elsewhere = sorted({(kind, url) for kind, url in found if origin(url) != ORIGIN})
            self.assertEqual(elsewhere, [])
        with self.subTest("JSON-LD"):
            self.assertEqual(len(blocks), analyses.count())
            for path, data in blocks:
                self.assertEqual(schema_org.domain_errors(schema_org.expand(data)), [], path)

    def check_feeds(self, feeds, analyses):
        """Every advertised feed; returns the absolute URLs found in them."""
        self.assertGreater(len(feeds), 50)
        dates = {page.full_url: page.publication_date for page in analyses}
        languages = {locale.pk: locale.language_code for locale in Locale.objects.all()}
        self.assertEqual(set(languages.values()), {"en", "fr"})
        midnight = datetime.time(0, 0)
        atom_ids, sizes, urls = {}, {}, []
        for href, advertised_on in sorted(feeds.items()):
            with self.subTest(href, advertised_on=advertised_on):
                feed = read_feed(self.body(href), href)
                self.assertTrue(feed["items"], f"an empty feed is advertised on {advertised_on}")
                self.assertEqual(feed["language"], href.split("/")[1])
                if href.endswith(".atom"):
                    self.assertNotIn(feed["id"], atom_ids, f"also {atom_ids.get(feed['id'])}")
                    atom_ids[feed["id"]] = href
                published = [item["published"] for item in feed["items"]]
                self.assertEqual(published, sorted(published, reverse=True))
                for item in feed["items"]:
                    self.assertEqual(
                        item["published"],
                        datetime.datetime.combine(
                            dates[item["link"]], midnight, tzinfo=datetime.UTC
                        ),
                    )
                    self.assertTrue(all("," not in a["name"] for a in item["authors"]))
                    for enclosure in item["enclosures"]:
                        url = enclosure["url"]
                        if url not in sizes:
                            sizes[url] = len(self.body(urlsplit(url).path))
                        self.assertEqual(enclosure["length"], sizes[url], url)
                        urls.append(("feed", url))
                    urls.append(("feed", item["link"]))
                urls += [("feed", feed["link"]), ("feed", feed["self"])]
                if feed["id"]:
                    urls.append(("feed", feed["id"]))
        self.assertGreater(len(sizes), 20)
        return urls
