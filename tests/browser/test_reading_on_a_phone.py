"""The public site read on a phone (390 x 844 CSS px, as an iPhone 12-15): what a reader came for
is within the first screen and a half, the listing's filters wait in a disclosure and change
nothing until asked, and every control is large enough to touch (WCAG 2.5.8: 24 x 24 px).
The listing also works without JavaScript."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

from .conftest import DEFAULT_TIMEOUT_MS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCREENS = 1.5  # what a reader came for is within the first screen and a half
MIN_TARGET = 24  # CSS px, WCAG 2.5.8 (target size, minimum)


def top_in_document(locator):
    return locator.evaluate("element => element.getBoundingClientRect().top + window.scrollY")


def too_small(locator):
    """The visible elements of ``locator`` smaller than MIN_TARGET in either direction."""
    return locator.evaluate_all(
        """(elements, min) => elements
            .filter(element => element.getClientRects().length)
            .map(element => [element.outerHTML.slice(0, 120), element.getBoundingClientRect()])
            .filter(([_html, box]) => box.width < min || box.height < min)
            .map(([html, box]) => `${html} ${box.width}x${box.height}`)""",
        MIN_TARGET,
    )


def status_text(page):
    return page.locator("[data-listing-count]").inner_text()


def test_the_first_result_comes_before_the_filters_on_a_phone(page, site_pages):
    page.set_viewport_size(PHONE)
    page.goto(site_pages["en"]["index"])
    first_result = page.locator(".card-list .card__title a").first
    expect(first_result).to_be_visible()
    assert top_in_document(first_result) < SCREENS * PHONE["height"]
    # The filters are one line, closed.
    toggle = page.locator("summary", has_text="Filters")
    expect(toggle).to_be_visible()
    expect(page.get_by_role("group", name="Theme")).to_be_hidden()


def test_filters_change_the_results_in_place_on_a_phone(page, site_pages):
    page.set_viewport_size(PHONE)
    page.goto(site_pages["en"]["index"])
    page.evaluate("() => { window.sameDocument = true; }")
    before = status_text(page)
    page.locator("summary", has_text="Filters").click()
    themes = page.get_by_role("group", name="Theme")
    expect(themes).to_be_visible()

    # Every control a finger has to hit is at least 24 x 24.
    targets = page.locator(
        "#filters summary, #filters input, #filters select, #filters button, #filters a, "
        ".listing__sort select, .card__title a, .pagination a"
    )
    assert too_small(targets) == []

    box = themes.get_by_label(re.compile(r"^Diplomacy\b"))
    box.click()
    # The count, a polite live region, says what is now listed; the focus stays on the box.
    expect(page.locator("[data-listing-count]")).not_to_have_text(before)
    expect(page.locator("[data-listing-count]")).to_have_attribute("role", "status")
    expect(box).to_be_focused()
    expect(page).to_have_url(re.compile(r"theme=diplomacy"))
    chip = page.get_by_role("link", name="Remove the filter Theme: Diplomacy")
    expect(chip).to_be_visible()
    assert too_small(page.locator(".chip a, .chips__clear")) == []

    # "Apply filters" closes the disclosure and shows the results.
    page.get_by_role("button", name="Apply filters").click()
    expect(themes).to_be_hidden()
    first_result = page.locator(".card-list .card__title a").first
    expect(first_result).to_be_in_viewport()

    # Removing the chip lists everything again.
    chip.click()
    expect(page.locator("[data-listing-count]")).to_have_text(before)
    expect(page.get_by_role("link", name="Remove the filter Theme: Diplomacy")).to_have_count(0)
    assert "theme" not in parse_qs(urlsplit(page.url).query)
    assert page.evaluate("() => window.sameDocument === true"), "a new page was loaded"


def test_authors_can_be_narrowed_by_typing(page, site_pages):
    page.goto(site_pages["en"]["index"])
    authors = page.get_by_role("group", name="Author")
    find = authors.get_by_label("Find an author")
    all_authors = authors.locator(".facet__item:visible").count()
    find.fill("lindq")
    expect(authors.locator(".facet__item:visible")).to_have_count(1)
    expect(authors.locator(".facet__item:visible")).to_contain_text(re.compile("Lindqvist"))
    find.fill("")
    assert authors.locator(".facet__item:visible").count() == all_authors


def test_the_listing_works_without_javascript(browser, site_url, site_pages):
    context = browser.new_context(base_url=site_url, viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(site_pages["en"]["index"])
        url = page.url
        page.locator("summary", has_text="Filters").click()
        page.get_by_role("group", name="Theme").get_by_label(re.compile(r"^Diplomacy\b")).check()
        page.get_by_role("group", name="Type").locator("input").first.check()
        assert page.url == url  # nothing is sent until the reader asks
        with page.expect_navigation():
            page.get_by_role("button", name="Apply filters").click()
        query = parse_qs(urlsplit(page.url).query)
        assert query["theme"] == ["diplomacy"] and len(query["type"]) == 1
        with page.expect_navigation():
            page.get_by_role("link", name="Remove the filter Theme: Diplomacy").click()
        assert "theme" not in parse_qs(urlsplit(page.url).query)
        # The sort order is sent with its own button.
        page.get_by_label("Sort by").select_option("oldest")
        with page.expect_navigation():
            page.get_by_role("button", name="Sort", exact=True).click()
        assert parse_qs(urlsplit(page.url).query)["sort"] == ["oldest"]
    finally:
        context.close()


def test_the_analysis_offers_its_pdf_within_a_screen_and_a_half_on_a_phone(page, site_pages):
    page.set_viewport_size(PHONE)
    page.goto(site_pages["en"]["analysis"])
    pdf_links = page.locator("main a[type='application/pdf']")
    expect(pdf_links.first).to_be_visible()
    assert top_in_document(pdf_links.first) < SCREENS * PHONE["height"]
    # The full download block and the language versions come right after the summary.
    order = page.evaluate(
        """() => ['.analysis__summary', '.facts--download', '.analysis__key .inline-list',
                  '.analysis__more']
            .map(selector => document.querySelector(selector).getBoundingClientRect().top)"""
    )
    assert order == sorted(order), order
    assert too_small(page.locator("main .analysis__header a, main .terms a")) == []


def test_the_header_is_compact_with_a_menu_button_on_a_phone(page, site_pages):
    page.set_viewport_size(PHONE)
    page.goto(site_pages["fr"]["home"])
    assert page.locator("header").bounding_box()["height"] <= 120
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    nav = page.get_by_role("navigation", name="Menu principal")
    expect(nav).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(page.locator("header input[type=search]")).to_be_visible()
    assert too_small(page.locator("header a, header button, header input")) == []
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()


def test_the_menu_opens_without_javascript(browser, site_url, site_pages):
    context = browser.new_context(base_url=site_url, viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(site_pages["en"]["home"])
        nav = page.get_by_role("navigation", name="Main")
        expect(nav).to_be_hidden()
        page.get_by_role("link", name="Menu").click()
        expect(nav).to_be_visible()
        nav.get_by_role("link", name="Analyses").click()
        expect(page).to_have_url(re.compile(r"/en/analyses/$"))
    finally:
        context.close()


@pytest.mark.parametrize("width", [1024, 1366])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_header_is_one_row_on_a_wide_screen(page, site_pages, width, language):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site_pages[language]["index"])
    boxes = [
        page.locator(selector).bounding_box()
        for selector in (".site-brand", ".site-nav", ".site-search", ".lang-switcher")
    ]
    middles = [box["y"] + box["height"] / 2 for box in boxes]
    assert max(middles) - min(middles) < 8, boxes
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left["x"] + left["width"] <= right["x"], (left, right)
    expect(page.get_by_role("link", name="Menu")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
