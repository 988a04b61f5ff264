"""Reading facts out of an uploaded PDF.

A PDF is accepted only if it really is one: it starts with the PDF header, ends with an
end-of-file marker (so a truncated upload is caught), is not encrypted, and says it has at least one
page. The first three are read from a few kilobytes of the file, in the upload request; the
structure (encryption, pages) is read by pypdf in a bounded child process
(``publications.bounded``), because a damaged file can make pypdf read all of it into memory or
loop for minutes. The page count and the text for search are read later, by a background task
(``publications.document_jobs``), in a bounded child process too.

The functions ``check_structure`` and ``read_facts`` are what those children run: they need no
Django and take and return JSON.
"""

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

PDF_HEADER = b"%PDF-"
# The specification allows the end-of-file marker to be followed by a little whitespace/garbage;
# readers in practice look within the last kilobyte.
EOF_WINDOW = 1024

EMPTY, NOT_PDF, TRUNCATED, ENCRYPTED, DAMAGED, NO_PAGES, TOO_HARD = (
    "empty",
    "not_pdf",
    "truncated",
    "encrypted",
    "damaged",
    "no_pages",
    "too_hard",
)
MESSAGES = {
    EMPTY: _("The file is empty."),
    NOT_PDF: _("This file is not a PDF (its content is not PDF, whatever its name says)."),
    TRUNCATED: _("This PDF is incomplete (it looks truncated). Upload it again."),
    ENCRYPTED: _("This PDF is encrypted or password-protected. Upload an unprotected copy."),
    DAMAGED: _("This PDF is damaged and cannot be read."),
    NO_PAGES: _("This PDF has no pages."),
    TOO_HARD: _(
        "This PDF could not be checked: reading it took too long or needed too much memory. "
        "Save it again from the program that made it (“Save as PDF”) and upload that copy."
    ),
}
# What pypdf raises on a file it cannot make sense of.
READ_ERRORS = (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError)


class InvalidPdf(ValueError):
    """The file is not a PDF that readers can open; the message says why, for the editor."""

    def __init__(self, code):
        super().__init__(str(MESSAGES[code]))
        self.code = code


@dataclass(frozen=True)
class PdfFacts:
    page_count: int


def check_bytes(fileobj):
    """The problem code of a file from its first and last kilobyte (None: it may be a PDF). The
    file position is restored."""
    start = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        fileobj.seek(0)
        head = fileobj.read(1024)
        if not head:
            return EMPTY
        if PDF_HEADER not in head:
            return NOT_PDF
        fileobj.seek(0, 2)
        size = fileobj.tell()
        fileobj.seek(max(0, size - EOF_WINDOW))
        if b"%%EOF" not in fileobj.read():
            return TRUNCATED
        return None
    finally:
        fileobj.seek(start)


def _structure_problem(fileobj):
    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted:
            return ENCRYPTED
        # The page tree's own count: read in constant time (the pages are counted later).
        count = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
        if int(count) < 1:
            return NO_PAGES
    except READ_ERRORS:
        return DAMAGED
    return None


def check_structure(payload):
    """Child process: the problem code of the PDF at ``payload["path"]``, or None."""
    with open(payload["path"], "rb") as handle:
        return _structure_problem(handle)


def check_structures(payload):
    """Child process: the problem code (or None) of each PDF at ``payload["paths"]``, in order:
    many files for one start of Python (an import checks thousands)."""
    return [check_structure({"path": path}) for path in payload["paths"]]


def inspect_pdf(fileobj) -> PdfFacts:
    """Check a PDF file object in this process and return its facts, or raise InvalidPdf. For
    files the project made itself (tests, demo content); uploads go through ``check_upload``."""
    start = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        problem = check_bytes(fileobj) or _structure_problem(fileobj)
        if problem:
            raise InvalidPdf(problem)
        fileobj.seek(0)
        try:
            page_count = len(PdfReader(fileobj, strict=False).pages)
        except READ_ERRORS as exc:
            raise InvalidPdf(DAMAGED) from exc
        if page_count < 1:
            raise InvalidPdf(NO_PAGES)
        return PdfFacts(page_count=page_count)
    finally:
        fileobj.seek(start)


@contextmanager
def local_path(fileobj):
    """A path on this machine holding the content of ``fileobj`` (an upload already written to a
    temporary file is used as it is; anything else is copied, in chunks, to a temporary file)."""
    temporary_path = getattr(fileobj, "temporary_file_path", None)
    if temporary_path is not None:
        yield temporary_path()
        return
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        start = fileobj.tell() if hasattr(fileobj, "tell") else 0
        fileobj.seek(0)
        shutil.copyfileobj(fileobj, copy, 1024 * 1024)
        fileobj.seek(start)
        copy.flush()
        yield copy.name


# The text kept for search: enough for any analysis' findings, bounded so that a 300-page book
# does not bloat the search index.
TEXT_LIMIT = 200_000
TEXT_PAGE_LIMIT = 400


def _page_contents_key(page):
    """What identifies the content of a page: the indirect reference(s) of its content stream(s).
    Pages that share one (a file of 400 pages drawn by one stream) have the same text, read once."""
    raw = page.raw_get("/Contents") if "/Contents" in page else None
    if raw is None:
        return None
    target = raw.get_object()
    references = list(target) if isinstance(target, list) else [raw]
    keys = []
    for reference in references:
        idnum = getattr(reference, "idnum", None)
        if idnum is None:
            return None  # a direct object: no identity to compare
        keys.append((idnum, reference.generation))
    return tuple(keys)


def _text_of(reader, limit, page_limit):
    parts, length, seen = [], 0, set()
    for number, page in enumerate(reader.pages):
        if number >= page_limit or length >= limit:
            break
        key = _page_contents_key(page)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        text = " ".join((page.extract_text() or "").split())
        if text:
            parts.append(text)
            length += len(text) + 1
    return " ".join(parts)[:limit]


def read_facts(payload):
    """Child process: the page count and the text for search (at most ``TEXT_LIMIT`` characters
    from the first ``TEXT_PAGE_LIMIT`` pages, whitespace collapsed) of the PDF at
    ``payload["path"]``. Raises when the file cannot be read."""
    with open(payload["path"], "rb") as handle:
        reader = PdfReader(handle, strict=False)
        page_count = len(reader.pages)
        text = _text_of(
            reader,
            payload.get("limit", TEXT_LIMIT),
            payload.get("page_limit", TEXT_PAGE_LIMIT),
        )
    return {"page_count": page_count, "text": text}


def read_facts_many(payload):
    """Child process: ``read_facts`` of each PDF at ``payload["paths"]``, in order; None for a
    file that cannot be read. Running out of memory stops them all (the caller reads each file
    alone then)."""
    answers = []
    for path in payload["paths"]:
        try:
            answers.append(read_facts({**payload, "path": path}))
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001 - that file cannot be read; the others can
            answers.append(None)
    return answers


def extract_text(fileobj, limit=TEXT_LIMIT, page_limit=TEXT_PAGE_LIMIT) -> str:
    """The text of a PDF for the search index, read in this process (files the project made
    itself). Never raises: a PDF whose text cannot be read gives "". The file position is
    restored."""
    start = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        fileobj.seek(0)
        return _text_of(PdfReader(fileobj, strict=False), limit, page_limit)
    except Exception:  # noqa: BLE001 - extraction is best effort
        return ""
    finally:
        fileobj.seek(start)
