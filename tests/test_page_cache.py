"""Anonymous full-page caching (publications.page_cache, config.middleware.PageCacheMiddleware):
what is served from the cache, who bypasses it, and what invalidates it."""

import datetime
import time
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.test import RequestFactory, TestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from publications import freshness, page_cache
from publications.freshness import record_change
from publications.models import AnalysisPage, ContentChange
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    CentersIndexPageFactory,
    DocumentFactory,
    ThemeFactory,
    UserFactory,
    build_site,
)


class ChangesRecordedOnceTests(TestCase):
    """``freshness.changes_recorded_once``: the changes of a block written once each, at its
    end, or not at all if it fails."""

    @staticmethod
    def latest():
        return ContentChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def recorded(self, since):
        rows = ContentChange.objects.filter(pk__gt=since).order_by("pk")
        return list(rows.values_list("kind", "translation_key"))

    def test_each_change_is_written_once_when_the_block_ends(self):
        since, key = self.latest(), uuid.uuid4()
        with freshness.changes_recorded_once():
            self.assertIsNone(record_change(ContentChange.ANALYSIS, key))
            record_change(ContentChange.PAGES)
            record_change(ContentChange.ANALYSIS, key)
            self.assertEqual(self.recorded(since), [])
        self.assertEqual(
            self.recorded(since), [(ContentChange.ANALYSIS, key), (ContentChange.PAGES, None)]
        )

    def test_a_block_that_fails_writes_nothing_and_the_next_change_is_written_at_once(self):
        since = self.latest()
        with self.assertRaises(ValueError), transaction.atomic():
            with freshness.changes_recorded_once():
                record_change(ContentChange.PAGES)
                raise ValueError("the row is refused")
        self.assertEqual(self.recorded(since), [])
        self.assertIsNotNone(record_change(ContentChange.PAGES))
        self.assertEqual(self.recorded(since), [(ContentChange.PAGES, None)])


