"""Real and broken PDF files for tests, made with pypdf (no fixtures on disk)."""

import io

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def valid_pdf(pages=3):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def truncated_pdf():
    data = valid_pdf(pages=4)
    return data[: len(data) // 2]


HTML_RENAMED = b"<!DOCTYPE html><html><body><h1>Not a PDF</h1></body></html>"


def _text_pdf(pages, operators, share_stream=True):
    """A PDF whose pages draw ``operators`` (PDF content-stream bytes) in Helvetica. With
    ``share_stream``, every page points to the same (compressed) content stream, as a hostile
    file does to make each page's text cost the whole stream again."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})

    def stream():
        content = DecodedStreamObject()
        content.set_data(b"BT /F1 12 Tf 72 770 Td " + operators + b" ET")
        return writer._add_object(content.flate_encode())

    shared = stream()
    for _ in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        page[NameObject("/Resources")] = resources
        page[NameObject("/Contents")] = shared if share_stream else stream()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def text_pdf(words, pages=1):
    """A real PDF with ``words`` on each page (each page its own content stream)."""
    return _text_pdf(pages, b"(" + words.encode("latin-1") + b") Tj", share_stream=False)


def shared_stream_pdf(pages=400, lines=2_000):
    """The hostile file of the measured case: ``pages`` pages drawn by one content stream of
    ``lines`` lines of text (400 pages and 20,000 lines: 5 KB, minutes of text extraction)."""
    return _text_pdf(pages, b" ".join(b"(lorem ipsum dolor) Tj 0 -1 Td" for _ in range(lines)))


def slow_text_pdf(lines=400_000):
    """One page whose text takes pypdf far longer to read than a job may take (a few KB)."""
    return _text_pdf(1, b"(slow) Tj 0 -1 Td " * lines)


def memory_hungry_pdf(lines=6_000_000):
    """One page whose content stream inflates to tens of megabytes of operators (under pypdf's own
    limit of 75 MB), each of which pypdf turns into Python objects: gigabytes to read its text."""
    return _text_pdf(1, b"(m) Tj " * lines)
