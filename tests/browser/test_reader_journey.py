"""A reader's journey, in a real browser against the demo site: from the English home to the seed
analysis, through every element of the seed's publication page, to the PDF and the French version.

The first test clicks from the home to the analysis; the others each check one element of the
analysis page (so that a failure names the element), opening the URL that click led to. Labels are
the seed's English texts (shared/seed/publication-page.txt); a missing one is a bug of the page, not
of the test. What the analysis must show (summary, terms, ISBN, authors) is read from the demo
content's data (publications.demo.content), not repeated here.
"""

import io
import re
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from pypdf import PdfReader
from stdnum import isbn

from publications.demo import content

# Without Playwright, the chromium_executable fixture skips these tests (or fails them), saying why.
try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

from .conftest import SEED_TITLE, find_analysis_link, follow, main_navigation_link

pytestmark = pytest.mark.browser

# Blocks of the page are found from their label: the innermost element of <main> holding both the
# label and what the block must contain.
BLOCKS = "section, aside, nav, dl, div, article, footer, header, li, p, ul, ol"
SIZE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(bytes|octets|[kKMG]i?B|[kKMG]o)\b")
PAGES = re.compile(r"(\d+)\s+pages?\b", re.I)
ISBN_HYPHENATED = re.compile(r"\b(?:97[89]-)?\d{1,5}-\d{1,7}-\d{1,7}-[\dX]\b")


def label(text):
    """The element whose text is the label (a trailing colon or link allowed, as in the seed)."""
    return re.compile(rf"^\s*{re.escape(text)}(?:\s*:)?(?=\W|$)")


def block(page, text, containing):
    """The innermost block of <main> that holds the label and matches ``containing`` (a CSS
    selector). Fails, naming the label, when the label is not on the page."""
    heading = page.get_by_text(label(text))
    expect(
        page.locator("main").get_by_text(label(text)).first, f"no {text!r} on {page.url}"
    ).to_be_visible()
    return (
        page.locator("main")
        .locator(BLOCKS)
        .filter(has=heading)
        .filter(has=page.locator(containing))
        .last
    )


def hrefs(locator):
    """Absolute hrefs of the links in a locator."""
    return locator.evaluate_all("links => links.map(link => link.href)")


def seed_spec():
    """The seed analysis as the demo content defines it (plain data, no database)."""
    return next(spec for spec in content.SEED_ANALYSES if spec["title"] == SEED_TITLE)


def open_seed_analysis(page, site_pages):
    page.goto(site_pages["en"]["analysis"])
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    return page


