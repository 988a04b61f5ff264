"""A reader who switches language, in a real browser, and axe-core on the pages they land on:
an English analysis without a French version leads to the closest French page with a notice;
a search keeps its query; a French analysis without a French PDF says the PDF is in English;
a French theme's landing page is in French."""

import re

import pytest

from publications.demo import content

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

from .conftest import find_analysis_link, follow, main_navigation_link
from .test_accessibility import assert_no_axe_violations

pytestmark = pytest.mark.browser

UNTRANSLATED_TITLE = content.generated_analyses()[0]["title"]


def switch_to(page, language_name):
    page.locator(".lang-switcher").get_by_role("link", name=language_name).click()


def test_untranslated_analysis_switches_to_the_french_index_with_a_notice(page, axe_script):
    page.goto("/en/")
    follow(page, main_navigation_link(page, "Analyses"))
    link = find_analysis_link(page, UNTRANSLATED_TITLE)
    assert link is not None, f"{UNTRANSLATED_TITLE!r} is not listed"
    follow(page, link)
    english_url = page.url
    switch_to(page, "Français")
    page.wait_for_url(re.compile(r"/fr/analyses/\?untranslated=\d+$"))
    notice = page.locator(".untranslated-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Cette analyse n'est pas disponible en français.")
    back = notice.get_by_role("link", name=UNTRANSLATED_TITLE)
    expect(back).to_have_attribute("lang", "en")
    assert_no_axe_violations(page, axe_script)
    follow(page, back)
    assert page.url == english_url


def test_search_keeps_its_query_in_the_other_language(page):
    page.goto("/en/search/?q=cities")
    switch_to(page, "Français")
    page.wait_for_url(re.compile(r"/fr/search/\?q=cities$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_french_analysis_without_a_french_pdf(page, axe_script):
    page.goto("/fr/")
    follow(page, main_navigation_link(page, "Analyses"))
    link = find_analysis_link(page, content.CITY_RISK_FR["title"])
    assert link is not None, "the French brief is not on the French index"
    follow(page, link)
    download = page.locator("a.download")
    expect(download).to_have_attribute("hreflang", "en")
    expect(download).to_contain_text("PDF, en anglais")
    assert page.locator('meta[name="citation_pdf_url"]').count() == 0
    expect(page.locator('meta[name="citation_language"]')).to_have_attribute("content", "fr")
    assert_no_axe_violations(page, axe_script)
    # The English page's switcher leads back to it, and its download is English.
    switch_to(page, "English")
    page.wait_for_url(re.compile(r"/en/analyses/"))
    expect(page.locator("a.download")).to_have_attribute("hreflang", "en")
    expect(page.locator("a.download")).not_to_contain_text("in English")


def test_french_landing_page(page, axe_script):
    page.goto("/en/analyses/themes/diplomacy/")
    switch_to(page, "Français")
    page.wait_for_url(re.compile(r"/fr/analyses/themes/diplomatie/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Diplomatie")
    assert_no_axe_violations(page, axe_script)
