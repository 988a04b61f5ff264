"""What the editor types just before *Submit for review* is what is submitted, in Chromium.

The rich text editor (Draftail) copies what is typed into the form after a short pause (its
``stateSaveInterval``, 250 ms), and Wagtail's autosave may save a revision while the editor
types. The editor here types an ISBN and a new summary and, at once, submits through the
footer's action menu: the revision under review holds exactly what was typed. With an
autosave of an earlier state still on its way, the submission waits for its answer (it is
never sent alongside it), then holds what was typed. An analysis missing a required item of
its checklist is refused, with what was typed kept (static/js/editor_state.js,
publications/readiness.py)."""

import json
import re
import time

import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import expect
except ImportError:
    expect = PlaywrightTimeoutError = None

from .conftest import log_in
from .test_editorial_workflow import open_action_menu

pytestmark = pytest.mark.browser

ISBN_TYPED = "ISBN 978-2-36567-111-8"
ISBN_STORED = "9782365671118"


def new_draft(site_manage, title, *, author=True):
    """A draft analysis of the demo's English index, made on the server; its id."""
    authors = '[AnalysisAuthor(name="Joseph Mwangi")]' if author else "[]"
    output = site_manage(
        [
            "shell",
            "-v0",
            "-c",
            "from publications.models import AnalysisAuthor, AnalysisIndexPage, AnalysisPage, "
            "AnalysisType\n"
            "index = AnalysisIndexPage.objects.get(locale__language_code='en')\n"
            f"page = AnalysisPage(title={title!r}, live=False, summary='<p>A first draft.</p>', "
            "analysis_type=AnalysisType.objects.filter(locale=index.locale).first())\n"
            f"page.authors = {authors}\n"
            "index.add_child(instance=page)\n"
            "page.save_revision()\n"
            "print('PAGE', page.pk)\n",
        ]
    )
    return int(re.search(r"^PAGE (\d+)$", output, re.M).group(1))


def revisions(site_manage, page_id):
    """The revision under review (None when the page is not in review) and the latest one, as
    {"id", "isbn", "summary"}."""
    output = site_manage(
        [
            "shell",
            "-v0",
            "-c",
            "import json\n"
            "from wagtail.models import Page\n"
            f"page = Page.objects.get(pk={page_id})\n"
            "def seen(revision):\n"
            "    if revision is None:\n"
            "        return None\n"
            "    return {'id': revision.pk, 'isbn': revision.content.get('isbn'), "
            "'summary': revision.content.get('summary')}\n"
            "state = page.current_workflow_task_state\n"
            "print('REVISIONS', json.dumps({'submitted': seen(state and state.revision), "
            "'latest': seen(page.get_latest_revision())}))\n",
        ]
    )
    return json.loads(re.search(r"^REVISIONS (.*)$", output, re.M).group(1))


def one_paragraph(html):
    """The text of a summary stored as one paragraph (Wagtail keeps each block's key), else
    the whole stored value, to show it."""
    match = re.fullmatch(r'<p data-block-key="[^"]+">([^<]*)</p>', html or "")
    return match.group(1) if match else html


def type_summary(page, summary):
    """Replace the summary (Content tab) by ``summary``, as a person types, without waiting
    after the last key."""
    page.get_by_role("tab", name="Content").click()
    editor = page.locator("[data-contentpath='summary'] [contenteditable='true']")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    editor.press_sequentially(summary)


def type_isbn_and_summary(page, summary):
    """Type into the ISBN field (Classification tab), then into the summary."""
    page.get_by_role("tab", name="Classification").click()
    page.locator("#id_isbn").press_sequentially(ISBN_TYPED)
    type_summary(page, summary)


def open_signed_in(browser, site_url):
    """A new browser context signed in as the demo's editor, and its page."""
    context = browser.new_context(base_url=site_url)
    page = context.new_page()
    log_in(page, "editor")
    return context, page


def assert_submitted_as_typed(site_manage, page_id, summary):
    """The revision under review holds the ISBN and the summary typed, and nothing saved after
    the submission (an autosave still on its way) replaced it."""
    seen = revisions(site_manage, page_id)
    assert seen["submitted"] is not None, "the page is not in review"
    assert seen["submitted"]["isbn"] == ISBN_STORED
    assert one_paragraph(seen["submitted"]["summary"]) == summary
    assert seen["latest"] == seen["submitted"]


def submit_at_once(page):
    open_action_menu(page)
    page.get_by_role("button", name=re.compile("submit to editorial review", re.I)).click()


