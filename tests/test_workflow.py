"""The "Editorial review" workflow, scheduled publishing and expiry, revisions of every page model
and snippet, all through the real admin views and the real ``publish_scheduled`` command."""

import datetime
from unittest import mock

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Workflow

from publications.models import AnalysisType, ChecklistApprovalTask, Region, Series, Theme
from research_centers import roles
from tests.admin_forms import editor_data
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    RegionFactory,
    SeriesFactory,
    ThemeFactory,
    UserFactory,
    build_site,
)


def later(**delta):
    """Run the real scheduler command as if ``delta`` from now."""
    when = timezone.now() + datetime.timedelta(**delta)
    with mock.patch("django.utils.timezone.now", return_value=when):
        call_command("publish_scheduled", verbosity=0)


class WorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.center = CenterPageFactory(parent=cls.tree.centers, title="Africa Center")
        cls.analysis = AnalysisPageFactory(
            parent=cls.tree.analyses,
            title="Under review",
            live=False,
            units=[cls.center],
            authors=["Amina Diallo"],
        )
        cls.editor = UserFactory(username="editor", groups=["Editors"])
        cls.moderator = UserFactory(username="moderator", groups=["Moderators"])

    def edit(self, user, page, **changes):
        self.client.force_login(user)
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        response = self.client.post(url, editor_data(self.client.get(url), type(page), **changes))
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        return Page.objects.get(pk=page.pk).specific

    def test_the_migration_put_every_page_under_editorial_review(self):
        workflow = Workflow.objects.get(name=roles.WORKFLOW_NAME)
        task = ChecklistApprovalTask.objects.get(name=roles.TASK_NAME)
        self.assertEqual(list(task.groups.all()), [Group.objects.get(name="Moderators")])
        self.assertEqual([t.specific for t in workflow.tasks], [task])
        for page in (self.analysis, self.center, self.tree.home):
            self.assertEqual(page.get_workflow(), workflow, page)

    def test_editor_submits_moderator_approves_and_it_goes_live(self):
        page = self.edit(self.editor, self.analysis, **{"action-submit": "1"})
        self.assertTrue(page.workflow_in_progress)
        self.assertFalse(page.live)
        task_state = page.current_workflow_task_state
        approve = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
        )
        # The editor cannot approve their own submission.
        self.client.post(approve, {"comment": ""})
        self.assertFalse(Page.objects.get(pk=page.pk).live)
        self.client.force_login(self.moderator)
        response = self.client.post(approve, {"comment": "Good to go"})
        self.assertEqual(response.status_code, 302)
        page = Page.objects.get(pk=page.pk)
        self.assertTrue(page.live)
        self.assertFalse(page.workflow_in_progress)
        self.assertEqual(self.client.get(page.url).status_code, 200)

    def test_moderator_schedules_publication_and_expiry(self):
        go_live = timezone.localtime() + datetime.timedelta(days=2)
        expire = go_live + datetime.timedelta(days=30)
        page = self.edit(
            self.moderator,
            self.analysis,
            go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
            expire_at=expire.strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "1"},
        )
        self.assertFalse(page.live)
        self.assertIsNotNone(page.scheduled_revision)
        later(days=1)
        self.assertFalse(Page.objects.get(pk=page.pk).live)
        later(days=3)
        page = Page.objects.get(pk=page.pk)
        self.assertTrue(page.live)
        later(days=40)
        page = Page.objects.get(pk=page.pk)
        self.assertFalse(page.live)
        self.assertTrue(page.expired)


class RevisionsTests(TestCase):
    """Compare and rollback work for every page model and every snippet editors change."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        center = CenterPageFactory(parent=cls.tree.centers, title="Africa Center")
        cls.pages = [
            cls.tree.home,
            cls.tree.analyses,
            cls.tree.centers,
            center,
            ProgrammePageFactory(parent=center, title="Great Lakes"),
            ExpertPageFactory(parent=center, title="Wanjiru Kamau"),
            AnalysisPageFactory(
                parent=cls.tree.analyses, title="An analysis", authors=["A. Writer"]
            ),
        ]
        for page in cls.pages:
            title = page.title
            page.title = f"{title} (first)"
            page.save_revision().publish()
            page.title = title
            page.save_revision().publish()
        cls.snippets = [
            ThemeFactory(name="Governance"),
            RegionFactory(name="Sahel"),
            AnalysisType.objects.create(name="Note", slug="note"),
            SeriesFactory(name="Notes"),
        ]
        for snippet in cls.snippets:
            name = snippet.name
            snippet.name = f"{name} (first)"
            snippet.save()
            snippet.save_revision()
            snippet.name = name
            snippet.save()
            snippet.save_revision()

    def setUp(self):
        self.client.force_login(UserFactory(username="moderator", groups=["Moderators"]))

    def test_every_page_model_compares_and_rolls_back(self):
        self.assertEqual(
            {type(page).__name__ for page in self.pages},
            {
                "HomePage",
                "AnalysisIndexPage",
                "ResearchCentersIndexPage",
                "ResearchCenterPage",
                "ProgrammePage",
                "ExpertPage",
                "AnalysisPage",
            },
        )
        for page in self.pages:
            with self.subTest(type(page).__name__):
                compare = self.client.get(
                    reverse(
                        "wagtailadmin_pages:revisions_compare",
                        args=[page.pk, "earliest", "latest"],
                    )
                )
                self.assertEqual(compare.status_code, 200)
                self.assertIn("(first)", compare.content.decode())
                first = page.revisions.order_by("created_at", "pk").first()
                revert = self.client.get(
                    reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, first.pk])
                )
                self.assertEqual(revert.status_code, 200)
                self.client.post(
                    reverse("wagtailadmin_pages:edit", args=[page.pk]),
                    editor_data(revert, type(page), **{"action-publish": "1"}),
                )
                self.assertTrue(Page.objects.get(pk=page.pk).title.endswith("(first)"))

    def test_every_taxonomy_snippet_compares_and_rolls_back(self):
        for snippet in self.snippets:
            model = type(snippet)
            self.assertIn(model, (Theme, Region, AnalysisType, Series))
            namespace = f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}"
            revisions = snippet.revisions.order_by("created_at", "pk")
            with self.subTest(model.__name__):
                compare = self.client.get(
                    reverse(
                        f"{namespace}:revisions_compare",
                        args=[snippet.pk, revisions.first().pk, revisions.last().pk],
                    )
                )
                self.assertEqual(compare.status_code, 200)
                self.assertIn("(first)", compare.content.decode())
                revert = self.client.get(
                    reverse(
                        f"{namespace}:revisions_revert", args=[snippet.pk, revisions.first().pk]
                    )
                )
                self.assertEqual(revert.status_code, 200)
                self.assertIn("(first)", revert.content.decode())
