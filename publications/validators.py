"""Identifier validators. Values are stored in their compact form (digits only, plus a final X
where the checksum needs one) and shown formatted, so a pasted "978-2-36567-…" and a typed
"9782365…" are the same ISBN. The checksum rules come from python-stdnum."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import isbn, issn
from stdnum.exceptions import ValidationError as StdnumError

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")


def validate_isbn(value):
    try:
        isbn.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid ISBN-10 or ISBN-13 (%(reason)s)."),
            params={"value": value, "reason": exc.message},
            code="invalid_isbn",
        ) from exc


def validate_issn(value):
    try:
        issn.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid ISSN (%(reason)s)."),
            params={"value": value, "reason": exc.message},
            code="invalid_issn",
        ) from exc


def validate_doi(value):
    if not DOI_PATTERN.match(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a DOI. A DOI looks like 10.1234/abc-567 (without https://doi.org/)."
            ),
            params={"value": value},
            code="invalid_doi",
        )


# What editors paste around an ISBN: "ISBN 978-…", "ISBN-13: 978 …", non-breaking spaces, dashes.
ISBN_PREFIX = re.compile(r"^\s*ISBN(?:[-\s]?1[03])?\s*:?\s*", re.IGNORECASE)
ISBN_SEPARATORS = str.maketrans(
    {
        "\u00a0": " ",
        "\u202f": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        ".": " ",
    }
)


def strip_isbn_prefix(value):
    """``value`` without an "ISBN" / "ISBN-13:" prefix, with typographic dashes and spaces made
    plain (the form an editor pastes from a catalogue or a colophon)."""
    return ISBN_PREFIX.sub("", (value or "").translate(ISBN_SEPARATORS)).strip()


def compact_isbn(value):
    """The stored form: digits (and a final X), whatever prefix, spaces and hyphens were typed."""
    return isbn.compact(strip_isbn_prefix(value)) if value else ""


def compact_issn(value):
    return issn.compact(value) if value else ""


def format_isbn(value):
    """Hyphenated display form, e.g. 978-2-36567-123-4; falls back to the compact form."""
    return isbn.format(value) if value else ""


def format_issn(value):
    return issn.format(value) if value else ""


def normalise_doi(value):
    value = (value or "").strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            return value[len(prefix) :]
    return value
