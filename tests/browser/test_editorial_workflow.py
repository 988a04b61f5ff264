"""The editorial workflow in a real browser, on the demo site, with the demo accounts: the editor
logs in through the login form, creates an analysis with a PDF under the analyses index, assigns
it to the Africa Center, names its author and submits it for review; the moderator logs in and
approves it; then an anonymous reader finds it on the Africa Center's page, from the site's
navigation."""

import re
import time

import pytest
from django.utils.text import slugify
from pypdf import PdfWriter

from publications.demo import content

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

from .conftest import follow, log_in, main_navigation_link

pytestmark = pytest.mark.browser

USERS = {data["username"]: data for data in content.DEMO_USERS}
CENTER = next(data for data in content.CENTERS if data["slug"] == "africa-center")
CENTERS_INDEX_TITLE = content.CENTERS_INDEX["title"]


def small_pdf(path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def open_action_menu(page):
    """The editor's footer: the secondary actions sit behind the toggle of the primary button."""
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()


def choose(page, field, name, *, search=True):
    """Pick ``name`` in the chooser of a field (CSS selector of its wrapper): open its modal,
    search, click the result."""
    page.locator(f"{field} button", has_text=re.compile("choose", re.I)).last.click()
    modal = page.locator(".modal-dialog").last
    expect(modal).to_be_visible()
    if search:
        modal.locator("input[name='q']").fill(name)
    link = modal.get_by_role("link", name=name, exact=True).first
    expect(link).to_be_visible()
    link.click()
    expect(modal).to_be_hidden()


def test_editor_submits_moderator_approves_reader_finds_it(browser, site_url, tmp_path):
    title = f"Elections and mediation in the Great Lakes ({int(time.time())})"
    pdf = small_pdf(tmp_path / "great-lakes.pdf")

    # --- The editor: a new analysis with its PDF and its centre, submitted for review.
    editor = browser.new_context(base_url=site_url)
    page = editor.new_page()
    log_in(page, "editor")
    page.goto("/admin/pages/create/publications/analysispage?locale=en")
    expect(page.locator("#id_title")).to_be_visible()
    page.locator("#id_title").fill(title)
    page.locator("#id_analysis_type").select_option(label="Policy brief")
    summary = page.locator("[data-contentpath='summary'] [contenteditable='true']")
    summary.click()
    summary.type("Regional mediation has changed how elections end in the Great Lakes.")
    # An author: without one, the checklist refuses the submission (publications.readiness).
    page.get_by_role("button", name=re.compile(r"add author", re.I)).first.click()
    page.locator("#id_authors-0-name").fill("Joseph Mwangi")

    page.locator("[data-contentpath='pdf'] button", has_text=re.compile("choose", re.I)).click()
    modal = page.locator(".modal-dialog").last
    modal.get_by_role("tab", name=re.compile("upload", re.I)).click()
    modal.locator("input[type='file']").set_input_files(str(pdf))
    modal.locator("input[name$='title']").fill(f"{title} (PDF)")
    modal.get_by_role("button", name=re.compile("upload", re.I)).click()
    expect(modal).to_be_hidden()
    expect(page.locator("[data-contentpath='pdf']")).to_contain_text(f"{title} (PDF)")

    page.get_by_role("tab", name="Classification").click()
    page.get_by_role("button", name=re.compile("add centre or programme", re.I)).click()
    choose(page, "#id_research_units-0-unit-chooser", CENTER["title"])

    page.get_by_role("button", name=re.compile("save draft", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    edit_url = page.url
    open_action_menu(page)
    page.get_by_role("button", name=re.compile("submit to editorial review", re.I)).click()
    expect(page.get_by_text(re.compile("submitted", re.I)).first).to_be_visible()
    editor.close()

    # --- The moderator approves it, which publishes it.
    moderator = browser.new_context(base_url=site_url)
    page = moderator.new_page()
    log_in(page, "moderator")
    page.goto(edit_url)
    open_action_menu(page)
    page.get_by_role("button", name=re.compile(r"^\s*approve and publish\s*$", re.I)).click()
    # Back in the explorer of the analyses, the page is now live.
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text(re.compile(r"\blive\b", re.I))
    moderator.close()

    # --- An anonymous reader finds it on the Africa Center's page.
    reader = browser.new_context(base_url=site_url)
    page = reader.new_page()
    page.goto("/en/")
    follow(page, main_navigation_link(page, CENTERS_INDEX_TITLE))
    follow(page, page.locator("main").get_by_role("link", name=CENTER["title"], exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(CENTER["title"])
    link = page.locator("main").get_by_role("link", name=title)
    expect(link).to_be_visible()
    follow(page, link)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("Download the full analysis")).to_be_visible()
    reader.close()


# --- The research pages pass the same accessibility checks as the rest of the site ------------


def _french(slug, units=content.CENTERS):
    """The French slug of a centre or programme: its French title's (a translation takes it)."""
    if slug == content.ARCHIVED_PROGRAMME["slug"]:
        return slugify(content.ARCHIVED_PROGRAMME["title_fr"])
    for center in units:
        if center["slug"] == slug:
            return slugify(center["title_fr"])
        for programme in center["programmes"]:
            if programme["slug"] == slug:
                return slugify(programme["title_fr"])
    return slug  # an expert: a name is the same in both languages


RESEARCH_PATHS = (
    (),
    ("africa-center",),
    ("africa-center", "great-lakes-program"),
    ("russia-eurasia-center", "caspian-energy-program"),
    ("africa-center", "wanjiru-kamau"),
)
RESEARCH_PAGES = [
    "/".join(["", "en", content.CENTERS_INDEX["slug"], *path, ""]) for path in RESEARCH_PATHS
] + [
    "/".join(["", "fr", slugify(content.CENTERS_INDEX["title_fr"]), *map(_french, path), ""])
    for path in RESEARCH_PATHS
]


@pytest.mark.parametrize("path", RESEARCH_PAGES)
def test_research_page_has_no_axe_violations(axe_script, page, path):
    from .test_accessibility import assert_no_axe_violations

    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert_no_axe_violations(page, axe_script)
