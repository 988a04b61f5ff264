"""Registering analyses' DOIs with Crossref: the deposit file (Crossref's metadata deposit schema
5.3.1, one ``report-paper`` per analysis), and sending it, when configured.

Which analyses: the public ones (``publications.visibility``) that have a DOI of their own. A DOI
names one language version: a translation that still holds its source's DOI
(``selectors.edition_identifiers``) does not deposit it.

What each deposit gives, from the analysis's CSL record (``citation.csl_item``, the one behind
the citation files and the page's ``citation_*`` tags): the contributors in order (a person as
given name and surname, an organisation by its name), the title and subtitle, the publication
date, the ISBN that is the page's own, the series with its ISSN, the publisher, the language,
the DOI and the page's URL (on the site's one origin) as the resource.

Sending is off unless ``CROSSREF_USERNAME`` and ``CROSSREF_PASSWORD`` are set: then
``send_deposit`` posts the file to ``CROSSREF_DEPOSIT_URL`` (Crossref's test system by default,
``https://test.crossref.org/servlet/deposit``; set the production URL when the test deposits come
back clean). ``manage.py crossref_deposit`` writes (and with ``--send`` sends) the file; in the
admin, an analysis's menu has "Crossref deposit (XML)".
"""

import datetime
from types import SimpleNamespace
from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from publications import harvest, selectors
from publications.citation import csl_item
from publications.models import AnalysisPage
from publications.visibility import public

CROSSREF_NS = "http://www.crossref.org/schema/5.3.1"
CROSSREF_SCHEMA = "https://www.crossref.org/schemas/crossref5.3.1.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
TEST_DEPOSIT_URL = "https://test.crossref.org/servlet/deposit"


class _Element:
    """An element of the deposit file, written in Crossref's namespace (the default one)."""

    def __init__(self, tag, text=None, attributes=None):
        self.tag, self.text, self.attributes, self.children = tag, text, attributes or {}, []

    def add(self, tag, text=None, **attributes):
        child = _Element(tag, text, attributes)
        self.children.append(child)
        return child

    def xml(self):
        attributes = "".join(
            f" {name}={quoteattr(harvest.xml_clean(value))}"
            for name, value in self.attributes.items()
        )
        inner = harvest.xml_text(self.text) if self.text is not None else ""
        inner += "".join(child.xml() for child in self.children)
        return f"<{self.tag}{attributes}>{inner}</{self.tag}>"


def depositable(queryset=None, request=None):
    """The public analyses (of ``queryset``) with a DOI of their own, loaded for the deposit,
    with their CSL records: [(page, item)]. A fixed number of queries."""
    queryset = AnalysisPage.objects.all() if queryset is None else queryset
    # Without a request (the command), one run is one "request" to the read side: what it looks
    # up under the content generation is read once, not once per analysis.
    scope = request or SimpleNamespace()
    pages = list(harvest.prepared(public(queryset.exclude(doi=""), scope)))
    identifiers = selectors.editions_identifiers(pages)
    by_locale = {}
    for page in pages:
        by_locale.setdefault(page.locale_id, {})[page.pk] = list(page.authors.all())
    authors = {}
    for locale_id, links in by_locale.items():
        authors.update(selectors.author_rows(links, locale_id, scope))
    found = []
    for page in pages:
        if not identifiers[page.pk]["doi"]:
            continue  # the DOI of an older language version
        names = [row["name"] for row in authors.get(page.pk, [])]
        item = csl_item(
            page,
            names,
            url=page.get_full_url(request),
            identifiers=identifiers[page.pk],
            names=selectors.citation_names(page, scope),
        )
        found.append((page, item))
    return found


def deposit_xml(analyses, batch_id=None, now=None):
    """The deposit file (bytes, UTF-8) for ``analyses``: [(page, CSL item)] from
    ``depositable``."""
    now = now or timezone.now()
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S%f")[:17]
    root = _Element(
        "doi_batch",
        attributes={
            "xmlns": CROSSREF_NS,
            "xmlns:xsi": XSI_NS,
            "version": "5.3.1",
            "xsi:schemaLocation": f"{CROSSREF_NS} {CROSSREF_SCHEMA}",
        },
    )
    head = root.add("head")
    head.add("doi_batch_id", batch_id or f"analyses-{stamp}")
    head.add("timestamp", stamp)
    depositor = head.add("depositor")
    depositor.add("depositor_name", settings.CROSSREF_DEPOSITOR_NAME[:130])
    depositor.add("email_address", settings.CROSSREF_DEPOSITOR_EMAIL)
    head.add("registrant", settings.CROSSREF_REGISTRANT[:255])
    body = root.add("body")
    for page, item in analyses:
        _report_paper(body, page, item)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + root.xml()).encode()


def _report_paper(body, page, item):
    report = body.add("report-paper")
    series_issn = item.get("ISSN") if page.series_id else ""
    if series_issn:
        # A report in a series with an ISSN: the series first, then the report's own metadata.
        metadata = report.add("report-paper_series_metadata", language=item["language"])
        series = metadata.add("series_metadata")
        series.add("titles").add("title", item["collection-title"])
        series.add("issn", series_issn, media_type="electronic")
    else:
        metadata = report.add("report-paper_metadata", language=item["language"])
    if item["author"]:
        contributors = metadata.add("contributors")
        for position, author in enumerate(item["author"]):
            attributes = {
                "sequence": "first" if position == 0 else "additional",
                "contributor_role": "author",
            }
            if "literal" in author:
                contributors.add("organization", author["literal"], **attributes)
            else:
                person = contributors.add("person_name", **attributes)
                person.add("given_name", author["given"][:60])
                person.add("surname", author["family"][:60])
    titles = metadata.add("titles")
    titles.add("title", page.title)
    if page.subtitle:
        titles.add("subtitle", page.subtitle)
    date = page.publication_date
    published = metadata.add("publication_date", media_type="online")
    published.add("month", f"{date.month:02d}")
    published.add("day", f"{date.day:02d}")
    published.add("year", str(date.year))
    if item.get("ISBN"):
        metadata.add("isbn", item["ISBN"], media_type="electronic")
    publisher = metadata.add("publisher")
    publisher.add("publisher_name", item["publisher"])
    doi_data = metadata.add("doi_data")
    doi_data.add("doi", item["DOI"])
    doi_data.add("resource", item["URL"])


# --- Sending ------------------------------------------------------------------------------------


def sending_configured():
    return bool(settings.CROSSREF_USERNAME and settings.CROSSREF_PASSWORD)


def send_deposit(xml, filename, post=None):
    """Post the deposit to Crossref (``CROSSREF_DEPOSIT_URL``) as its deposit API asks
    (operation ``doMDUpload``, the account's credentials, the file); returns Crossref's answer
    (text). ImproperlyConfigured without credentials. ``post``: ``requests.post``, by default."""
    if not sending_configured():
        raise ImproperlyConfigured(
            "Set CROSSREF_USERNAME and CROSSREF_PASSWORD to send deposits to Crossref."
        )
    if post is None:
        import requests  # only when something is sent

        post = requests.post
    response = post(
        settings.CROSSREF_DEPOSIT_URL,
        data={
            "operation": "doMDUpload",
            "login_id": settings.CROSSREF_USERNAME,
            "login_passwd": settings.CROSSREF_PASSWORD,
        },
        files={"fname": (filename, xml, "application/xml")},
        timeout=60,
    )
    response.raise_for_status()
    return response.text
