"""A draft analysis, one scheduled for later and one that has expired are invisible to anonymous
readers everywhere: their own URL, the analyses index, the home page, the centre, programme and
expert pages (lists and featured picks), and the related analyses of a live one.

Scheduling and expiry go through Wagtail's own path: a revision published with go_live_at /
expire_at, then the real ``publish_scheduled`` command (which the compose scheduler runs)."""

import datetime
from unittest import mock

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from publications.models import FeaturedAnalysis, RelatedAnalysis
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    ThemeFactory,
    build_site,
    set_people,
)

HIDDEN = ["Draft analysis", "Scheduled analysis", "Expired analysis"]


class InvisibleToReadersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.center = CenterPageFactory(parent=cls.tree.centers, title="Africa Center")
        cls.programme = ProgrammePageFactory(parent=cls.center, title="Great Lakes")
        cls.expert = ExpertPageFactory(parent=cls.center, title="Wanjiru Kamau")
        theme = ThemeFactory(name="Governance")
        relations = {
            "authors": [cls.expert],
            "units": [cls.center, cls.programme],
            "themes": [theme],
        }
        cls.visible = AnalysisPageFactory(
            parent=cls.tree.analyses, title="Visible analysis", **relations
        )
        cls.draft = AnalysisPageFactory(
            parent=cls.tree.analyses, title="Draft analysis", live=False, **relations
        )
        cls.scheduled = AnalysisPageFactory(
            parent=cls.tree.analyses, title="Scheduled analysis", live=False, **relations
        )
        cls.scheduled.go_live_at = timezone.now() + datetime.timedelta(days=3)
        cls.scheduled.save_revision().publish()  # go_live_at ahead: scheduled, not live
        cls.expired = AnalysisPageFactory(
            parent=cls.tree.analyses, title="Expired analysis", **relations
        )
        cls.expired.expire_at = timezone.now() + datetime.timedelta(seconds=1)
        cls.expired.save_revision().publish()
        type(cls.expired).objects.filter(pk=cls.expired.pk).update(
            expire_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        call_command("publish_scheduled", verbosity=0)
        hidden = [cls.draft, cls.scheduled, cls.expired]
        cls.tree.home.featured_analysis_links = [
            FeaturedAnalysis(analysis=page) for page in [*hidden, cls.visible]
        ]
        cls.tree.home.save()
        set_people(cls.center, featured=hidden)
        set_people(cls.programme, featured=hidden)
        # The visible analysis picks the hidden ones as related: they must still not show.
        cls.visible.related_analysis_links = [RelatedAnalysis(analysis=page) for page in hidden]
        cls.visible.save()

    def test_the_three_are_what_they_claim(self):
        self.scheduled.refresh_from_db()
        self.expired.refresh_from_db()
        self.draft.refresh_from_db()
        self.assertFalse(self.draft.live)
        self.assertFalse(self.scheduled.live)
        self.assertIsNotNone(self.scheduled.go_live_at)
        self.assertFalse(self.expired.live)
        self.assertTrue(self.expired.expired)

    def test_their_urls_are_not_found(self):
        for page in (self.draft, self.scheduled, self.expired):
            url = f"/en/analyses/{page.slug}/"
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_no_list_shows_them(self):
        for page in (
            self.tree.home,
            self.tree.analyses,
            self.center,
            self.programme,
            self.expert,
            self.visible,
        ):
            response = self.client.get(page.url)
            self.assertEqual(response.status_code, 200, page.url)
            html = response.content.decode()
            self.assertIn("Visible analysis", html, page.url)
            for title in HIDDEN:
                self.assertNotIn(title, html, f"{title} on {page.url}")

    def test_a_scheduled_analysis_appears_once_its_time_has_come(self):
        call_command("publish_scheduled", verbosity=0)
        self.assertEqual(self.client.get(self.scheduled.url).status_code, 404)
        four_days_later = timezone.now() + datetime.timedelta(days=4)
        with mock.patch("django.utils.timezone.now", return_value=four_days_later):
            call_command("publish_scheduled", verbosity=0)
        self.assertEqual(self.client.get(self.scheduled.url).status_code, 200)
        self.assertIn("Scheduled analysis", self.client.get(self.center.url).content.decode())
