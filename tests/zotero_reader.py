"""A page read as Zotero's "Embedded Metadata" translator reads it (zotero/translators,
``Embedded Metadata.js``, with the Dublin Core import of ``RDF.js``), in Python, for the tests:

- meta tags whose name has a known prefix (``DC.``, ``dc:``, ``dcterms.``..., or one declared by
  ``<link rel="schema.X">``) become RDF statements, which the RDF import turns into the item:
  ``dc:title``, ``dc:creator`` (one author each; "Family, Given" when there is a comma),
  ``dc:date``, ``dc:publisher``, ``dc:language``, and ``dc:identifier`` (an ISBN, ISSN or DOI by
  its label, "ISBN ...", or found in the value as Zotero's ``cleanISBN``/``cleanDOI`` find it);
- then the HighWire (Google Scholar) tags fill or override fields: ``HIGHWIRE_MAPPINGS`` (a meta
  name *ending* with the tag counts), ``citation_author`` (each split on ";", or on "," between
  two multi-word names), ``citation_pdf_url`` (the "Full Text PDF" attachment);
- the URL is ``citation_public_url``, else ``citation_abstract_html_url`` or
  ``citation_fulltext_html_url``, else the address the page was read at.
"""

import re

from lxml import html
from stdnum import isbn as stdnum_isbn

HIGHWIRE_MAPPINGS = {
    "citation_title": "title",
    "citation_publication_date": "date",
    "citation_date": "date",
    "citation_journal_title": "publicationTitle",
    "citation_book_title": "bookTitle",
    "citation_volume": "volume",
    "citation_issue": "issue",
    "citation_series_title": "series",
    "citation_technical_report_institution": "institution",
    "citation_technical_report_number": "number",
    "citation_publisher": "publisher",
    "citation_isbn": "ISBN",
    "citation_abstract": "abstractNote",
    "citation_doi": "DOI",
    "citation_public_url": "url",
    "citation_language": "language",
}
PREFIXES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "og": "http://ogp.me/ns#",
    "article": "http://ogp.me/ns/article#",
    "prism": "http://prismstandard.org/namespaces/1.2/basic/",
}
DC = PREFIXES["dc"]
DASHES = re.compile("[\x2d\xad\u2010-\u2015\u2043\u2212]+")
ISBN_IN_TEXT = re.compile(r"(?:97[89]\s*(?:\d\s*){9}\d|(?:\d\s*){9}[\dX])")
DOI_IN_TEXT = re.compile(r"10\.[0-9]{4,}/[^\s]*[^\s.,]")


def clean_isbn(value):
    """Zotero's ZU.cleanISBN: the first valid ISBN in the text, digits only, or None."""
    text = DASHES.sub("", value.upper())
    for match in ISBN_IN_TEXT.finditer(text):
        candidate = re.sub(r"\s", "", match.group())
        if stdnum_isbn.is_valid(candidate):
            return candidate
    return None


def clean_doi(value):
    match = DOI_IN_TEXT.search(value)
    return match.group() if match else None


def clean_author(name, use_comma):
    """Zotero's ZU.cleanAuthor: {"lastName", "firstName"}."""
    name = " ".join(name.split())
    if use_comma and "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
    elif " " in name:
        first, last = name.rsplit(" ", 1)
    else:
        first, last = "", name
    return {"lastName": last, "firstName": first}


def _meta(head):
    for tag in head.iter("meta"):
        names = tag.get("name") or tag.get("property")
        value = tag.get("content")
        if names and value:
            yield names.split(), value


def read_item(page_html, location):
    """The item Zotero saves from the page at ``location``: a dict of its fields, "creators"
    and "attachments"."""
    document = html.fromstring(page_html)
    head = document.find("head")
    prefixes = dict(PREFIXES)
    for link in head.iter("link"):
        match = re.match(r"^schema\.([a-zA-Z]+)", link.get("rel") or "")
        if match:
            prefixes[match.group(1).lower()] = link.get("href").replace(
                "http://purl.org/DC/", "http://purl.org/dc/"
            )

    statements = []
    for tags, value in _meta(head):
        for tag in tags:
            delimiter = re.search(r"[.:_]", tag)
            prefix = tag[: delimiter.start()].lower() if delimiter else ""
            if delimiter and prefix in prefixes:
                rest = tag[delimiter.end() :]
                statements.append((prefixes[prefix] + rest[:1].lower() + rest[1:], value))

    def values(predicate):
        return [value for name, value in statements if name == predicate]

    item = {"creators": [], "attachments": []}
    # The Dublin Core import (RDF.js).
    for field in ("title", "date", "publisher", "language"):
        found = values(DC + field)
        if found:
            item[field] = found[0]
    item["creators"] = [clean_author(name, "," in name) for name in values(DC + "creator")]
    for identifier in values(DC + "identifier"):
        label = identifier.split(" ", 1)[0].upper() if " " in identifier else ""
        if label == "ISBN":
            item["ISBN"] = identifier[5:].upper()
        elif label == "DOI":
            item["DOI"] = identifier[4:]
        elif clean_isbn(identifier):
            item["ISBN"] = identifier
        elif clean_doi(identifier):
            item["DOI"] = identifier

    # The HighWire tags (Embedded Metadata.js, addHighwireMetadata).
    def content(name):
        return [value for tags, value in _meta(head) for tag in tags if tag.endswith(name)]

    for meta_name, field in HIGHWIRE_MAPPINGS.items():
        found = content(meta_name)
        if found and found[0].strip():
            item[field] = " ".join(", ".join(found).split())
    authors = []
    for node in content("citation_author") + content("citation_authors"):
        names = re.split(r"\s*;\s*", node)
        if len(names) == 1:
            by_comma = re.split(r"\s*,\s*", names[0])
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
                names = by_comma
        for name in names:
            name = name.strip()
            if name and re.search(r"[^\s,\-.;]", name):
                authors.append(clean_author(name, "," in name))
    if authors:
        item["creators"] = authors
    pdf = content("citation_pdf_url")
    if pdf:
        item["attachments"].append(
            {"title": "Full Text PDF", "url": pdf[0], "mimeType": "application/pdf"}
        )
    if not item.get("url"):
        found = content("citation_abstract_html_url") or content("citation_fulltext_html_url")
        item["url"] = found[0] if found else location
    return item


def read_dublin_core_only(page_html, location):
    """The item as the Dublin Core tags alone give it (the HighWire tags taken out)."""
    document = html.fromstring(page_html)
    for tag in document.iter("meta"):
        if (tag.get("name") or "").startswith("citation_"):
            tag.getparent().remove(tag)
    return read_item(html.tostring(document), location)
