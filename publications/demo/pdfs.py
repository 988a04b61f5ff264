"""A tiny writer of real PDF files for the demo content: PDF 1.4, the standard Helvetica fonts
(no embedding needed), A4 pages with wrapped text, a correct cross-reference table and trailer.

The text is extractable (pypdf's ``page.extract_text()`` reads it back). Only Latin-1 characters
are written: typographic quotes, dashes and other characters are transliterated first.

    pdf_bytes = render_pdf(
        [("title", "A title"), ("h", "Introduction"), ("p", "Some text..."), ("break",)],
        title="A title", author="A. Author", running_head="Institute for International Studies",
    )
"""

import unicodedata

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4, in points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 72, 78, 80

# Advance widths (1/1000 em) of the printable ASCII characters 32..126, from Adobe's AFM files.
_HELVETICA = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 "
    "556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 "
    "722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 "
    "556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 "
    "260 334 584"
)
_HELVETICA_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 "
    "556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 "
    "722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 "
    "556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 389 "
    "280 389 584"
)
WIDTHS = {
    "F1": dict(zip(map(chr, range(32, 127)), map(int, _HELVETICA.split()), strict=True)),
    "F2": dict(zip(map(chr, range(32, 127)), map(int, _HELVETICA_BOLD.split()), strict=True)),
}

# Block styles: font resource, size, leading, space before, space after.
STYLES = {
    "kicker": ("F2", 9, 12, 0, 6),
    "title": ("F2", 21, 26, 4, 10),
    "subtitle": ("F1", 13, 17, 0, 10),
    "meta": ("F1", 10, 14, 0, 2),
    "h": ("F2", 13, 17, 14, 6),
    "p": ("F1", 10.5, 15, 0, 8),
    "small": ("F1", 8.5, 12, 0, 4),
}

_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": " - ", "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    "\u0153": "oe", "\u0152": "OE", "\u2022": "-", "\u20ac": "EUR", "\u2122": "(TM)",
}  # fmt: skip


def to_latin1(text):
    """The text with every character outside Latin-1 replaced or transliterated."""
    out = []
    for char in text:
        char = _REPLACEMENTS.get(char, char)
        if all(ord(c) < 256 for c in char):
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


def _char_width(char, font):
    table = WIDTHS[font]
    if char in table:
        return table[char]
    base = unicodedata.normalize("NFKD", char)[:1]  # é is as wide as e
    return table.get(base, 556)


def text_width(text, font, size):
    return sum(_char_width(c, font) for c in text) * size / 1000


def wrap(text, font, size, width):
    """Greedy line breaking on spaces; a word longer than the line is left to overflow."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _escape(text):
    return (
        to_latin1(text)
        .replace("\\", "\\\\")
        .replace("(", "\\(")
        .replace(")", "\\)")
        .encode("latin-1")
    )


def layout(blocks):
    """Place the blocks on pages. Returns a list of pages, each a list of (font, size, x, y, text).
    Blocks: (style, text) for a style of STYLES, or ("break",) to start a new page."""
    width = PAGE_WIDTH - 2 * MARGIN_X
    pages, current = [], []
    y = PAGE_HEIGHT - MARGIN_TOP
    for block in blocks:
        if block[0] == "break":
            if current:
                pages.append(current)
                current, y = [], PAGE_HEIGHT - MARGIN_TOP
            continue
        style, text = block
        font, size, leading, before, after = STYLES[style]
        lines = wrap(to_latin1(text), font, size, width)
        if current:
            y -= before
        # Keep a heading with at least two lines of what follows it.
        needed = leading * (len(lines) + (3 if style == "h" else 0))
        if style in ("h", "title") and y - needed < MARGIN_BOTTOM and current:
            pages.append(current)
            current, y = [], PAGE_HEIGHT - MARGIN_TOP
        for line in lines:
            if y - leading < MARGIN_BOTTOM and current:
                pages.append(current)
                current, y = [], PAGE_HEIGHT - MARGIN_TOP
            y -= leading
            current.append((font, size, MARGIN_X, y, line))
        y -= after
    if current or not pages:
        pages.append(current)
    return pages


def _page_stream(items, running_head, number, total):
    parts = []
    for font, size, x, y, text in items:
        parts.append(
            b"BT /%s %g Tf %g %g Td (%s) Tj ET" % (font.encode(), size, x, y, _escape(text))
        )
    if running_head:
        parts.append(
            b"BT /F1 8 Tf %d %d Td (%s) Tj ET" % (MARGIN_X, PAGE_HEIGHT - 44, _escape(running_head))
        )
    folio = f"{number} / {total}"
    parts.append(
        b"BT /F1 8 Tf %g 40 Td (%s) Tj ET"
        % (PAGE_WIDTH - MARGIN_X - text_width(folio, "F1", 8), _escape(folio))
    )
    # A thin rule under the running head.
    parts.append(
        b"0.6 w 0.55 G %d %d m %d %d l S"
        % (MARGIN_X, PAGE_HEIGHT - 50, PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 50)
    )
    return b"\n".join(parts)


def render_pdf(blocks, *, title="", author="", subject="", running_head=""):
    """The bytes of a PDF showing the blocks (see ``layout``)."""
    pages = layout(blocks)
    objects = {}  # number -> body bytes
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[3] = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    objects[4] = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    info = b"<< /Title (%s) /Author (%s) /Subject (%s) /Creator (Demo content loader) >>" % (
        _escape(title),
        _escape(author),
        _escape(subject),
    )
    objects[5] = info
    kids = []
    for index, items in enumerate(pages):
        page_number, content_number = 6 + 2 * index, 7 + 2 * index
        stream = _page_stream(items, running_head, index + 1, len(pages))
        objects[content_number] = (
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        )
        objects[page_number] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, content_number)
        )
        kids.append(b"%d 0 R" % page_number)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        xref_at,
    )
    return bytes(out)
