"""What every public page shares: the header (a menu that works without JavaScript, the search
box), the footer (contact, sections, feeds, languages, legal notice), /favicon.ico and the legal
notice itself, in both languages."""

from django.test import TestCase, override_settings

from tests.factories import build_site, translate


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
