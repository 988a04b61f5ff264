"""One rule decides what is public (publications.visibility), and every surface a reader or a
machine reads follows it. A table: every kind of private page (a draft, a scheduled and an
expired analysis; an analysis behind a login, a password or a group; a private translation of a
public analysis; a draft expert named as an author) against every surface (the listing, its
facets and counts, search results, counts, suggestions and corrections ("Did you mean"), related
analyses, home, centre and expert lists, feeds, the sitemap with its landing pages, citation
files, "Available in", author names).

Each private thing carries a marker word of its own, in its title and its theme (a theme no public
analysis has); no surface may show, count or link the marker."""

import datetime
import re

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from publications import facet_index, spelling
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    ThemeFactory,
    build_site,
    translate,
)

ANALYSIS_KINDS = ["draft", "scheduled", "expired", "login", "password", "group"]
KINDS = [*ANALYSIS_KINDS, "translation", "expert"]


def marker(kind):
    return f"zq{kind}secret"


class PublicRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        translate(cls.tree.home, "fr", title="Accueil")
        cls.french_index = translate(cls.tree.analyses, "fr", title="Analyses")
        cls.centre = CenterPageFactory(parent=cls.tree.centers, title="Open centre")
        cls.expert = ExpertPageFactory(parent=cls.centre, title="Open expert")
        cls.shared = ThemeFactory(name="Shared theme", slug="shared-theme")
        cls.public = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Open analysis",
            themes=[cls.shared],
            authors=[cls.expert],
            units=[cls.centre],
        )
        cls.private = {}
        for kind in ANALYSIS_KINDS:
            cls.private[kind] = AnalysisPageFactory(
                parent=cls.tree.analyses,
                title=f"Analysis {marker(kind)}",
                slug=f"private-{kind}",  # the marker is in what the page says, not in its URL
                summary=f"<p>Only {marker(kind)} here.</p>",
                live=kind != "draft",
                themes=[cls.shared, ThemeFactory(name=marker(kind), slug=marker(kind))],
                authors=[cls.expert],
                units=[cls.centre],
                publication_date=datetime.date.today(),
            )
        scheduled = cls.private["scheduled"]
        scheduled.live = False
        scheduled.save()
        scheduled.go_live_at = timezone.now() + datetime.timedelta(days=3)
        scheduled.save_revision().publish()
        expired = cls.private["expired"]
        expired.expire_at = timezone.now() + datetime.timedelta(seconds=1)
        expired.save_revision().publish()
        type(expired).objects.filter(pk=expired.pk).update(
            expire_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        call_command("publish_scheduled", verbosity=0)
        for kind, restriction in [
            ("login", PageViewRestriction.LOGIN),
            ("password", PageViewRestriction.PASSWORD),
            ("group", PageViewRestriction.GROUPS),
        ]:
            made = PageViewRestriction.objects.create(
                page=cls.private[kind], restriction_type=restriction, password="a-password"
            )
            if kind == "group":
                made.groups.set([Group.objects.create(name="Partners")])
        # A public English analysis whose French translation is private.
        cls.translated = AnalysisPageFactory(
            parent=cls.tree.analyses, title="Open original", themes=[cls.shared]
        )
        cls.private["translation"] = translate(
            cls.translated, "fr", title=f"Traduction {marker('translation')}", slug="traduction"
        )
        PageViewRestriction.objects.create(
            page=cls.private["translation"], restriction_type=PageViewRestriction.LOGIN
        )
        # A draft expert named as an author of a public analysis.
        cls.private["expert"] = ExpertPageFactory(
            parent=cls.centre, title=f"Expert {marker('expert')}", slug="draft-expert", live=False
        )
        cls.with_draft_author = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Open analysis with a draft author",
            themes=[cls.shared],
            authors=[cls.private["expert"], "Outside Author"],
        )

    def read(self, url, **params):
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode().lower()

    def assert_hidden(self, text, where):
        for kind in KINDS:
            with self.subTest(kind=kind, where=where):
                self.assertNotIn(marker(kind), text)

    # --- The surfaces --------------------------------------------------------------------

    def test_the_private_pages_are_what_they_claim(self):
        self.assertEqual(self.client.get(self.private["draft"].url).status_code, 404)
        self.assertEqual(self.client.get(self.private["scheduled"].url).status_code, 404)
        self.assertEqual(self.client.get(self.private["expired"].url).status_code, 404)
        self.assertEqual(self.client.get(self.private["login"].url).status_code, 302)
        self.assertEqual(self.client.get(self.private["translation"].url).status_code, 302)
        self.assertIn("password", self.read(self.private["password"].url))
        self.assertEqual(self.client.get(self.private["group"].url).status_code, 302)
        self.assertEqual(self.client.get(self.private["expert"].url).status_code, 404)

    def test_pages_and_lists(self):
        pages = [
            self.tree.home,
            self.tree.analyses,
            self.french_index,
            self.centre,
            self.expert,
            self.public,
            self.translated,
            self.with_draft_author,
        ]
        for page in pages:
            self.assert_hidden(self.read(page.url), page.url)
        self.assert_hidden(self.read(self.tree.analyses.url, theme="shared-theme"), "by theme")

    def test_listing_counts_and_facets(self):
        listing = self.client.get(self.tree.analyses.url).context["listing"]
        self.assertEqual(listing.page.paginator.count, 3)  # the three open English analyses
        facets = {facet.name: facet for facet in listing.facets}
        self.assertEqual({value.value for value in facets["theme"].values}, {"shared-theme"})
        self.assertEqual({value.label for value in facets["author"].values}, {self.expert.title})
        # The only French translation is private: French counts nothing, and asking for French
        # lists nothing (not its English original).
        self.assertEqual(
            {value.value: value.count for value in facets["language"].values}, {"en": 3}
        )
        french = self.client.get(self.tree.analyses.url, {"language": "fr"}).context["listing"]
        self.assertEqual(french.page.paginator.count, 0)
        french_index = self.client.get(self.french_index.url).context["listing"]
        self.assertEqual(french_index.page.paginator.count, 0)

    def test_search_results_counts_and_suggestions(self):
        for kind in KINDS:
            language = "fr" if kind == "translation" else "en"
            with self.subTest(kind=kind):
                response = self.client.get(f"/{language}/search/", {"q": marker(kind)})
                self.assertEqual(response.context["page"], None)
                self.assertEqual(response.context["others"], [])
                suggestions = self.client.get(
                    f"/{language}/search/suggest/", {"q": marker(kind)[:6]}
                ).json()
                self.assertEqual(suggestions["results"], [])
                # Misspelt, the marker is corrected to nothing ("Did you mean"): no private
                # title, theme or name is a word a correction can come from.
                typo = marker(kind)[:-1] + "x"
                locale = Locale.objects.get(language_code=language)
                self.assertIsNone(spelling.correction(typo, locale.pk, facet_index.current()))
                response = self.client.get(f"/{language}/search/", {"q": typo})
                self.assertEqual(response.context["corrected_from"], "")
                self.assertEqual(response.context["suggestion"], "")
                self.assertNotIn(marker(kind), response.content.decode().lower())

    def test_related_analyses(self):
        context = self.client.get(self.public.url).context
        related = {card.pk for card in context["related_analyses"]}
        discover = {card.pk for card in context["discover_analyses"]}
        self.assertFalse(related & {page.pk for page in self.private.values()})
        self.assertFalse(discover & {page.pk for page in self.private.values()})

    def test_feeds(self):
        urls = [
            "/en/feeds/analyses.rss",
            "/en/feeds/analyses.atom",
            "/fr/feeds/analyses.rss",
            "/en/feeds/theme/shared-theme.rss",
            f"/en/feeds/unit/{self.centre.pk}.atom",
            f"/en/feeds/expert/{self.expert.pk}.rss",
        ]
        for url in urls:
            self.assert_hidden(self.read(url), url)
        for kind in ANALYSIS_KINDS:
            self.assertEqual(
                self.client.get(f"/en/feeds/theme/{marker(kind)}.rss").status_code, 404
            )
        expert = self.client.get(f"/en/feeds/expert/{self.private['expert'].pk}.rss")
        self.assertEqual(expert.status_code, 404)

    def test_sitemap_and_its_landing_pages(self):
        sitemap = self.read("/sitemap.xml")
        self.assert_hidden(sitemap, "sitemap")
        for page in self.private.values():
            self.assertNotIn(page.url.lower(), sitemap)
        self.assertIn("/en/analyses/themes/shared-theme/", sitemap)
        self.assertNotIn("/fr/analyses/themes/shared-theme/", sitemap)  # nothing public in French

    def test_citation_files_and_author_names(self):
        for fmt in ("bib", "ris", "json"):
            text = self.read(f"{self.with_draft_author.url}cite/{fmt}/")
            self.assert_hidden(text, fmt)
            self.assertIn("outside", text)
        page = self.read(self.with_draft_author.url)
        self.assertIn('<meta name="citation_author" content="outside author">', page)
        self.assertEqual(len(re.findall(r'name="citation_author"', page)), 1)
        self.assertEqual(
            [
                row["name"]
                for row in self.client.get(self.with_draft_author.url).context["author_rows"]
            ],
            ["Outside Author"],
        )
        for kind in ANALYSIS_KINDS:
            # Not found, a login, or Wagtail's password form: never the file.
            response = self.client.get(f"{self.private[kind].url}cite/bib/")
            self.assertNotIn("attachment", response.get("Content-Disposition", ""), kind)
            self.assertNotIn(marker(kind), response.content.decode().lower(), kind)

    def test_available_in(self):
        context = self.client.get(self.translated.url).context
        self.assertEqual([page.locale.language_code for page in context["translations"]], ["en"])
        html = self.read(self.translated.url)
        self.assertNotIn(self.private["translation"].url.lower(), html)
