"""Discovery in a real browser, against the demo site: filter the analyses index by a theme and a
region, find the seed analysis by a phrase that is only inside its PDF, download its BibTeX, and
no Content-Security-Policy violation on the way (the JSON-LD data block included)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

from .conftest import SEED_TITLE

pytestmark = pytest.mark.browser

PDF_ONLY_PHRASE = "paradiplomacy toolbox"  # in the seed's PDF, in no title or summary


def csp_violations(page):
    """Collect the page's CSP violations (reported on the console by Chromium)."""
    messages = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return messages


def tick(page, facet, name):
    """Tick a facet value by its label (the count after it varies): the results and the address
    follow in place, without a navigation."""
    box = page.get_by_role("group", name=facet).get_by_label(re.compile(rf"^{re.escape(name)}\b"))
    page.evaluate("() => { window.sameDocument = true; }")  # a new document would not have it
    if not box.first.is_visible():  # a long facet shows its first values; the rest on demand
        page.get_by_role("group", name=facet).locator("summary", has_text="more").click()
    box.first.click()
    chip = page.get_by_role("link", name=re.compile(rf"^Remove the filter {facet}: {name}$"))
    expect(chip).to_be_visible()
    assert page.evaluate("() => window.sameDocument === true"), f"ticking {name} loaded a new page"
    expect(box.first).to_be_focused()


def test_filter_by_theme_and_region(page, site_pages):
    violations = csp_violations(page)
    page.goto(site_pages["en"]["index"])
    tick(page, "Theme", "Diplomacy")
    tick(page, "Region", "Europe")
    page.wait_for_url(re.compile(r"region=europe"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["theme"] == ["diplomacy"] and query["region"] == ["europe"]
    expect(page.get_by_role("link", name=SEED_TITLE)).to_be_visible()
    expect(
        page.get_by_role("group", name="Theme").get_by_label(re.compile("^Diplomacy"))
    ).to_be_checked()
    # Shareable: the same URL in a new page gives the same list.
    page.goto(page.url)
    expect(page.locator('meta[name="robots"]')).to_have_attribute("content", "noindex")
    expect(page.get_by_role("link", name=SEED_TITLE)).to_be_visible()
    expect(page.get_by_role("link", name="Clear all").first).to_be_visible()
    assert violations == []


def test_search_a_phrase_inside_a_pdf_and_download_the_bibtex(page, site_pages):
    import bibtexparser

    violations = csp_violations(page)
    page.goto(site_pages["en"]["home"])
    # A search input with a suggestions list is a combobox: find it by its label.
    box = page.locator("header").get_by_label(re.compile("Search analyses", re.I))
    box.fill(PDF_ONLY_PHRASE)
    with page.expect_navigation():
        box.press("Enter")
    assert urlsplit(page.url).path == "/en/search/"
    result = page.get_by_role("link", name=SEED_TITLE)
    expect(result).to_be_visible()
    with page.expect_navigation():
        result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    # The JSON-LD data block is on the page, and the browser reports no CSP violation for it.
    assert page.locator('script[type="application/ld+json"]').count() == 1
    expect(page.get_by_role("heading", name="Cite this analysis")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^BibTeX")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".bib")
    with open(download.path(), encoding="utf-8") as handle:
        library = bibtexparser.parse_string(handle.read())
    (entry,) = library.entries
    assert entry.entry_type == "techreport"
    assert "Subnational Diplomacy" in entry["title"]
    assert violations == []
