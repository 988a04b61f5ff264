"""An expired session keeps the editor's work (publications/admin_session.py), in Chromium.

The editor edits a page; the session ends under them (here: removed on the server, as the
end of its time or a sign-out elsewhere does). The page says so before anything is lost, the
editor signs in again in a new window, comes back, and *Save draft* stores what they had typed.
Five minutes before the end, the editor is warned and can stay signed in."""

import re

import pytest
from playwright.sync_api import expect

from publications.demo import content

from .conftest import log_in

pytestmark = pytest.mark.browser

USERS = {data["username"]: data for data in content.DEMO_USERS}


def open_in_the_editor(page, title):
    """A page of the demo, each test its own (the server is shared by the browser tests)."""
    page.goto(f"/admin/pages/search/?q={title}")
    page.get_by_role("link", name=title).first.click()
    expect(page.locator("form[data-edit-form]")).to_be_visible()
    return page.url


def session_key(page):
    return next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")


def on_the_server(site_manage, code):
    site_manage(["shell", "-c", code])


def test_an_ended_session_keeps_the_edit_and_saves_it_after_signing_in(page, site_manage):
    log_in(page, "editor")
    edit_url = open_in_the_editor(page, "Great Lakes program")
    title = page.locator("#id_title")
    new_title = "Great Lakes program, kept across a sign-in"
    title.fill(new_title)

    key = session_key(page)
    on_the_server(
        site_manage,
        "from django.contrib.sessions.models import Session; "
        f"Session.objects.filter(session_key='{key}').delete()",
    )
    # The editor comes back to the tab: the page learns that the session has ended.
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    ended = page.get_by_role("dialog", name="Your session has ended")
    expect(ended).to_be_visible()
    expect(title).to_have_value(new_title)

    with page.expect_popup() as sign_in:
        ended.get_by_role("button", name="Sign in again").click()
    window = sign_in.value
    window.locator("#id_username").fill("editor")
    window.locator("#id_password").fill(USERS["editor"]["password"])
    window.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(ended).to_be_hidden(timeout=15_000)

    expect(title).to_have_value(new_title)
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile("save draft", re.I)).first.click()
    expect(page.locator(".messages")).to_contain_text(re.compile("has been (updated|saved)"))

    page.goto(edit_url)
    expect(page.locator("#id_title")).to_have_value(new_title)


def test_the_editor_is_warned_before_the_end_and_can_stay_signed_in(page, site_manage):
    log_in(page, "editor")
    open_in_the_editor(page, "Peace Operations program")
    key = session_key(page)
    on_the_server(
        site_manage,
        "import datetime; from django.utils import timezone; "
        "from django.contrib.sessions.backends.db import SessionStore; "
        f"session = SessionStore(session_key='{key}'); session.load(); "
        "session.set_expiry(timezone.now() + datetime.timedelta(minutes=4)); session.save()",
    )
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    warning = page.get_by_role("dialog", name="Your session ends soon")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("You will be signed out at")

    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    left = page.evaluate(
        "fetch('/admin/session/', {headers: {Accept: 'application/json'}})"
        ".then((response) => response.json()).then((status) => status.expires_in)"
    )
    assert left > 11 * 3600  # a full session again (12 hours by default)
