"""Scholarly and social metadata of an analysis page, built from what the page's context has
already loaded (no query of its own, except the cover's rendition, which the page shows anyway):

- Google Scholar's ``citation_*`` meta tags (``citation_meta``), and Dublin Core's ``DC.*``
  (``dublin_core_meta``), which reference managers read (Zotero reads both);
- a schema.org ``Report`` as JSON-LD (``json_ld``);
- the CSL-JSON record behind "Cite this analysis" and its formatted references (``citation``).
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from publications import citation, selectors, site_origin
from publications.models import AnalysisPage
from publications.page_context import provides

COVER_FILTER = "width-800"


def _root_url(page, request):
    """The page's site root URL ("https://example.org"), from Wagtail's cached site root paths:
    the origin of the page's own URL, which its PDF, cover and home page share
    (publications.site_origin)."""
    parts = page.get_url_parts(request) if page.pk else None
    return parts[1] if parts else site_origin.site_root_url(request)


# --- schema.org, each property on a type of its domain ------------------------------------------


def _series(item):
    """The series the report is part of: ``issn`` belongs to a CreativeWorkSeries, not to a
    Report."""
    series = {"@type": "CreativeWorkSeries"}
    if item.get("collection-title"):
        series["name"] = item["collection-title"]
    if item.get("ISSN"):
        series["issn"] = item["ISSN"]
    return series


def _identifiers(item):
    """The page's own ISBN and DOI as PropertyValues (``isbn`` belongs to a Book, and a Report
    has no ``doi``); a translation does not repeat its source's (selectors.edition_identifiers)."""
    identifiers = []
    if item.get("ISBN"):
        identifiers.append({"@type": "PropertyValue", "propertyID": "ISBN", "value": item["ISBN"]})
    if item.get("DOI"):
        identifiers.append(
            {
                "@type": "PropertyValue",
                "propertyID": "DOI",
                "value": item["DOI"],
                "url": f"https://doi.org/{item['DOI']}",
            }
        )
    return identifiers


def _pdf_media(pdf, pdf_url, language):
    """The PDF as the report's ``encoding``: a MediaObject with its format and its size, in bytes
    and saying so (schema.org's contentSize is text: "12426 B")."""
    media = {
        "@type": "MediaObject",
        "contentUrl": pdf_url,
        "encodingFormat": "application/pdf",
        "inLanguage": language,
    }
    if pdf.file_size:
        media["contentSize"] = f"{pdf.file_size} B"
    return media


@provides(AnalysisPage, "citation")
def analysis_csl_item(page, request, author_names=None):
    """The CSL-JSON record of ``page`` (the citation files); loads the authors (named as on the
    page: publications.selectors.author_rows) when ``author_names`` is not given."""
    if author_names is None:
        links = page.authors.select_related("expert__locale").order_by("sort_order")
        rows = selectors.author_rows({page.pk: list(links)}, page.locale_id, request)[page.pk]
        author_names = [row["name"] for row in rows]
    pdf = page.pdf if page.pdf_id else None
    if pdf is not None and selectors.pdf_language(page, request) != page.locale.language_code:
        pdf = None  # another language version's full text, not this one's
    root_url = _root_url(page, request)
    return citation.csl_item(
        page,
        author_names,
        url=page.get_full_url(request),
        pdf_url=site_origin.absolute_url(request, pdf.url, root_url) if pdf else None,
        identifiers=selectors.edition_identifiers(page, request),
        names=selectors.citation_names(page, request),
    )


def dublin_core_meta(page, item):
    """Dublin Core as HTML meta tags (``DC.*``, with ``<link rel="schema.DC">``), for the
    reference managers that read it (Zotero's embedded metadata translator reads both these and
    the ``citation_*`` tags): each author "Family, Given", the date, the publisher, the language,
    and the page's URL, its own ISBN and DOI as identifiers."""
    meta = [("DC.title", page.title)]
    meta += [("DC.creator", citation.family_first(author)) for author in item["author"]]
    meta += [
        ("DC.date", page.publication_date.isoformat()),
        ("DC.publisher", item["publisher"]),
        ("DC.language", item["language"]),
        ("DC.type", "Text"),
        ("DC.identifier", item["URL"]),
    ]
    if item.get("ISBN"):
        meta.append(("DC.identifier", f"urn:isbn:{page.isbn}"))
    if item.get("DOI"):
        meta.append(("DC.identifier", f"https://doi.org/{item['DOI']}"))
    if item.get("pdf_url"):
        meta.append(("DC.format", "application/pdf"))
    return meta


def cite_urls(page, request):
    """{"bib": url, "ris": url, "json": url} of the citation files (relative URLs, no query)."""
    base = page.get_url(request) or ""
    return {
        fmt: f"{base}{page.reverse_subpage('cite_route', args=(fmt,))}" for fmt in citation.FORMATS
    }


@provides(AnalysisPage, "context")
def analysis_page_context(page, request, **kwargs):
    """The analysis page's context: what it shows (publications.selectors), and the metadata
    made from it."""
    context = selectors.analysis_page_context(page, request)
    context.update(analysis_metadata(page, request, context))
    return context


