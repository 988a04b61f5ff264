"""An operator's bad day: Redis goes away. The site runs on the production cache settings
(config.settings.base.redis_cache: django-redis, exceptions ignored, short timeouts) against a
real ``redis-server`` started on a port of its own, which the test kills mid-way and starts again.

While it is down, readers get every public page (rendered, not cached), the admin works, a
moderator publishes and unpublishes and readers see the result at once; /healthz says the cache is
down but answers 200. When it is back, pages are cached again, and nothing from before the outage
is served as fresh.

``redis-server`` comes with Redis (CI starts one). Without it, this test is skipped, and with
``REQUIRE_PRODUCTION_SMOKE=1`` (CI) that is a failure."""

import contextlib
import shutil
import subprocess
import time

import pytest
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from config.settings.base import redis_cache
from publications import facet_index
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    ThemeFactory,
    UserFactory,
    build_site,
)
from tests.live_server_support import free_port
from tests.test_production_smoke import missing_prerequisite, redis_answers


class RedisServer:
    """A redis-server of this test's own, in memory only."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(100):
            if redis_answers(self.url):
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        assert not redis_answers(self.url)


@pytest.fixture(scope="class")
def redis_server(request):
    server = RedisServer()
    if server.binary is None:
        missing_prerequisite("redis-server is not installed (apt-get install redis-server)")
    server.start()
    request.cls.redis = server
    yield server
    with contextlib.suppress(Exception):
        server.stop()


@pytest.mark.usefixtures("redis_server")
class CacheOutageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.theme = ThemeFactory(name="Energy", slug="energy")
        cls.centre = CenterPageFactory(parent=cls.tree.centers, title="Energy centre")
        cls.expert = ExpertPageFactory(parent=cls.centre, title="Ada Lovelace")
        cls.analysis = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Grids under strain",
            themes=[cls.theme],
            authors=[cls.expert],
            units=[cls.centre],
        )
        cls.moderator = UserFactory(username="moderator", groups=["Moderators"])

    def setUp(self):
        settings = override_settings(
            CACHES={"default": redis_cache(self.redis.url)}, PAGE_CACHE_ENABLED=True
        )
        settings.enable()
        self.addCleanup(settings.disable)
        facet_index.forget()
        if not redis_answers(self.redis.url):
            self.redis.start()

    def public_urls(self):
        return [
            self.tree.home.url,
            self.tree.analyses.url,
            f"{self.tree.analyses.url}?theme=energy",
            f"{self.tree.analyses.url}themes/energy/",
            self.analysis.url,
            f"{self.analysis.url}cite/bib/",
            self.centre.url,
            self.expert.url,
            "/en/search/?q=grids",
            "/en/feeds/analyses.rss",
            "/sitemap.xml",
        ]

    def read(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response

    def publish_title(self, page, title):
        """Change a page's title and publish it through the admin's edit form, as a moderator."""
        self.client.force_login(self.moderator)
        edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
        data = querydict_from_html(self.client.get(edit).content.decode(), form_id="page-edit-form")
        data["title"] = title
        data["action-publish"] = "action-publish"
        response = self.client.post(edit, data)
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.client.logout()

    def test_the_site_works_without_redis_and_recovers_with_it(self):
        # With Redis: pages are cached.
        for url in self.public_urls():
            self.read(url)
        self.assertEqual(self.read(self.analysis.url)["X-Page-Cache"], "hit")
        self.assertEqual(self.client.get("/healthz").json()["cache"], "ok")

        self.redis.stop()

        # Readers: every page, rendered.
        for url in self.public_urls():
            response = self.read(url)
            self.assertNotEqual(response.get("X-Page-Cache"), "hit", url)
        health = self.client.get("/healthz")
        self.assertEqual(health.status_code, 200)
        self.assertEqual(health.json(), {"database": "ok", "cache": "down"})

        # Editors: the admin, an edit published, an analysis unpublished.
        self.client.force_login(self.moderator)
        self.assertEqual(self.client.get(reverse("wagtailadmin_home")).status_code, 200)
        self.assertEqual(
            self.client.get(
                reverse("wagtailadmin_pages:edit", args=[self.analysis.pk])
            ).status_code,
            200,
        )
        self.client.logout()
        self.publish_title(self.expert, "Ada King")
        self.assertIn("Ada King", self.read(self.expert.url).content.decode())
        self.assertIn("Ada King", self.read(self.analysis.url).content.decode())
        self.client.force_login(self.moderator)
        response = self.client.post(
            reverse("wagtailadmin_pages:unpublish", args=[self.analysis.pk])
        )
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        self.assertEqual(self.client.get(self.analysis.url).status_code, 404)
        self.assertNotIn("Grids under strain", self.read(self.tree.analyses.url).content.decode())

        # Redis is back: cached again, and what changed meanwhile stays changed.
        self.redis.start()
        self.assertEqual(self.client.get("/healthz").json()["cache"], "ok")
        self.assertEqual(self.client.get(self.analysis.url).status_code, 404)
        listing = self.read(self.tree.analyses.url)
        self.assertNotIn("Grids under strain", listing.content.decode())
        self.assertEqual(self.read(self.tree.analyses.url)["X-Page-Cache"], "hit")
        self.assertIn("Ada King", self.read(self.expert.url).content.decode())
