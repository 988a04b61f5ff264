"""A crawl of every public French page of the demo content, as a French reader and a search
engine see them, finds no English interface string and no English taxonomy name. Text and the
attributes a reader or a screen reader meets (alt, title, aria-label, placeholder) are read;
what is marked as another language (``lang="en"``: the language switcher's "English", an
English image description, a link to the English version) or as a name not to translate
(``translate="no"``: a partner organisation's name) is left out.

Also: the French demo has one analysis with its own French PDF and one with the English PDF,
which says so. One test class, so that the demo (about 30 s to load) is loaded once."""

import re
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Locale

from publications import facet_index
from publications.models import AnalysisPage, AnalysisType, Region, Series, Theme
from tests.test_french_catalogue import PO, entries

VISIBLE_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
SKIPPED_ELEMENTS = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class FrenchText(HTMLParser):
    """The French text of a page (and its <title>), and the links to follow."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.links = [], [], []

    def _foreign(self):
        return any(not skip and lang and lang != "fr" for _t, lang, skip in self.stack)

    def _skipped(self):
        return any(skip for _t, _lang, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        lang = attrs.get("lang")
        if attrs.get("translate") == "no":
            lang = "zxx"  # a name, in no language of the site's
        if not (self._skipped() or self._foreign() or (lang and lang != "fr")):
            self.text += [attrs[name] for name in VISIBLE_ATTRIBUTES if attrs.get(name)]
            if tag == "meta" and attrs.get("name") == "description":
                self.text.append(attrs.get("content") or "")
        if tag not in VOID:
            self.stack.append((tag, lang, tag in SKIPPED_ELEMENTS))

    def handle_endtag(self, tag):
        for at in range(len(self.stack) - 1, -1, -1):
            if self.stack[at][0] == tag:
                del self.stack[at:]
                break

    def handle_data(self, data):
        if data.strip() and not self._skipped() and not self._foreign():
            self.text.append(data)


def english_interface_strings():
    """The interface's English messages whose French differs: plain ones (no placeholder, no
    markup) of two words or more, or one long word, in the catalogue."""
    found = set()
    for _flags, msgid, plural, strings in entries(PO):
        if plural or any(mark in msgid for mark in "%{<>") or strings[0] == msgid:
            continue
        if len(msgid.split()) >= 2 or len(msgid) >= 8:
            found.add(msgid.rstrip(".:"))
    return found


def english_term_names():
    """The English names of the terms that have a French name of their own."""
    found = set()
    for model in (Theme, Region, AnalysisType, Series):
        names = dict(
            model.objects.filter(locale__language_code="fr").values_list("translation_key", "name")
        )
        for key, name in model.objects.filter(locale__language_code="en").values_list(
            "translation_key", "name"
        ):
            if key in names and names[key] != name:
                found.add(name)
    return found


class FrenchCrawlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", stdout=StringIO())

    def setUp(self):
        facet_index.forget()

    def crawl(self):
        """Every page reachable from /fr/ and the sitemap's French URLs, without a query string
        (plus one search): {path: text}."""
        sitemap = self.client.get("/sitemap.xml").content.decode()
        queue = ["/fr/", "/fr/search/?q=villes"]
        queue += [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
        seen, pages = set(), {}
        while queue:
            path = queue.pop()
            if path in seen or not path.startswith("/fr/"):
                continue
            seen.add(path)
            response = self.client.get(path)
            if response.status_code in (301, 302):
                queue.append(response["Location"])
                continue
            self.assertEqual(response.status_code, 200, path)
            if not response["Content-Type"].startswith("text/html"):
                continue
            parser = FrenchText()
            parser.feed(response.content.decode())
            pages[path] = "\n".join(parser.text)
            for href in parser.links:
                parts = urlsplit(href)
                if not parts.netloc and not parts.query and parts.path.startswith("/fr/"):
                    queue.append(parts.path)
        return pages

    def test_no_english_on_french_pages(self):
        pages = self.crawl()
        self.assertGreater(len(pages), 30)
        self.assertIn("/fr/analyses/", pages)
        strings = english_interface_strings()
        terms = english_term_names()
        self.assertGreater(len(strings), 100)
        self.assertGreater(len(terms), 20)
        problems = []
        for path, text in sorted(pages.items()):
            for english in sorted(strings | terms):
                if re.search(rf"(?<![\w-]){re.escape(english)}(?![\w-])", text):
                    problems.append(f"{path}: {english!r}")
        self.assertEqual(problems, [])

    def test_one_french_analysis_with_its_own_pdf_and_one_with_the_english_one(self):
        french = AnalysisPage.objects.live().filter(locale__language_code="fr")
        self.assertEqual(french.count(), 2)
        own, borrowed = 0, 0
        for page in french:
            html = self.client.get(page.url).content.decode()
            source = page.get_translation(Locale.objects.get(language_code="en"))
            if page.specific.pdf_id == source.specific.pdf_id:
                borrowed += 1
                self.assertIn("PDF, en anglais,", html)
                self.assertIn('hreflang="en"', html)
                self.assertNotIn('name="citation_pdf_url"', html)
            else:
                own += 1
                self.assertNotIn("en anglais", html)
                self.assertIn('name="citation_pdf_url"', html)
        self.assertEqual((own, borrowed), (1, 1))