@override_settings(PAGE_CACHE_ENABLED=True)
class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.theme = ThemeFactory(name="Urban diplomacy")
        cls.analysis = AnalysisPageFactory(
            parent=cls.tree.analyses, title="Cities abroad", themes=[cls.theme]
        )

    def get(self, url, **extra):
        response = self.client.get(url, **extra)
        self.assertEqual(response.status_code, 200, url)
        return response

    def test_second_anonymous_hit_is_served_from_the_cache_without_a_query(self):
        first = self.get(self.analysis.url)
        self.assertEqual(first["X-Page-Cache"], "miss")
        with CaptureQueriesContext(connection) as queries:
            second = self.get(self.analysis.url)
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(len(queries.captured_queries), 0)
        self.assertEqual(first.content, second.content)

    def test_cached_responses_keep_the_security_headers_and_say_public(self):
        self.get(self.analysis.url)
        response = self.get(self.analysis.url)
        self.assertEqual(response["X-Page-Cache"], "hit")
        self.assertIn("default-src 'self'", response["Content-Security-Policy"])
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])
        for header in [
            "Permissions-Policy",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
            "X-Frame-Options",
        ]:
            self.assertIn(header, response, header)
        self.assertIn("public", response["Cache-Control"])
        self.assertIn("s-maxage=", response["Cache-Control"])
        self.assertNotIn("Set-Cookie", response)

    def test_the_key_includes_the_query_string_and_the_language(self):
        self.get(self.tree.analyses.url)
        other = self.client.get(self.tree.analyses.url, {"page": "1"})
        self.assertEqual(other["X-Page-Cache"], "miss")
        french = self.client.get(self.tree.analyses.url.replace("/en/", "/fr/"))
        self.assertNotEqual(french.get("X-Page-Cache"), "hit")

    def test_a_logged_in_editor_bypasses_the_cache_and_gets_a_private_response(self):
        self.get(self.analysis.url)
        self.client.force_login(UserFactory(is_superuser=True))
        response = self.get(self.analysis.url)
        self.assertNotIn("X-Page-Cache", response)
        self.assertIn("private", response["Cache-Control"])

    def test_previews_are_never_cached(self):
        self.client.force_login(UserFactory(is_superuser=True))
        response = self.client.get(f"/admin/pages/{self.analysis.pk}/view_draft/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("X-Page-Cache", response)
        self.client.logout()
        self.assertEqual(self.get(self.analysis.url)["X-Page-Cache"], "miss")

    def test_the_admin_documents_and_health_are_not_cached(self):
        document = DocumentFactory()
        for url in ["/healthz", document.url, "/admin/login/"]:
            self.client.get(url)
            response = self.client.get(url)
            self.assertNotIn("X-Page-Cache", response, url)

    def test_404s_are_not_cached(self):
        self.client.get("/en/analyses/nothing-here/")
        response = self.client.get("/en/analyses/nothing-here/")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("X-Page-Cache", response)

    def test_publishing_invalidates(self):
        self.get(self.tree.analyses.url)
        new = AnalysisPageFactory(
            parent=self.tree.analyses, title="Fresh off the press", live=False
        )
        self.assertNotIn("Fresh off the press", self.get(self.tree.analyses.url).content.decode())
        self.get(self.tree.analyses.url)  # cached again, without the draft
        new.save_revision().publish()
        response = self.get(self.tree.analyses.url)
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertIn("Fresh off the press", response.content.decode())

    def test_saving_a_draft_keeps_the_cache_and_publishing_it_does_not(self):
        self.get(self.analysis.url)
        draft = AnalysisPage.objects.get(pk=self.analysis.pk)
        draft.title = "Cities abroad, revised"
        draft.save_revision()
        response = self.get(self.analysis.url)
        self.assertEqual(response["X-Page-Cache"], "hit")
        self.assertNotIn("revised", response.content.decode())
        draft.get_latest_revision().publish()
        response = self.get(self.analysis.url)
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertIn("Cities abroad, revised", response.content.decode())

    def test_unpublishing_invalidates(self):
        self.get(self.analysis.url)
        self.get(self.tree.analyses.url)
        self.analysis.unpublish()
        self.assertEqual(self.client.get(self.analysis.url).status_code, 404)
        self.assertNotIn("Cities abroad", self.get(self.tree.analyses.url).content.decode())

    def test_editing_a_taxonomy_term_invalidates(self):
        self.assertIn("Urban diplomacy", self.get(self.analysis.url).content.decode())
        self.theme.name = "City diplomacy"
        self.theme.save()
        response = self.get(self.analysis.url)
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertIn("City diplomacy", response.content.decode())

    def test_moving_and_deleting_invalidate(self):
        centre = CenterPageFactory(parent=self.tree.centers, title="Moving soon", slug="moving")
        old_url = centre.url
        self.assertIn("Moving soon", self.get(old_url).content.decode())
        self.assertIn("Moving soon", self.get(self.tree.centers.url).content.decode())
        other_index = CentersIndexPageFactory(parent=self.tree.home, slug="elsewhere")
        centre.move(other_index, pos="last-child")
        # Wagtail's redirects app sends the old URL to the new one (not a stale copy of it).
        moved = self.client.get(old_url)
        self.assertEqual((moved.status_code, moved["Location"]), (301, "/en/elsewhere/moving/"))
        self.assertNotIn("Moving soon", self.get(self.tree.centers.url).content.decode())
        self.assertIn("Moving soon", self.get("/en/elsewhere/moving/").content.decode())
        self.get(self.analysis.url)
        AnalysisPage.objects.get(pk=self.analysis.pk).delete()
        self.assertEqual(self.client.get(self.analysis.url).status_code, 404)

    def test_a_private_page_is_never_cached_nor_served_to_the_wrong_reader(self):
        restriction = PageViewRestriction.objects.create(
            page=self.analysis, restriction_type=PageViewRestriction.LOGIN
        )
        self.assertEqual(self.client.get(self.analysis.url).status_code, 302)
        reader = UserFactory()
        self.client.force_login(reader)
        self.assertEqual(self.get(self.analysis.url).get("X-Page-Cache"), None)
        self.client.logout()
        response = self.client.get(self.analysis.url)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("X-Page-Cache", response)
        restriction.delete()
        self.assertEqual(self.get(self.analysis.url)["X-Page-Cache"], "miss")

    def test_after_a_change_the_first_reader_renders_the_page_again(self):
        self.get(self.analysis.url)
        record_change(ContentChange.PAGES)
        self.assertEqual(self.get(self.analysis.url)["X-Page-Cache"], "miss")
        self.assertEqual(self.get(self.analysis.url)["X-Page-Cache"], "hit")

    def test_a_stale_page_is_served_while_another_reader_renders_it_again(self):
        before = self.get(self.analysis.url).content
        AnalysisPage.objects.get(pk=self.analysis.pk).save_revision().publish()
        # Another reader got there first and is rendering it: its lock is in the shared cache.
        key = page_cache.page_key(RequestFactory().get(self.analysis.url))
        self.assertTrue(cache.add(key + ":rendering", 1, timeout=60))
        response = self.get(self.analysis.url)
        self.assertEqual(response["X-Page-Cache"], "stale")
        self.assertEqual(response.content, before)
        self.assertEqual(response["Cache-Control"], "public, max-age=0, s-maxage=0")  # no CDN
        cache.delete(key + ":rendering")  # that render is done...
        self.assertEqual(self.get(self.analysis.url)["X-Page-Cache"], "miss")

    def test_no_stale_page_is_served_once_the_grace_is_over(self):
        self.get(self.analysis.url)
        change = record_change(ContentChange.PAGES)
        key = page_cache.page_key(RequestFactory().get(self.analysis.url))
        self.assertTrue(cache.add(key + ":rendering", 1, timeout=60))  # a renderer that died
        # The change is older than the grace: readers render the page themselves.
        grace = datetime.timedelta(seconds=page_cache.STALE_GRACE_SECONDS + 1)
        ContentChange.objects.filter(pk=change.pk).update(created_at=change.created_at - grace)
        freshness.forget_cached_generation()
        self.assertEqual(self.get(self.analysis.url)["X-Page-Cache"], "miss")

    def test_an_unpublished_page_is_dropped_from_the_cache_not_served_stale(self):
        self.get(self.analysis.url)
        self.analysis.unpublish()
        self.assertEqual(self.client.get(self.analysis.url).status_code, 404)
        # Any reader now: not a stale copy, which the first reader dropped.
        self.assertEqual(self.client.get(self.analysis.url).status_code, 404)

    def test_unknown_query_parameters_are_redirected_away_before_caching(self):
        url = self.tree.analyses.url
        response = self.client.get(url, {"utm_source": "x", "theme": self.theme.slug, "zz": "1"})
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], f"{url}?theme={self.theme.slug}")
        response = self.client.get(url, {"random": "1"})
        self.assertEqual((response.status_code, response["Location"]), (301, url))
        self.assertEqual(self.client.get(url, {"page": "1", "q": "x"}).status_code, 200)

    def test_a_listing_with_junk_or_a_search_that_finds_nothing_is_not_cached(self):
        url = self.tree.analyses.url
        for junk in [{"theme": "no-such-theme"}, {"year_from": "abc"}, {"q": "qwertyuiop"}]:
            self.client.get(url, junk)
            response = self.client.get(url, junk)
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("X-Page-Cache", response, junk)
        self.client.get(url, {"theme": self.theme.slug})
        self.assertEqual(self.get(url, data={"theme": self.theme.slug})["X-Page-Cache"], "hit")

    def test_a_search_that_finds_nothing_is_not_cached(self):
        self.client.get("/en/search/", {"q": "qwertyuiop"})
        response = self.client.get("/en/search/", {"q": "qwertyuiop"})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("X-Page-Cache", response)
        self.client.get("/en/search/", {"q": "cities"})
        self.assertEqual(self.get("/en/search/", data={"q": "cities"})["X-Page-Cache"], "hit")

    @override_settings(PAGE_CACHE_BYPASS_HEADER="X-Bench-No-Cache")
    def test_the_benchmark_bypass_header_works_only_when_configured(self):
        self.get(self.analysis.url)
        response = self.get(self.analysis.url, HTTP_X_BENCH_NO_CACHE="1")
        self.assertNotIn("X-Page-Cache", response)

    def test_no_bypass_header_by_default(self):
        self.get(self.analysis.url)
        response = self.get(self.analysis.url, HTTP_X_BENCH_NO_CACHE="1")
        self.assertEqual(response["X-Page-Cache"], "hit")


