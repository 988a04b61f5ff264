"""A translator's work, in a real browser on the demo site: the administrator translates an English
analysis into French (*Translate*), is warned that the translation still has the English PDF,
gives it a French title and a French PDF of its own and publishes it. Then a reader finds both
pages, each with its own PDF, ``hreflang``, ``citation_*`` tags and JSON-LD."""

import json
import re

import pytest

from publications.demo import content

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

from .test_editorial_workflow import open_action_menu, small_pdf

pytestmark = pytest.mark.browser

SOURCE = next(s for s in content.SEED_ANALYSES if s["title"].startswith("Anglo-Kenyan"))
FRENCH_TITLE = "Les relations anglo-kényanes (1920-2024)"


def log_in_as_administrator(page):
    """*Translate* (wagtail.contrib.simple_translation) is the administrator's."""
    page.goto("/admin/login/")
    page.locator("#id_username").fill(content.ADMIN["username"])
    page.locator("#id_password").fill(content.ADMIN["password"])
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def head(page):
    """The citation_* tags and the JSON-LD report of the page shown."""
    meta = {
        name: page.locator(f'meta[name="{name}"]').evaluate_all("m => m.map(e => e.content)")
        for name in ("citation_language", "citation_pdf_url", "citation_doi")
    }
    reports = [
        json.loads(text)
        for text in page.locator('script[type="application/ld+json"]').all_text_contents()
    ]
    return meta, next(data for data in reports if data.get("@type") == "Report")


def test_translate_give_the_french_pdf_publish(browser, site_url, tmp_path):
    translator = browser.new_context(base_url=site_url)
    page = translator.new_page()
    log_in_as_administrator(page)
    page.goto(f"/admin/pages/search/?q={SOURCE['title'][:20]}")
    page.get_by_role("link", name=SOURCE["title"]).first.click()
    page_id = re.search(r"/admin/pages/(\d+)/", page.url).group(1)

    # *Translate* into French: the copy opens in the editor, with a warning about its PDF.
    page.goto(f"/admin/translation/submit/page/{page_id}/")
    page.get_by_label(re.compile("french", re.I)).check()
    page.locator("form button[type='submit'], form input[type='submit']").last.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    warning = page.get_by_role("status").get_by_text(
        re.compile("PDF of this page is the one of another language")
    )
    expect(warning).to_be_visible()
    # ...and the pre-publication checklist says it too, as a point to check.
    expect(page.locator('[data-checklist] [data-check="pdf"]')).to_have_attribute(
        "data-status", "warning"
    )

    page.locator("#id_title").fill(FRENCH_TITLE)
    pdf = small_pdf(tmp_path / "relations-anglo-kenyanes.pdf")
    # The copy has the English PDF: choose another one, a French PDF uploaded here.
    field = page.locator("[data-contentpath='pdf']")
    field.get_by_role("button", name="Actions").click()
    field.get_by_role("button", name=re.compile("choose another", re.I)).click()
    modal = page.locator(".modal-dialog").last
    modal.get_by_role("tab", name=re.compile("upload", re.I)).click()
    modal.locator("input[type='file']").set_input_files(str(pdf))
    modal.locator("input[name$='title']").fill("Relations anglo-kényanes (PDF)")
    modal.get_by_role("button", name=re.compile("upload", re.I)).click()
    expect(modal).to_be_hidden()
    open_action_menu(page)
    page.get_by_role("button", name=re.compile(r"^\s*publish\s*$", re.I)).click()
    row = page.get_by_role("row").filter(has_text=FRENCH_TITLE)
    expect(row).to_contain_text(re.compile(r"\blive\b", re.I))
    translator.close()

    # --- A reader: the English page, then its French version through the switcher.
    reader = browser.new_context(base_url=site_url)
    page = reader.new_page()
    page.goto("/en/search/?q=Anglo-Kenyan")
    page.locator("main").get_by_role("link", name=SOURCE["title"]).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SOURCE["title"])
    english_pdf = page.locator("a.download").get_attribute("href")
    expect(page.locator("a.download")).to_have_attribute("hreflang", "en")
    meta, report = head(page)
    assert meta["citation_language"] == ["en"]
    assert meta["citation_pdf_url"][0].endswith(english_pdf)
    assert meta["citation_doi"] == [SOURCE["doi"]]
    assert report["encoding"]["inLanguage"] == "en"

    page.locator(".lang-switcher").get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"/fr/analyses/les-relations-anglo-kenyanes-1920-2024/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FRENCH_TITLE)
    download = page.locator("a.download")
    expect(download).to_have_attribute("hreflang", "fr")
    expect(download).not_to_contain_text("en anglais")
    expect(download).to_contain_text("PDF, 551 octets")  # its own file's size, in French
    french_pdf = download.get_attribute("href")
    assert french_pdf != english_pdf
    meta, report = head(page)
    assert meta["citation_language"] == ["fr"]
    assert meta["citation_pdf_url"][0].endswith(french_pdf)
    assert meta["citation_doi"] == []  # the DOI names the English edition
    assert report["inLanguage"] == "fr"
    assert report["encoding"]["inLanguage"] == "fr"
    assert report["encoding"]["contentUrl"].endswith(french_pdf)
    reader.close()
