"""The analysis editor in Chromium, on the demo site (issue 13): themes and regions chosen
several at once from their lists, and a term that is not in the list."""

import re
import time

import pytest

from .test_editorial_workflow import log_in

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

pytestmark = pytest.mark.browser


def new_analysis(page, title):
    page.goto("/admin/pages/create/publications/analysispage?locale=en")
    expect(page.locator("#id_title")).to_be_visible()
    page.locator("#id_title").fill(title)
    page.locator("#id_analysis_type").select_option(label="Policy brief")
    summary = page.locator("[data-contentpath='summary'] [contenteditable='true']")
    summary.click()
    summary.type("What the analysis finds.")
    expect(summary).to_contain_text("What the analysis finds.")


def check(modal, name):
    modal.get_by_text(name, exact=True).click()  # the label of the row's checkbox


def test_editor_picks_several_themes_and_a_region_with_its_parents(browser, site_url):
    context = browser.new_context(base_url=site_url)
    page = context.new_page()
    log_in(page, "editor")
    new_analysis(page, f"Ports of East Africa ({int(time.time())})")
    page.get_by_role("tab", name="Classification").click()

    page.get_by_role("button", name=re.compile(r"^\s*add theme\s*$", re.I)).click()
    modal = page.locator(".modal-dialog").last
    expect(modal).to_be_visible()
    check(modal, "Diplomacy")
    check(modal, "Geopolitics")
    modal.get_by_role("button", name=re.compile("confirm selection", re.I)).click()
    expect(modal).to_be_hidden()
    themes = page.locator("#panel-child-classification-themes-section")
    expect(themes).to_contain_text("Diplomacy")
    expect(themes).to_contain_text("Geopolitics")
    expect(themes).not_to_contain_text('"')

    page.get_by_role("button", name=re.compile(r"^\s*add region\s*$", re.I)).click()
    modal = page.locator(".modal-dialog").last
    modal.locator("input[name='q']").fill("Wakanda")
    expect(modal.get_by_role("alert")).to_contain_text("is not in the list of regions")
    expect(modal.get_by_role("link", name=re.compile("add it to the list", re.I))).to_be_visible()
    modal.locator("input[name='q']").fill("Kenya")
    expect(modal).to_contain_text("Africa › East Africa › Kenya")
    check(modal, "Africa › East Africa › Kenya")
    modal.get_by_role("button", name=re.compile("confirm selection", re.I)).click()
    expect(modal).to_be_hidden()

    page.get_by_role("button", name=re.compile("save draft", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    page.get_by_role("tab", name="Classification").click()
    expect(page.locator("#panel-child-classification-themes-section")).to_contain_text(
        "Geopolitics"
    )
    expect(page.locator("#panel-child-classification-regions-section")).to_contain_text(
        "Africa › East Africa › Kenya"
    )
    context.close()
