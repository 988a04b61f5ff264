"""The search box in a real browser, against the demo site: it suggests as one types (a WAI-ARIA
1.2 combobox with a listbox: arrow keys, Enter, Escape), axe-core finds no violation with the
list open, the form works as a plain search without JavaScript, and a misspelt query shows the
results of its correction, saying so."""

import re
from urllib.parse import urlsplit

import pytest

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

from .conftest import SEED_TITLE
from .test_accessibility import assert_no_axe_violations
from .test_discovery import csp_violations

pytestmark = pytest.mark.browser

BOX_NAME = re.compile("Search analyses, centres and experts", re.I)


def header_box(page):
    return page.locator("header").get_by_role("combobox", name=BOX_NAME)


def test_suggestions_with_the_keyboard(page, site_pages, axe_script):
    violations = csp_violations(page)
    page.goto(site_pages["en"]["home"])
    box = header_box(page)
    expect(box).to_have_attribute("aria-expanded", "false")
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    expect(listbox).to_be_hidden()

    box.click()
    box.press_sequentially("subnat", delay=40)
    expect(listbox).to_be_visible()
    expect(listbox).to_have_attribute("role", "listbox")
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text(SEED_TITLE)
    expect(page.get_by_role("status").filter(has_text="suggestion")).to_have_count(1)
    assert box.get_attribute("aria-activedescendant") is None  # nothing chosen yet

    # The open combobox, the list and its options: no axe violation.
    assert_no_axe_violations(page, axe_script)

    # Down chooses the first option; the focus stays in the box.
    box.press("ArrowDown")
    first = options.first
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_be_focused()
    # Up from the first goes round to the last, Down from the last back to the first.
    count = options.count()
    box.press("ArrowUp")
    expect(box).to_have_attribute(
        "aria-activedescendant", options.nth(count - 1).get_attribute("id")
    )
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))

    # Escape closes the list and keeps what was typed.
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    expect(box).to_have_value("subnat")

    # Down opens it again; Enter opens the analysis chosen.
    box.press("ArrowDown")
    expect(listbox).to_be_visible()
    expect(first).to_have_attribute("aria-selected", "true")
    with page.expect_navigation():
        box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    assert violations == []


def test_enter_without_a_choice_searches_what_was_typed(page, site_pages):
    page.goto(site_pages["en"]["home"])
    box = header_box(page)
    box.click()
    box.press_sequentially("subnat", delay=40)
    expect(page.get_by_role("listbox")).to_be_visible()
    with page.expect_navigation():
        box.press("Enter")
    assert urlsplit(page.url).path == "/en/search/"
    # One search box on the search page: its own, a combobox too.
    expect(page.get_by_role("search")).to_have_count(1)
    expect(page.get_by_role("combobox", name=BOX_NAME)).to_have_value("subnat")


def test_without_javascript_a_plain_search_form(browser, site_url, site_pages):
    context = browser.new_context(base_url=site_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_pages["en"]["home"])
        box = page.locator("header").get_by_role("searchbox", name=BOX_NAME)
        box.fill("subnational diplomacy")
        with page.expect_navigation():
            box.press("Enter")
        expect(page.get_by_role("link", name=SEED_TITLE)).to_be_visible()
        expect(page.get_by_role("listbox")).to_have_count(0)
    finally:
        context.close()


def test_a_misspelt_query_shows_the_results_of_its_correction(page, site_pages):
    page.goto(site_pages["en"]["home"])
    box = header_box(page)
    box.fill("diplomcy")
    with page.expect_navigation():
        box.press("Enter")
    expect(
        page.get_by_text("No results for “diplomcy”. Showing results for “diplomacy”.")
    ).to_be_visible()
    expect(page.get_by_role("link", name=SEED_TITLE)).to_be_visible()
    expect(page.get_by_role("combobox", name=BOX_NAME)).to_have_value("diplomcy")
