"""Real and broken PDF files for tests, made with pypdf (no fixtures on disk)."""

import io

from pypdf import PdfWriter


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
