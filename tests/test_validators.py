import pytest
from django.core.exceptions import ValidationError

from publications.validators import (
    format_isbn,
    format_issn,
    normalise_doi,
    validate_doi,
    validate_isbn,
    validate_issn,
)
from tests.factories import AnalysisPageFactory, SeriesFactory


@pytest.mark.parametrize(
    "value", ["978-0-306-40615-7", "9780306406157", "0-306-40615-2", "030640615X".replace("X", "2")]
)
def test_valid_isbns_pass(value):
    validate_isbn(value)


@pytest.mark.parametrize(
    "value", ["978-0-306-40615-8", "12345", "97803064061571", "isbn", "0-306-40615-3"]
)
def test_malformed_or_wrong_checksum_isbns_are_refused(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_isbn(value)
    assert "not a valid ISBN" in excinfo.value.messages[0]


def test_issn_checksum():
    validate_issn("0378-5955")
    validate_issn("2111-4447")
    with pytest.raises(ValidationError):
        validate_issn("0378-5954")


def test_display_forms_are_hyphenated():
    assert format_isbn("9780306406157") == "978-0-306-40615-7"
    assert format_issn("03785955") == "0378-5955"


@pytest.mark.parametrize(
    "raw,expected",
    [("https://doi.org/10.1234/abc", "10.1234/abc"), ("doi:10.1234/abc", "10.1234/abc")],
)
def test_doi_prefixes_are_removed(raw, expected):
    assert normalise_doi(raw) == expected
    validate_doi(expected)


def test_doi_must_look_like_one():
    with pytest.raises(ValidationError):
        validate_doi("https://example.com/paper")


def test_analysis_stores_compact_identifiers_and_shows_them_formatted(site_tree):
    series = SeriesFactory(issn="0378-5955")
    page = AnalysisPageFactory(
        parent=site_tree.analyses,
        isbn="978-0-306-40615-7",
        doi="https://doi.org/10.1234/x",
        series=series,
    )
    page.refresh_from_db()
    assert page.isbn == "9780306406157"
    assert page.isbn_display == "978-0-306-40615-7"
    assert page.doi == "10.1234/x"
    # The analysis has no ISSN of its own: its series' ISSN is shown.
    assert page.issn_display == "0378-5955"


def test_analysis_with_bad_isbn_does_not_save(site_tree):
    with pytest.raises(ValidationError) as excinfo:
        AnalysisPageFactory(parent=site_tree.analyses, isbn="978-0-306-40615-8")
    assert "isbn" in excinfo.value.message_dict