def analysis_metadata(page, request, context):
    """Context entries for the analysis page's <head> and its "Cite this analysis" block."""
    author_rows = context["author_rows"]
    names = [row["name"] for row in author_rows]
    url = page.get_full_url(request)
    root_url = _root_url(page, request)
    pdf = page.pdf if page.pdf_id else None
    pdf_url = site_origin.absolute_url(request, pdf.url, root_url) if pdf else ""
    cover = page.cover_image if page.cover_image_id else None
    if cover is not None and page.cover_is_decorative:
        cover.decorative = True  # Wagtail's Rendition.alt is then empty
    rendition = cover.get_rendition(COVER_FILTER) if cover else None
    cover_url = site_origin.absolute_url(request, rendition.url, root_url) if rendition else ""
    cover_alt = (
        ""
        if rendition is None or page.cover_is_decorative
        else page.cover_alt_text or rendition.alt
    )
    identifiers = context.get("identifiers") or selectors.edition_identifiers(page, request)
    pdf_language = context.get("pdf_language") or selectors.pdf_language(page, request)
    page_language = page.locale.language_code if page.locale_id else settings.LANGUAGE_CODE
    # A PDF in another language than the page's (a translation that has none of its own yet) is
    # not this edition's full text: Google Scholar and the citation files do not get it as such.
    own_pdf_url = pdf_url if pdf_language == page_language else ""
    item = citation.csl_item(
        page,
        names,
        url=url,
        pdf_url=own_pdf_url or None,
        identifiers=identifiers,
        names=selectors.citation_names(page, request),
    )
    date = page.publication_date
    language = item["language"]
    site_name = item["publisher"]

    meta = [("citation_title", page.title)]
    meta += [("citation_author", name) for name in names]
    meta += [
        ("citation_publication_date", date.strftime("%Y/%m/%d")),
        ("citation_publisher", site_name),
        ("citation_language", language),
    ]
    if own_pdf_url:
        meta.append(("citation_pdf_url", own_pdf_url))
    if item.get("ISBN"):
        meta.append(("citation_isbn", item["ISBN"]))
    if item.get("ISSN"):
        meta.append(("citation_issn", item["ISSN"]))
    if item.get("DOI"):
        meta.append(("citation_doi", item["DOI"]))
    if item.get("number"):
        meta.append(("citation_technical_report_number", item["number"]))
    if item.get("collection-title"):
        meta.append(("citation_series_title", item["collection-title"]))
    meta.append(("citation_abstract_html_url", url))

    with override(language):
        home_url = site_origin.absolute_url(request, reverse("wagtail_serve", args=("",)), root_url)
    authors = []
    for row in author_rows:
        person = {"@type": "Person", "name": row["name"]}
        if row["page"] is not None:
            person["url"] = row["page"].get_full_url(request)
        if row["affiliation"]:
            person["affiliation"] = {"@type": "Organization", "name": row["affiliation"]}
        authors.append(person)
    data = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": page.title,
        "headline": page.title[:110],
        "url": url,
        "author": authors,
        "publisher": {"@type": "Organization", "name": site_name, "url": home_url},
        "datePublished": date.isoformat(),
        "inLanguage": language,
        "description": page.search_description or page.teaser,
    }
    if page.subtitle:
        data["alternativeHeadline"] = page.subtitle
    modified = page.last_published_at or page.latest_revision_created_at or page.first_published_at
    if modified:
        data["dateModified"] = modified.isoformat()
    if item.get("number"):
        data["reportNumber"] = item["number"]
    if item.get("collection-title") or item.get("ISSN"):
        data["isPartOf"] = _series(item)
    identifiers = _identifiers(item)
    if identifiers:
        data["identifier"] = identifiers
    if item.get("genre"):
        data["genre"] = item["genre"]
    if context.get("themes"):
        data["about"] = [{"@type": "Thing", "name": theme.name} for theme in context["themes"]]
    if context.get("regions"):
        data["spatialCoverage"] = [
            {"@type": "Place", "name": region.name} for region in context["regions"]
        ]
    if cover_url:
        data["image"] = cover_url
    if pdf_url:
        data["encoding"] = _pdf_media(pdf, pdf_url, pdf_language or language)

    return {
        "citation_meta": meta,
        "dublin_core_meta": dublin_core_meta(page, item),
        "json_ld_data": data,
        "cover_rendition": rendition,
        # The alt text in the page's language where the page gives one, else the image's
        # description, in the language image descriptions are written in.
        # A decorative cover has none.
        "cover_alt": cover_alt,
        "cover_alt_language": (
            ""
            if not cover_alt
            or page.cover_alt_text
            or settings.IMAGE_DESCRIPTION_LANGUAGE == language
            else settings.IMAGE_DESCRIPTION_LANGUAGE
        ),
        "cover_url": cover_url,
        "csl_item": item,
        "citation_styles": citation.styles(item),
        "cite_urls": cite_urls(page, request) if page.pk else {},
    }