def test_what_is_typed_just_before_submitting_is_submitted(browser, site_url, site_manage):
    title = f"Inland trade and the ports ({int(time.time())})"
    page_id = new_draft(site_manage, title)
    summary = "The ports of Mombasa and Dar es Salaam compete for the inland trade."

    context, page = open_signed_in(browser, site_url)
    page.goto(f"/admin/pages/{page_id}/edit/")
    expect(page.locator("form[data-edit-form]")).to_be_visible()
    type_isbn_and_summary(page, summary)
    submit_at_once(page)
    expect(page.get_by_text(re.compile("submitted for moderation", re.I)).first).to_be_visible()
    context.close()

    assert_submitted_as_typed(site_manage, page_id, summary)


def is_autosave(request):
    return request.method == "POST" and "application/json" in (request.headers.get("accept") or "")


def test_a_submission_waits_for_the_autosave_on_its_way(browser, site_url, site_manage):
    title = f"Inland trade, autosaved ({int(time.time())})"
    page_id = new_draft(site_manage, title)
    edit_path = f"/admin/pages/{page_id}/edit/"
    summary = "Autosave or not, the ports compete for the inland trade."

    context, page = open_signed_in(browser, site_url)
    held = []  # the autosave, answered when this test says so

    def hold_the_autosave(route):
        if is_autosave(route.request) and not held:
            held.append(route)
        else:
            route.continue_()

    page.route(lambda url: edit_path in url, hold_the_autosave)
    # Wagtail watches the form for edits (and autosaves them) once it has taken its first
    # state, a moment after the page is shown: the test types after that.
    page.add_init_script(
        "document.addEventListener('w-unsaved:watch-edits', () => "
        "document.documentElement.setAttribute('data-watching-edits', ''));"
    )
    page.goto(edit_path)
    expect(page.locator("form[data-edit-form]")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-watching-edits", "")
    page.get_by_role("tab", name="Classification").click()
    isbn = page.locator("#id_isbn")
    with page.expect_request(is_autosave):
        isbn.press_sequentially(ISBN_TYPED[:11])  # autosaved as far as "ISBN 978-2-"
    isbn.press_sequentially(ISBN_TYPED[11:])
    type_summary(page, summary)

    def is_submission(request):
        return request.method == "POST" and edit_path in request.url and not is_autosave(request)

    # Submitted while the autosave has no answer: nothing is sent alongside it...
    with pytest.raises(PlaywrightTimeoutError), page.expect_request(is_submission, timeout=2000):
        submit_at_once(page)
    # ...and once it has its answer, the submission goes, with everything typed.
    with page.expect_request(is_submission) as sent:
        held.pop().continue_()
    assert "action-submit" in sent.value.post_data
    expect(page.get_by_text(re.compile("submitted for moderation", re.I)).first).to_be_visible()
    context.close()

    assert_submitted_as_typed(site_manage, page_id, summary)


def test_a_refused_submission_keeps_what_was_typed(browser, site_url, site_manage):
    title = f"Inland trade without an author ({int(time.time())})"
    page_id = new_draft(site_manage, title, author=False)
    summary = "Without an author, this draft cannot be submitted yet."

    context, page = open_signed_in(browser, site_url)
    page.goto(f"/admin/pages/{page_id}/edit/")
    expect(page.locator("form[data-edit-form]")).to_be_visible()
    type_isbn_and_summary(page, summary)
    submit_at_once(page)

    expect(page.locator(".messages")).to_contain_text("Not submitted for review.")
    expect(page.locator(".messages")).to_contain_text("Authors: none")
    checklist = page.locator("[data-checklist]")
    expect(checklist.locator('[data-check="authors"]')).to_have_attribute("data-status", "blocking")
    # Everything typed is still in the form, and Wagtail's autosave keeps it as a draft.
    expect(page.locator("[data-contentpath='summary'] [contenteditable='true']")).to_have_text(
        summary
    )
    page.get_by_role("tab", name="Classification").click()
    expect(page.locator("#id_isbn")).to_have_value(ISBN_TYPED)
    expect(page.locator("#w-autosave-indicator")).to_have_attribute(
        "data-w-autosave-state-value", "saved"
    )
    context.close()

    seen = revisions(site_manage, page_id)
    assert seen["submitted"] is None, "a page without an author went into review"
    assert seen["latest"]["isbn"] == ISBN_STORED
    assert one_paragraph(seen["latest"]["summary"]) == summary
