"""Reading facts out of an uploaded PDF, once, when it is uploaded.

A PDF is accepted only if it really is one: it starts with the PDF header, ends with an
end-of-file marker (so a truncated upload is caught), is not encrypted, and has at least one page.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

PDF_HEADER = b"%PDF-"
# The specification allows the end-of-file marker to be followed by a little whitespace/garbage;
# readers in practice look within the last kilobyte.
EOF_WINDOW = 1024


class InvalidPdf(ValueError):
    """The file is not a PDF that readers can open; the message says why, for the editor."""


@dataclass(frozen=True)
class PdfFacts:
    page_count: int


def inspect_pdf(fileobj) -> PdfFacts:
    """Return the facts of a PDF file object, or raise InvalidPdf with a reason an editor can act
    on. The file position is restored, so the caller can still save the file."""
    start = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        fileobj.seek(0)
        head = fileobj.read(1024)
        if not head:
            raise InvalidPdf(_("The file is empty."))
        if PDF_HEADER not in head:
            raise InvalidPdf(
                _("This file is not a PDF (its content is not PDF, whatever its name says).")
            )
        fileobj.seek(0, 2)
        size = fileobj.tell()
        fileobj.seek(max(0, size - EOF_WINDOW))
        if b"%%EOF" not in fileobj.read():
            raise InvalidPdf(_("This PDF is incomplete (it looks truncated). Upload it again."))
        fileobj.seek(0)
        try:
            reader = PdfReader(fileobj, strict=False)
            if reader.is_encrypted:
                raise InvalidPdf(
                    _("This PDF is encrypted or password-protected. Upload an unprotected copy.")
                )
            page_count = len(reader.pages)
        except InvalidPdf:
            raise
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            raise InvalidPdf(_("This PDF is damaged and cannot be read.")) from exc
        if page_count < 1:
            raise InvalidPdf(_("This PDF has no pages."))
        return PdfFacts(page_count=page_count)
    finally:
        fileobj.seek(start)


# The text kept for search: enough for any analysis' findings, bounded so that a 300-page book
# neither slows the upload down nor bloats the search index.
TEXT_LIMIT = 200_000
TEXT_PAGE_LIMIT = 400


def extract_text(fileobj, limit=TEXT_LIMIT, page_limit=TEXT_PAGE_LIMIT) -> str:
    """The text of a PDF for the search index: at most ``limit`` characters from its first
    ``page_limit`` pages, whitespace collapsed. Never raises: a PDF whose text cannot be read
    gives "" (it is still a valid upload). The file position is restored."""
    start = fileobj.tell() if hasattr(fileobj, "tell") else 0
    parts, length = [], 0
    try:
        fileobj.seek(0)
        reader = PdfReader(fileobj, strict=False)
        for number, page in enumerate(reader.pages):
            if number >= page_limit or length >= limit:
                break
            text = " ".join((page.extract_text() or "").split())
            if text:
                parts.append(text)
                length += len(text) + 1
    except Exception:  # noqa: BLE001 - extraction is best effort; the upload must not fail
        pass
    finally:
        fileobj.seek(start)
    return " ".join(parts)[:limit]
