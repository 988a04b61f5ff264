"""Crossref's deposit rules for a report-paper, checked with lxml.

No dependency ships Crossref's deposit schema (crossref5.3.1.xsd and the schemas it imports), so
these are its rules as Crossref documents them for schema 5.3.1 (the schema's own element order
and types, and the "Report / working paper" and "Metadata deposit" guides): the ``doi_batch``
root in the 5.3.1 namespace with ``version="5.3.1"``; a ``head`` of ``doi_batch_id`` (1-100
characters), a numeric ``timestamp``, a ``depositor`` (name 1-130, an e-mail address) and a
``registrant`` (1-255); a ``body`` of report-papers, each with ``report-paper_metadata`` or
``report-paper_series_metadata`` (then ``series_metadata`` first, with its title and 1-6
ISSNs) whose children come in the schema's order (``contributors``, ``titles``,
``publication_date``, ``isbn``, ``publisher``, ``doi_data``), ``language`` an ISO 639-1 code;
contributors with ``sequence`` first for the first and additional after, a ``contributor_role``,
a person's ``given_name`` (optional) before the ``surname`` (1-60 characters); a title; a
publication date of month (01-12), day (01-31) and year (4 digits) in that order, media type
print or online; ISBNs of Crossref's isbn_t pattern with a valid check digit; a publisher name;
and ``doi_data`` with a DOI of Crossref's doi_t pattern (10.NNNN/..., at most 2048 characters)
and an http(s) ``resource`` URL.
"""

import re

from lxml import etree
from stdnum import isbn, issn

NS = "http://www.crossref.org/schema/5.3.1"
METADATA_ORDER = ["contributors", "titles", "publication_date", "isbn", "publisher", "doi_data"]
DOI = re.compile(r"^10\.[0-9]{4,9}/\S+$")
ISBN_T = re.compile(r"^(97(8|9)-)?\d[\d \-]+[\dX]$")
ISSN_T = re.compile(r"^\d{4}-?\d{3}[\dX]$")
LANGUAGES = {"en", "fr", "de", "es", "it", "pt", "ar", "ru", "zh", "ja", "nl"}


def _local(element):
    return etree.QName(element).localname


def _children(element):
    return [_local(child) for child in element if isinstance(child.tag, str)]


def _one(parent, name):
    found = parent.findall(f"{{{NS}}}{name}")
    assert len(found) == 1, f"{_local(parent)} needs one {name}, has {len(found)}"
    return found[0]


def _text(parent, name, low=1, high=None):
    value = (_one(parent, name).text or "").strip()
    assert len(value) >= low and (high is None or len(value) <= high), f"{name}: {value!r}"
    return value


def check_deposit(content):
    """Parse a deposit file and check it; returns the parsed root."""
    root = etree.fromstring(content, etree.XMLParser(resolve_entities=False))
    assert root.tag == f"{{{NS}}}doi_batch", root.tag
    assert root.get("version") == "5.3.1"
    assert _children(root) == ["head", "body"]
    head = _one(root, "head")
    assert _children(head) == ["doi_batch_id", "timestamp", "depositor", "registrant"]
    _text(head, "doi_batch_id", 1, 100)
    assert _text(head, "timestamp").isdigit()
    depositor = _one(head, "depositor")
    _text(depositor, "depositor_name", 1, 130)
    assert re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", _text(depositor, "email_address", 6, 200))
    _text(head, "registrant", 1, 255)
    body = _one(root, "body")
    reports = list(body)
    assert reports and all(_local(report) == "report-paper" for report in reports)
    for report in reports:
        check_report(report)
    return root


def check_report(report):
    (metadata,) = [child for child in report if isinstance(child.tag, str)]
    kind = _local(metadata)
    assert kind in ("report-paper_metadata", "report-paper_series_metadata"), kind
    assert metadata.get("language") in LANGUAGES, metadata.get("language")
    names = _children(metadata)
    if kind == "report-paper_series_metadata":
        assert names[0] == "series_metadata"
        series = _one(metadata, "series_metadata")
        _text(_one(series, "titles"), "title")
        issns = series.findall(f"{{{NS}}}issn")
        assert 1 <= len(issns) <= 6
        for value in issns:
            assert ISSN_T.match(value.text) and issn.is_valid(value.text), value.text
        names = names[1:]
    assert names == [name for name in METADATA_ORDER if name in names], names
    assert {"titles", "publication_date", "doi_data"} <= set(names), names
    if "contributors" in names:
        contributors = [c for c in _one(metadata, "contributors") if isinstance(c.tag, str)]
        assert contributors
        for position, contributor in enumerate(contributors):
            assert contributor.get("sequence") == ("first" if position == 0 else "additional")
            assert contributor.get("contributor_role") == "author"
            if _local(contributor) == "person_name":
                assert _children(contributor) in (["given_name", "surname"], ["surname"])
                _text(contributor, "surname", 1, 60)
            else:
                assert _local(contributor) == "organization"
                assert (contributor.text or "").strip()
    _text(_one(metadata, "titles"), "title")
    date = _one(metadata, "publication_date")
    assert date.get("media_type") in ("print", "online")
    assert _children(date) == ["month", "day", "year"]
    assert 1 <= int(_text(date, "month", 2, 2)) <= 12
    assert 1 <= int(_text(date, "day", 2, 2)) <= 31
    assert re.match(r"^\d{4}$", _text(date, "year"))
    for value in metadata.findall(f"{{{NS}}}isbn"):
        assert ISBN_T.match(value.text) and isbn.is_valid(value.text), value.text
        assert len(value.text) <= 17
    _text(_one(metadata, "publisher"), "publisher_name", 1, 255)
    doi_data = _one(metadata, "doi_data")
    assert DOI.match(_text(doi_data, "doi", 6, 2048))
    assert re.match(r"^https?://\S+$", _text(doi_data, "resource", 1, 2048))