@override_settings(PAGE_CACHE_ENABLED=False)
class PageCacheOffTests(TestCase):
    def test_nothing_is_cached_when_turned_off(self):
        tree = build_site()
        self.client.get(tree.home.url)
        self.assertNotIn("X-Page-Cache", self.client.get(tree.home.url))


@override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_REVALIDATE_IN_BACKGROUND=True)
class BackgroundRefreshTests(TransactionTestCase):
    """As in production: after a change, even the reader who takes the lock of a stale page gets
    the stale copy, and the page is rendered again in a thread (on committed data, hence a
    TransactionTestCase)."""

    # The migrations' data (locales, the root page) back before the test, whatever transactional
    # test flushed the database before this one.
    serialized_rollback = True

    def test_no_reader_waits_for_a_render_after_a_change(self):
        tree = build_site()
        analysis = AnalysisPageFactory(parent=tree.analyses, title="Cities abroad")
        self.client.get(tree.analyses.url)
        self.assertEqual(self.client.get(tree.analyses.url)["X-Page-Cache"], "hit")
        AnalysisPageFactory(parent=tree.analyses, title="Fresh off the press")
        first = self.client.get(tree.analyses.url)
        self.assertEqual(first["X-Page-Cache"], "stale")
        self.assertNotIn("Fresh off the press", first.content.decode())
        # The refresh thread stores the new page; readers get it as soon as it is there.
        for _attempt in range(100):
            response = self.client.get(tree.analyses.url)
            if response["X-Page-Cache"] == "hit":
                break
            time.sleep(0.05)
        self.assertEqual(response["X-Page-Cache"], "hit")
        self.assertIn("Fresh off the press", response.content.decode())
        self.assertIn(analysis.title, response.content.decode())
