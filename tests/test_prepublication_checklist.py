"""The pre-publication checklist of an analysis (publications.readiness), through the real admin:
the editor's panel says what is done and what is missing; submitting for review, publishing and
approving refuse a required item missing, with a message naming it, and keep what was typed;
the other items are points to check, which warn and let the page go through. Per role: the
editor submits, the moderator and the administrator publish, the moderator approves."""

import json

from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import TestCase, TransactionTestCase
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import GroupApprovalTask, Page, TaskState, Workflow
from wagtail.users.models import UserProfile

from publications.models import AnalysisPage, ChecklistApprovalTask
from research_centers import roles
from tests.admin_forms import editor_data
from tests.factories import (
    AnalysisPageFactory,
    AnalysisTypeFactory,
    CenterPageFactory,
    DocumentFactory,
    ExpertPageFactory,
    RegionFactory,
    ThemeFactory,
    UserFactory,
    build_site,
)

APPROVE = {
    "action-workflow-action": "1",
    "workflow-action-name": "approve",
    "workflow-action-extra-data": "{}",
}


def make_image(description):
    return get_image_model().objects.create(
        title="Cover", description=description, file=get_test_image_file()
    )


def summary_json(text):
    """The summary as Draftail posts it."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a",
                    "text": text,
                    "type": "unstyled",
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                }
            ],
            "entityMap": {},
        }
    )


def messages_of(response):
    return [str(message.message) for message in get_messages(response.wsgi_request)]


def checks(html):
    """{check key: status} of the checklist panel in ``html``."""
    import re

    return dict(re.findall(r'data-check="([a-z_]+)" data-status="([a-z]+)"', html))


class ChecklistTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site()
        cls.center = CenterPageFactory(parent=cls.tree.centers, title="Africa Center")
        cls.expert = ExpertPageFactory(parent=cls.center, title="Amina Diallo")
        cls.type = AnalysisTypeFactory()
        cls.theme = ThemeFactory(name="Diplomacy", slug="diplomacy")
        cls.region = RegionFactory(name="Kenya", slug="kenya")
        cls.cover = make_image("A map of the port of Mombasa")
        cls.pdf = DocumentFactory(title="Full text")
        cls.editor = UserFactory(username="editor", groups=["Editors"])
        cls.moderator = UserFactory(username="moderator", groups=["Moderators"])
        cls.admin = UserFactory(username="admin", is_superuser=True)

    def complete(self, **fields):
        """A draft analysis with every item of the checklist done, less what ``fields`` says."""
        values = {
            "parent": self.tree.analyses,
            "title": "Ports of East Africa",
            "live": False,
            "authors": [self.expert],
            "themes": [self.theme],
            "regions": [self.region],
            "units": [self.center],
            "cover_image": self.cover,
            "pdf": self.pdf,
            "isbn": "9782365671118",
            "search_description": "How the ports of East Africa compete for the inland trade.",
        }
        values.update(fields)
        page = AnalysisPageFactory(**values)
        page.save_revision()
        return page

    def edit_url(self, page):
        return reverse("wagtailadmin_pages:edit", args=[page.pk])

    def post(self, user, page, **changes):
        """Post the editor's form as the browser would, with ``changes``."""
        self.client.force_login(user)
        url = self.edit_url(page)
        return self.client.post(url, editor_data(self.client.get(url), AnalysisPage, **changes))

    def accepted(self, response):
        if response.status_code != 302:
            self.fail(f"refused: {response.context['form'].errors}")

    def refusal(self, response):
        """The checklist's refusal among the form's errors (the editor sees them in the banner
        above the form)."""
        self.assertEqual(response.status_code, 200, "the form was accepted")
        errors = response.context["form"].non_field_errors()
        self.assertEqual(len(errors), 1, errors)
        return errors[0]

    # --- The panel --------------------------------------------------------------------------

    def test_the_panel_lists_what_is_missing(self):
        page = self.complete(authors=[], themes=[], cover_image=make_image(""), pdf=None)
        self.client.force_login(self.editor)
        html = self.client.get(self.edit_url(page)).content.decode()
        self.assertIn("Before publication", html)
        self.assertIn("2 required items are missing", html)
        self.assertEqual(
            checks(html),
            {
                "summary": "ok",
                "authors": "blocking",
                "themes": "warning",
                "regions": "ok",
                "units": "ok",
                "cover": "blocking",
                "pdf": "warning",
                "identifiers": "ok",
                "shared_identifiers": "ok",
                "meta_description": "ok",
            },
        )
        self.assertIn("choose an expert, or type the name of an outside co-author", html)
        self.assertIn("or tick “This analysis has no PDF”", html)

    def test_the_panel_of_a_complete_analysis_says_it_is_ready(self):
        page = self.complete()
        self.client.force_login(self.editor)
        html = self.client.get(self.edit_url(page)).content.decode()
        self.assertIn("Ready: everything is in place.", html)
        self.assertEqual(set(checks(html).values()), {"ok"})
        self.assertIn("Alt text: “A map of the port of Mombasa”.", html)

    def test_the_panel_of_a_new_analysis(self):
        self.client.force_login(self.editor)
        url = reverse(
            "wagtailadmin_pages:add", args=["publications", "analysispage", self.tree.analyses.pk]
        )
        statuses = checks(self.client.get(url).content.decode())
        self.assertEqual(statuses["summary"], "blocking")
        self.assertEqual(statuses["authors"], "blocking")
        self.assertEqual(statuses["cover"], "warning")

    def test_the_panel_in_french(self):
        page = self.complete(authors=[])
        profile = UserProfile.get_for_user(self.editor)
        profile.preferred_language = "fr"
        profile.save()
        self.client.force_login(self.editor)
        html = self.client.get(self.edit_url(page)).content.decode()
        for text in ("Avant publication", "Auteurs", "choisissez un expert"):
            self.assertTrue(text in html, f"{text!r} is not in the French editor")

    def test_no_pdf_ticked_is_a_choice_and_a_pdf_with_it_is_refused(self):
        page = self.complete(pdf=None, has_no_pdf=True)
        self.client.force_login(self.editor)
        html = self.client.get(self.edit_url(page)).content.decode()
        self.assertEqual(checks(html)["pdf"], "ok")
        self.assertIn("This analysis has no PDF (ticked).", html)
        response = self.post(self.editor, page, pdf=str(self.pdf.pk), has_no_pdf="on")
        self.assertEqual(response.status_code, 200)
        self.assertIn("A PDF is chosen", response.context["form"].errors["has_no_pdf"][0])

    # --- Submitting (editor) --------------------------------------------------------------

    def test_submit_refuses_a_blocking_gap_with_the_message_and_keeps_the_draft(self):
        page = self.complete(authors=[])
        typed = {
            "subtitle": "Mombasa, Dar es Salaam and the inland trade",
            "isbn": "ISBN 978-0-306-40615-7",
            "summary": summary_json("The ports compete for the inland trade."),
        }
        response = self.post(self.editor, page, **typed, **{"action-submit": "1"})
        refusal = self.refusal(response)
        self.assertIn("Not submitted for review.", refusal)
        self.assertIn("Authors: none: choose an expert", refusal)
        self.assertFalse(Page.objects.get(pk=page.pk).workflow_in_progress)
        # The editor gets the form back with all they typed; the panel says why; Wagtail's
        # autosave saves it as a draft at once (the form is marked as having unsaved changes).
        html = response.content.decode()
        self.assertIn(f'value="{typed["subtitle"]}"', html)
        self.assertIn('value="ISBN 978-0-306-40615-7"', html)
        self.assertIn("The ports compete for the inland trade.", html)
        self.assertIn('data-w-unsaved-force-value="true"', html)
        self.assertEqual(checks(html)["authors"], "blocking")
        # Saving it as a draft is never refused: the same form, saved, keeps every value typed.
        data = editor_data(response, AnalysisPage)
        data.pop("action-submit", None)
        self.assertEqual(self.client.post(self.edit_url(page), data).status_code, 302)
        draft = Page.objects.get(pk=page.pk).get_latest_revision_as_object()
        self.assertEqual(draft.subtitle, typed["subtitle"])
        self.assertEqual(draft.isbn, "9780306406157")
        self.assertIn("The ports compete for the inland trade.", draft.summary)
        self.assertFalse(Page.objects.get(pk=page.pk).workflow_in_progress)

    def test_submit_names_every_required_item_missing(self):
        page = self.complete(authors=[], cover_image=make_image(""))
        response = self.post(self.editor, page, summary="null", **{"action-submit": "1"})
        refusal = self.refusal(response)
        self.assertIn("Summary: missing", refusal)
        self.assertIn("Authors: none", refusal)
        # A cover without alt text is refused on every save, with a link to write it.
        self.assertIn("no alt text", response.context["form"].errors["cover_image"][0])

    def test_submit_of_a_new_analysis_is_refused_the_same_way(self):
        self.client.force_login(self.editor)
        url = reverse(
            "wagtailadmin_pages:add", args=["publications", "analysispage", self.tree.analyses.pk]
        )
        data = editor_data(
            self.client.get(url),
            AnalysisPage,
            title="Inland trade",
            slug="inland-trade",
            analysis_type=str(self.type.pk),
            summary=summary_json("The ports compete."),
            **{"action-submit": "1"},
        )
        refusal = self.refusal(self.client.post(url, data))
        self.assertIn("Not submitted for review.", refusal)
        self.assertIn("Authors", refusal)
        self.assertFalse(AnalysisPage.objects.filter(slug="inland-trade").exists())

    def test_submit_warns_but_proceeds_for_a_non_blocking_gap(self):
        page = self.complete(themes=[], pdf=None)
        response = self.post(self.editor, page, **{"action-submit": "1"})
        self.accepted(response)
        self.assertTrue(Page.objects.get(pk=page.pk).workflow_in_progress)
        warnings = [m for m in messages_of(response) if "Points to check" in m]
        self.assertEqual(len(warnings), 1)
        self.assertIn("Themes: none chosen", warnings[0])
        self.assertIn("PDF: none", warnings[0])
        self.assertNotIn("Regions", warnings[0])

    def test_a_complete_page_goes_through_without_a_warning(self):
        page = self.complete()
        response = self.post(self.editor, page, **{"action-submit": "1"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Page.objects.get(pk=page.pk).workflow_in_progress)
        self.assertFalse([m for m in messages_of(response) if "Points to check" in m])
        # ...and the moderator approves it from the dashboard's list: it is published.
        task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
        self.client.force_login(self.moderator)
        approve = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
        )
        self.assertContains(self.client.get(reverse("wagtailadmin_home")), approve)
        self.assertEqual(self.client.post(approve, {"comment": ""}).status_code, 302)
        self.assertTrue(Page.objects.get(pk=page.pk).live)

    # --- Publishing (moderator, administrator) ----------------------------------------------

    def test_publish_is_refused_the_same_way_for_moderators_and_administrators(self):
        for user in (self.moderator, self.admin):
            with self.subTest(user=user.username):
                page = self.complete(title=f"Draft of {user.username}", authors=[])
                response = self.post(user, page, subtitle="Typed", **{"action-publish": "1"})
                refusal = self.refusal(response)
                self.assertIn("Not published.", refusal)
                self.assertIn("Authors", refusal)
                self.assertFalse(Page.objects.get(pk=page.pk).live)
                self.assertIn('value="Typed"', response.content.decode())

    def test_publish_goes_through_when_complete_with_the_points_to_check(self):
        page = self.complete(regions=[])
        response = self.post(self.moderator, page, **{"action-publish": "1"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Page.objects.get(pk=page.pk).live)
        self.assertTrue([m for m in messages_of(response) if "Regions: none chosen" in m])

    def test_bulk_publish_in_the_explorer_is_refused(self):
        ready, unready = self.complete(title="Ready"), self.complete(title="Unready", authors=[])
        self.client.force_login(self.moderator)
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        response = self.client.post(f"{url}?id={ready.pk}&id={unready.pk}")
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Page.objects.get(pk=unready.pk).live)
        self.assertFalse(Page.objects.get(pk=ready.pk).live)  # nothing of the selection
        errors = [m for m in messages_of(response) if "Nothing was published" in m]
        self.assertEqual(len(errors), 1)
        self.assertIn("“Unready” still needs: Authors", errors[0])
        self.client.post(f"{url}?id={ready.pk}")
        self.assertTrue(Page.objects.get(pk=ready.pk).live)

    # --- Approving (moderator) --------------------------------------------------------------

    def in_review_without_author(self):
        """A page in review whose latest revision has no author: submitted before the checklist
        existed (or changed since), as the workflow itself puts it."""
        page = self.complete(authors=[])
        Workflow.objects.get(name=roles.WORKFLOW_NAME).start(page, self.editor)
        return Page.objects.get(pk=page.pk)

    def test_approve_in_the_editor_is_refused(self):
        page = self.in_review_without_author()
        response = self.post(self.moderator, page, **APPROVE)
        refusal = self.refusal(response)
        self.assertIn("Not approved.", refusal)
        self.assertIn("Authors", refusal)
        page = Page.objects.get(pk=page.pk)
        self.assertFalse(page.live)
        self.assertTrue(page.workflow_in_progress)

    def test_approve_from_the_dashboard_is_refused(self):
        page = self.in_review_without_author()
        task_state = page.current_workflow_task_state
        approve = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
        )
        self.client.force_login(self.moderator)
        self.assertContains(self.client.get(reverse("wagtailadmin_home")), approve)
        response = self.client.post(approve, {"comment": ""})
        # Not approved: the moderator is taken to the editor, which says what is missing.
        self.assertRedirects(response, self.edit_url(page), fetch_redirect_response=False)
        page = Page.objects.get(pk=page.pk)
        self.assertFalse(page.live)
        self.assertEqual(page.current_workflow_task_state, task_state)
        editor = self.client.get(self.edit_url(page))
        warning = next(m for m in messages_of(editor) if "cannot be approved" in m)
        self.assertIn("it still needs: Authors: none", warning)
        self.assertEqual(checks(editor.content.decode())["authors"], "blocking")

    def test_once_completed_the_moderator_approves_it(self):
        page = self.in_review_without_author()
        data = {
            "authors-TOTAL_FORMS": "1",
            "authors-INITIAL_FORMS": "0",
            "authors-0-expert": "",
            "authors-0-name": "Joseph Mwangi",
            "authors-0-affiliation": "",
            "authors-0-ORDER": "1",
            "authors-0-id": "",
            "authors-0-DELETE": "",
        }
        response = self.post(self.moderator, page, **data, **APPROVE)
        self.accepted(response)
        page = Page.objects.get(pk=page.pk).specific
        self.assertTrue(page.live)
        self.assertEqual([author.name for author in page.authors.all()], ["Joseph Mwangi"])