def test_reader_goes_from_the_home_page_to_the_seed_analysis(page, site_pages):
    page.goto("/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    link = page.get_by_role("link", name=SEED_TITLE)
    if link.count():
        follow(page, link.first)
    else:
        # Not among the home's featured and latest analyses: through the navigation's index.
        follow(page, main_navigation_link(page, "Analyses"))
        link = find_analysis_link(page, SEED_TITLE)
        assert link is not None, f"{SEED_TITLE!r} is neither on the home nor on the index"
        follow(page, link)
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    assert urlsplit(page.url).path == site_pages["en"]["analysis"]
    expect(page).to_have_title(re.compile(re.escape(SEED_TITLE)))


def test_analysis_page_shows_the_summary(page, site_pages):
    open_seed_analysis(page, site_pages)
    main = page.locator("main")
    for paragraph in seed_spec()["summary"]:
        expect(main.get_by_text(paragraph, exact=True), "the summary is not shown").to_be_visible()
    expect(main.get_by_text("This page contains only a summary of our work")).to_be_visible()


def test_analysis_page_lists_its_languages_with_hreflang_links(page, site_pages):
    open_seed_analysis(page, site_pages)
    languages = block(page, "Available in", 'a[hreflang="fr"]')
    expect(languages, '"Available in" has no hreflang="fr" link').to_have_count(1)
    french = languages.locator('a[hreflang="fr"]')
    assert urlsplit(french.first.evaluate("a => a.href")).path == site_pages["fr"]["analysis"]


def test_analysis_page_shows_its_themes_and_regions(page, site_pages):
    open_seed_analysis(page, site_pages)
    terms = block(page, "Themes and regions", "a, li")
    expect(terms, '"Themes and regions" lists no term').to_have_count(1)
    shown = {text.strip() for text in terms.locator("a, li").all_inner_texts() if text.strip()}
    spec = seed_spec()
    expected = {name for name, slug, *_ in content.THEMES if slug in spec["themes"]}
    expected |= {name for name, slug, *_ in content.REGIONS if slug in spec["regions"]}
    assert expected <= shown, f'"Themes and regions" lacks {sorted(expected - shown)}'


def test_analysis_page_shows_a_hyphenated_isbn(page, site_pages):
    open_seed_analysis(page, site_pages)
    heading = page.get_by_text(label("ISBN / ISSN"))
    expect(page.locator("main").locator(heading).first, 'no "ISBN / ISSN"').to_be_visible()
    identifiers = (
        page.locator("main").locator(BLOCKS).filter(has=heading).filter(has_text=ISBN_HYPHENATED)
    )
    expect(identifiers.last, '"ISBN / ISSN" shows no hyphenated ISBN').to_be_visible()
    found = ISBN_HYPHENATED.search(identifiers.last.inner_text()).group(0)
    assert isbn.is_valid(found), f"{found} is not a valid ISBN"
    assert isbn.format(found) == found, f"{found} is not hyphenated as {isbn.format(found)}"
    assert isbn.compact(found) == isbn.compact(seed_spec()["isbn"]), "not the analysis' ISBN"


def test_analysis_page_has_share_links(page, site_pages):
    open_seed_analysis(page, site_pages)
    share = block(page, "Share", "a[href]")
    expect(share, 'no "Share" links').to_have_count(1)
    links = hrefs(share.locator("a[href]"))
    path = urlsplit(page.url).path
    expected = {
        "e-mail": lambda href: href.startswith("mailto:"),
        "LinkedIn": lambda href: "linkedin.com" in href,
        "X": lambda href: urlsplit(href).netloc.removeprefix("www.") in {"x.com", "twitter.com"},
        "Bluesky": lambda href: "bsky.app" in href,
    }
    for network, matches in expected.items():
        found = [href for href in links if matches(href)]
        assert found, f'"Share" has no {network} link (links: {links})'
        assert path in unquote(found[0]), f"the {network} link does not share {path}: {found[0]}"
    copy = share.get_by_role("button", name=re.compile("copy", re.I)).or_(
        share.get_by_role("link", name=re.compile("copy", re.I))
    )
    expect(copy.first, '"Share" has no "copy link" control').to_be_visible()
    # What "Copy link" puts on the clipboard: the page's address on the origin it is served from
    # (`make run`'s SITE_BASE_URL), not another host name.
    expect(copy.first, '"Copy link" copies another address').to_have_attribute("href", page.url)


def test_analysis_page_offers_the_pdf_and_it_is_served(page, site_pages):
    open_seed_analysis(page, site_pages)
    download = block(page, "Download the full analysis", "a[href]")
    expect(download, 'no "Download the full analysis" link').to_have_count(1)
    text = download.inner_text()
    assert "PDF" in text, f'"Download the full analysis" does not say PDF: {text!r}'
    size = SIZE.search(text)
    pages = PAGES.search(text)
    assert size, f'"Download the full analysis" gives no file size: {text!r}'
    assert pages, f'"Download the full analysis" gives no page count: {text!r}'

    pdf_links = [
        href
        for href in hrefs(download.locator("a[href]"))
        if "/documents/" in href or urlsplit(href).path.lower().endswith(".pdf")
    ]
    assert pdf_links, f"no link to a document in {text!r}"
    response = page.request.get(urljoin(page.url, pdf_links[0]))
    assert response.status == 200, f"{pdf_links[0]} answered {response.status}"
    assert response.headers["content-type"].split(";")[0] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-"), f"{pdf_links[0]} is not a PDF: {body[:20]!r}"

    # What the page announces is what the file is.
    assert len(PdfReader(io.BytesIO(body)).pages) == int(pages.group(1))
    number, unit = float(size.group(1).replace(",", ".")), size.group(2).lower()
    # Decimal units (kB, MB) as the site writes them; binary ones (KiB) if a unit says so.
    base = 1024 if "i" in unit else 1000
    multiplier = {"bytes": 1, "k": base, "m": base**2, "g": base**3}[
        unit[0] if unit[0] in "kmg" else "bytes"
    ]
    announced = number * multiplier
    assert abs(announced - len(body)) <= max(0.1 * len(body), 0.5 * multiplier), (
        f"the page announces {size.group(0)}, the file has {len(body)} bytes"
    )


def test_analysis_page_links_its_research_centres_and_programmes(page, site_pages):
    open_seed_analysis(page, site_pages)
    units = block(page, "Related centers and programs", "a[href]")
    expect(units, 'no link under "Related centers and programs"').to_have_count(1)
    for href in hrefs(units.locator("a[href]")):
        assert page.request.get(href).status == 200, f"{href} is broken"

    others = block(page, "Discover our other research centers and programs", "a[href]")
    expect(
        others, 'no link under "Discover our other research centers and programs"'
    ).to_have_count(1)
    for href in hrefs(others.locator("a[href]")):
        assert page.request.get(href).status == 200, f"{href} is broken"


def test_analysis_page_shows_teasers_of_other_analyses(page, site_pages):
    open_seed_analysis(page, site_pages)
    index_path = site_pages["en"]["index"]
    discover = block(page, "Discover all our analyses", f'a[href*="{index_path}"]')
    expect(discover, 'no analysis under "Discover all our analyses"').to_have_count(1)
    # A teaser card: a link to another analysis, and an abstract beside its title.
    cards = discover.locator("article, li:not(:has(article))").filter(
        has=page.locator(f'a[href*="{index_path}"]')
    )
    teasers = cards.evaluate_all(
        """cards => cards.map(card => {
            const link = card.querySelector('a[href]');
            return {href: link.href, title: link.innerText.trim(),
                    extra: card.innerText.replace(link.innerText, '').trim()};
        })"""
    )
    teasers = [t for t in teasers if urlsplit(t["href"]).path != site_pages["en"]["analysis"]]
    assert len(teasers) >= 2, f'"Discover all our analyses" shows {len(teasers)} teaser cards'
    for teaser in teasers:
        assert teaser["title"], f"a teaser card without a title: {teaser}"
        assert len(teaser["extra"].split()) >= 8, f"a teaser card without an abstract: {teaser}"


def test_analysis_page_links_its_authors_to_their_expert_pages(page, site_pages):
    open_seed_analysis(page, site_pages)
    byline = page.locator("main").get_by_text(re.compile(r"^\s*By\s"))
    expect(byline.first, "no byline (By ...) on the analysis page").to_be_visible()
    links = byline.first.get_by_role("link")
    authors = [
        (name.strip(), href)
        for name, href in zip(links.all_inner_texts(), hrefs(links), strict=True)
    ]
    experts = {expert["slug"]: expert["name"] for expert in content.EXPERTS}
    spec_authors = seed_spec()["authors"]
    expected = [experts[author] for author in spec_authors if isinstance(author, str)]
    assert [name for name, _ in authors] == expected, "authors not linked to their expert pages"
    for name, _affiliation in (author for author in spec_authors if not isinstance(author, str)):
        expect(byline.first, "an outside co-author is missing").to_contain_text(name)
    for name, href in authors:
        page.goto(href)
        expect(page.get_by_role("heading", level=1), f"{href} is not {name}'s page").to_have_text(
            name
        )
        # The expert's page lists the analysis (its list may be paginated).
        assert find_analysis_link(page, SEED_TITLE), f"{name}'s page does not list the analysis"


def test_reader_switches_to_the_french_version_and_back(page, site_pages):
    open_seed_analysis(page, site_pages)
    english = page.url
    follow(page, block(page, "Available in", 'a[hreflang="fr"]').locator('a[hreflang="fr"]').first)
    assert urlsplit(page.url).path == site_pages["fr"]["analysis"]
    assert urlsplit(page.url).path.startswith("/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    back = page.locator('main a[hreflang="en"]')
    expect(back.first, 'the French page has no hreflang="en" link').to_be_attached()
    assert english in hrefs(back), f"the French page does not link back to {english}"
    follow(page, back.first)
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
