"""Accessibility of the public pages, in a real browser: axe-core's WCAG 2.1 A/AA and best-practice
rules find no violation, and the first Tab reaches a visible "Skip to content" link.

Pages: the home, the analyses index and the seed analysis, in English and in French.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest

# Without Playwright, the chromium_executable fixture skips these tests (or fails them), saying why.
try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import expect
except ImportError:
    expect = PlaywrightTimeoutError = None

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PAGES = [(language, kind) for language in ("en", "fr") for kind in ("home", "index", "analysis")]
PAGE_IDS = [f"{language}-{kind}" for language, kind in PAGES]
SKIP_LINK_NAMES = {
    "en": re.compile(r"^\s*skip to (main )?content\s*$", re.I),
    "fr": re.compile(r"^\s*(aller|passer) (directement )?au contenu( principal)?\s*$", re.I),
}
FOCUSED_ON_SCREEN = """() => {
    const box = document.activeElement.getBoundingClientRect();
    return box.width > 10 && box.height > 10 && box.top >= 0 && box.left >= 0
        && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
}"""
AXE_URL_PATH = "/__axe-core__/axe.min.js"  # answered by Playwright, see inject_axe()


def format_violations(url, violations, targets=3):
    lines = [f"{len(violations)} axe violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{len(violation['nodes'])} element(s)] {violation['helpUrl']}"
        )
        for node in violation["nodes"][:targets]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > targets:
            lines.append(f"    ... and {len(violation['nodes']) - targets} more")
    return "\n".join(lines)


def inject_axe(page, axe_script):
    """Load axe-core into the page as a script of the site's own origin.

    The site sends a strict Content-Security-Policy (script-src 'self'), which blocks the inline
    script that ``page.add_script_tag(path=...)`` would insert. Rather than switching the policy off
    (``bypass_csp``, which would also change how the page renders), the browser is given axe-core
    from a same-origin URL that never reaches the server: the request is answered from
    node_modules by Playwright."""
    url = urljoin(page.url, AXE_URL_PATH)
    page.route(url, lambda route: route.fulfill(path=axe_script, content_type="text/javascript"))
    page.add_script_tag(url=url)


def assert_no_axe_violations(page, axe_script):
    """Run axe-core's WCAG 2.1 A/AA and best-practice rules on the page as it is now."""
    inject_axe(page, axe_script)
    results = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        AXE_TAGS,
    )
    assert results["passes"], f"axe-core checked nothing on {page.url}"  # it did run
    assert not results["violations"], format_violations(page.url, results["violations"])


@pytest.mark.parametrize(("language", "kind"), PAGES, ids=PAGE_IDS)
def test_page_has_no_axe_violations(axe_script, site_pages, page, language, kind):
    url = site_pages[language][kind]
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    assert_no_axe_violations(page, axe_script)


@pytest.mark.parametrize(("language", "kind"), PAGES, ids=PAGE_IDS)
def test_first_tab_focuses_a_visible_skip_link(site_pages, page, language, kind):
    url = site_pages[language][kind]
    page.goto(url)
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused, f"the first Tab on {url} focuses nothing").to_have_count(1)
    assert focused.evaluate("element => element.tagName") == "A", (
        f"the first Tab on {url} focuses {focused.evaluate('element => element.outerHTML')[:200]}"
    )
    expect(focused, f"the first Tab on {url} does not reach the skip link").to_have_accessible_name(
        SKIP_LINK_NAMES[language]
    )

    # Visible when focused: wholly on screen (after any transition), and larger than the 1-pixel
    # box of a visually hidden element.
    expect(focused).to_be_visible()
    try:
        page.wait_for_function(FOCUSED_ON_SCREEN, timeout=3000)
    except PlaywrightTimeoutError:
        pytest.fail(f"the focused skip link is not on screen: {focused.bounding_box()} on {url}")

    # It leads to the main content: its target is, or holds, the page's <main>.
    target = urlsplit(focused.get_attribute("href") or "").fragment
    assert target, f"the first link on {url} is not an in-page (skip) link"
    leads_to_main = page.evaluate(
        """id => {
            const target = document.getElementById(id);
            const main = document.querySelector('main');
            return Boolean(target && main && (target === main || target.contains(main)));
        }""",
        target,
    )
    assert leads_to_main, f"the skip link's target #{target} on {url} is not the main content"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_filtered_listing_on_a_phone_has_no_axe_violations(
    axe_script, site_pages, page, language
):
    """The states the script creates: a phone's viewport, the filters open, a value ticked (the
    results, the chips and the facets replaced in place), an author looked for."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_pages[language]["index"])
    page.locator("#filters > summary").click()
    page.locator("fieldset[data-facet='theme'] input[type=checkbox]").first.check()
    expect(page.locator(".chip")).to_have_count(1)  # the results were replaced
    page.locator("fieldset[data-facet='author'] input[type=search]").fill("a")
    assert_no_axe_violations(page, axe_script)
