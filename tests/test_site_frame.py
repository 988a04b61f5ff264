"""What every public page shares: the header (a menu that works without JavaScript, the search
box), the footer (contact, sections, feeds, languages, legal notice), /favicon.ico and the legal
notice itself, in both languages."""

from django.test import TestCase, override_settings

from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    RegionFactory,
    ThemeFactory,
    UserFactory,
    build_site,
    translate,
)


@override_settings(SITE_CONTACT_EMAIL="press@example.org")
class SiteFrameTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        translate(cls.tree.home, "fr", title="Accueil")
        translate(cls.tree.analyses, "fr", title="Analyses")

    def html(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def footer(self, url):
        html = self.html(url)
        return html[html.index('<footer class="site-footer">') :]

    def test_the_menu_is_a_link_to_itself_without_javascript(self):
        html = self.html(self.tree.analyses.url)
        self.assertIn('<a class="menu-toggle" href="#site-menu"', html)
        self.assertIn('<div class="site-menu" id="site-menu" data-menu>', html)
        menu = html[html.index('id="site-menu"') : html.index("</header>")]
        for part in ('aria-label="Main"', 'role="search"', 'aria-label="Language"', 'href="#"'):
            self.assertIn(part, menu)

    def test_the_footer_has_contact_sections_feeds_languages_and_legal_notice(self):
        footer = self.footer(self.tree.analyses.url)
        for part in (
            'href="mailto:press@example.org"',
            f'href="{self.tree.analyses.url}"',
            'href="/en/feeds/analyses.rss"',
            'href="/en/feeds/analyses.atom"',
            'href="/fr/analyses/" hreflang="fr"',
            'href="/en/legal/">Legal notice and privacy</a>',
        ):
            self.assertIn(part, footer)
        french = self.footer("/fr/analyses/")
        for part in ('href="/fr/feeds/analyses.rss"', "Mentions légales et confidentialité"):
            self.assertIn(part, french)

    @override_settings(SITE_CONTACT_EMAIL="")
    def test_no_contact_line_without_an_address(self):
        self.assertNotIn("mailto:", self.footer(self.tree.home.url))

    def test_the_legal_notice_in_each_language(self):
        self.assertIn("<h1>Legal notice and privacy</h1>", self.html("/en/legal/"))
        french = self.html("/fr/legal/")
        self.assertIn("<h1>Mentions légales et confidentialité</h1>", french)
        self.assertIn('<meta name="description" content="Qui publie ce site', french)
        self.assertIn('href="mailto:press@example.org"', french)

    def test_favicon_ico_leads_to_the_icon(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].endswith("img/favicon.ico"))
        self.assertEqual(self.client.head("/favicon.ico").status_code, 302)

    def test_the_search_page_has_one_search_box(self):
        html = self.html("/en/search/?q=cities")
        self.assertEqual(html.count('role="search"'), 1)
        self.assertNotIn('id="site-search-q"', html)


class MetaDescriptionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.theme = ThemeFactory(name="Energy", slug="energy", description="Power and grids.")
        cls.region = RegionFactory(name="Europe", slug="europe")
        cls.centre = CenterPageFactory(
            parent=cls.tree.centers, introduction="<p>Cities abroad.</p>"
        )
        cls.programme = ProgrammePageFactory(parent=cls.centre)
        cls.expert = ExpertPageFactory(parent=cls.centre, title="Jane Doe")
        AnalysisPageFactory(parent=cls.tree.analyses, themes=[cls.theme], regions=[cls.region])

    def description(self, url):
        html = self.client.get(url).content.decode()
        start = html.find('<meta name="description" content="')
        self.assertNotEqual(start, -1, f"no meta description on {url}")
        return html[start + 34 : html.index('"', start + 34)]

    def test_every_indexable_page_has_a_meta_description(self):
        index = self.tree.analyses.url
        pages = {
            self.tree.home.url: "",
            index: "",
            f"{index}?page=1": "",
            f"{index}themes/energy/": "Power and grids.",
            f"{index}regions/europe/": "Our analyses on Europe, newest first.",
            self.tree.centers.url: "",
            self.centre.url: "Cities abroad.",
            self.programme.url: "",
            self.expert.url: "",
            "/en/legal/": "",
        }
        for url, expected in pages.items():
            with self.subTest(url):
                description = self.description(url)
                self.assertTrue(description.strip())
                if expected:
                    self.assertEqual(description, expected)


class UserbarTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()

    def test_editors_get_the_userbar_within_the_public_policy(self):
        self.assertNotIn("wagtail-userbar", self.client.get(self.tree.home.url).content.decode())
        self.client.force_login(UserFactory(is_superuser=True, is_staff=True))
        response = self.client.get(self.tree.home.url)
        html = response.content.decode()
        self.assertIn("<wagtail-userbar", html)
        policy = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)
        # Every script it adds is a file of the site's own, or data (JSON), never inline code.
        import re

        for tag in re.findall(r"<script\b[^>]*>", html):
            self.assertTrue("src=" in tag or 'type="application/' in tag, tag)
