"""A screenshot of every page type at 390 px (a phone) and 1366 px (a laptop), in
``test-artifacts/screenshots/`` (kept by CI with the other test artifacts), for a reviewer to look
at. Each page must answer 200 and fit its width: nothing may scroll sideways."""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

from .conftest import ARTIFACTS_DIR

pytestmark = pytest.mark.browser

SCREENSHOTS_DIR = ARTIFACTS_DIR.parent / "screenshots"
WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}


@pytest.fixture(scope="module")
def page_types(site_pages, browser, site_url):
    """The URL of one page of each type, found by following the site's own links."""
    pages = {
        "home": site_pages["en"]["home"],
        "listing": site_pages["en"]["index"],
        "analysis": site_pages["en"]["analysis"],
        "legal": "/en/legal/",
        "search": "/en/search/?q=diplomacy",
    }
    context = browser.new_context(base_url=site_url)
    page = context.new_page()
    try:
        page.goto(pages["analysis"])
        pages["landing"] = page.locator(".terms a").first.get_attribute("href")
        pages["expert"] = page.locator(".analysis__authors a").first.get_attribute("href")
        pages["centre"] = page.locator(".analysis__units a").first.get_attribute("href")
        page.goto(pages["home"])
        centres = page.get_by_role("navigation", name="Main").get_by_role("link").nth(1)
        pages["centres index"] = centres.get_attribute("href")
        page.goto(pages["centres index"])
        links = page.locator("main a[href*='/research/']").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
        programmes = [href for href in links if href.count("/") >= 5 and "program" in href]
        if programmes:
            pages["programme"] = programmes[0]
    finally:
        context.close()
    return pages


@pytest.mark.parametrize("device", list(WIDTHS))
def test_every_page_type_fits_its_width_and_is_photographed(page, page_types, device):
    width, height = WIDTHS[device]
    page.set_viewport_size({"width": width, "height": height})
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    assert {"home", "listing", "landing", "analysis", "centre", "expert"} <= set(page_types)
    for kind, url in page_types.items():
        response = page.goto(url)
        assert response.status == 200, f"{kind}: {url} answered {response.status}"
        expect(page.locator("main h1")).to_have_count(1)
        overflow = page.evaluate("document.documentElement.scrollWidth") - width
        assert overflow <= 0, f"{kind} ({url}) scrolls sideways by {overflow} px at {width} px"
        name = re.sub(r"[^a-z0-9]+", "-", kind)
        page.screenshot(path=str(SCREENSHOTS_DIR / f"{name}-{width}.png"), full_page=True)