class ReviewTaskMigrationTests(TransactionTestCase):
    """The migration that makes the review step check the checklist changes the type of the
    task in place: the same task, its group, its place in the workflow and the reviews in
    progress; and it can be reversed."""

    # The migrations' data (groups, the workflow) back before the test, whatever transactional
    # test flushed the database before this one.
    serialized_rollback = True

    def review_task(self):
        ContentType.objects.clear_cache()
        return Workflow.objects.get(name=roles.WORKFLOW_NAME).tasks.get().specific

    def test_the_review_task_changes_type_in_place(self):
        try:
            call_command("migrate", "publications", "0039", verbosity=0)
            task = self.review_task()
            self.assertIs(type(task), GroupApprovalTask)
            tree = build_site()
            page = AnalysisPageFactory(parent=tree.analyses, title="In review", live=False)
            page.save_revision()
            editor = UserFactory(username="editor", groups=["Editors"])
            Workflow.objects.get(name=roles.WORKFLOW_NAME).start(page, editor)
            call_command("migrate", "publications", verbosity=0)

            converted = self.review_task()
            self.assertIs(type(converted), ChecklistApprovalTask)
            self.assertEqual(converted.pk, task.pk)
            self.assertEqual([group.name for group in converted.groups.all()], ["Moderators"])
            state = Page.objects.get(pk=page.pk).current_workflow_task_state
            self.assertEqual(state.task_id, task.pk)
            self.assertEqual(state.status, TaskState.STATUS_IN_PROGRESS)

            call_command("migrate", "publications", "0039", verbosity=0)
            self.assertIs(type(self.review_task()), GroupApprovalTask)
            self.assertEqual(
                Page.objects.get(pk=page.pk).current_workflow_task_state.task_id, task.pk
            )
        finally:
            call_command("migrate", "publications", verbosity=0)
            ContentType.objects.clear_cache()
