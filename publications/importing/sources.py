"""Reading an import file (CSV or JSON) into records: one per analysis, its values under the
import's own column names (``COLUMNS``), whatever names and case the file uses for them.

- **CSV**: UTF-8 (a byte-order mark is fine), the first line names the columns; the separator
  (comma, semicolon or tab) is read from that line. A list (themes, regions, centres, authors,
  key points) is one cell, its items separated by semicolons.
- **JSON**: UTF-8; a list of objects, or an object whose ``analyses`` key holds that list. A list
  is a JSON list (a string is split at semicolons, as in CSV); an author may be an object
  (``publications.importing.people``); summary and body may be
  ``{"format": "db_markdown", "content": "..."}`` instead of HTML.

What cannot be read at all (another format, another encoding, broken syntax, a missing required
column) raises ``SourceError``, before anything is imported. What is wrong in one record is that
record's problem, found later.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The import's columns and the other names accepted for them, in the order of the documentation
# (docs/importing.md, which says what each becomes) and of the sample files.
COLUMNS = {
    "external_id": ("id", "identifier", "record_id"),
    "title": (),
    "subtitle": (),
    "publication_date": ("date", "published", "published_on"),
    "type": ("analysis_type", "publication_type"),
    "series": (),
    "series_number": ("number_in_series",),
    "language": ("lang", "locale"),
    "translation_of": ("translation_of_id", "original_id"),
    "summary": ("abstract",),
    "body": ("full_text", "text"),
    "key_points": ("highlights",),
    "authors": ("author", "contributors"),
    "themes": ("theme", "topics", "subjects"),
    "regions": ("region", "geography", "countries"),
    "centres": (
        "centers",
        "centre",
        "center",
        "programmes",
        "programs",
        "research_units",
        "units",
    ),
    "isbn": (),
    "issn": (),
    "doi": (),
    "pdf": ("pdf_path", "pdf_file", "file"),
    "cover": ("cover_image", "cover_path", "image"),
    "cover_alt": ("cover_alt_text", "alt_text", "alt"),
    "cover_decorative": ("decorative_cover",),
    "slug": (),
    "search_description": ("seo_description", "meta_description"),
}
REQUIRED_COLUMNS = ("external_id", "title")
LIST_SEPARATOR = ";"
# Columns a catalogue often has that are not the analysis' own: said why they are left out.
NOT_IMPORTED = {
    "page_count": gettext_lazy("read from the PDF itself"),
    "pages": gettext_lazy("read from the PDF itself"),
}
FORMATS = ("csv", "json")


class SourceError(Exception):
    """The file cannot be imported at all; the message says why, for the person importing."""


@dataclass
class Record:
    """One analysis of the file: ``number`` is its row in a CSV file as a spreadsheet shows it
    (the column names are row 1) or its position in a JSON list (from 1); ``values`` are under
    the import's column names; ``problem`` is set when the record cannot be read at all."""

    number: int
    values: dict = field(default_factory=dict)
    problem: str = ""


@dataclass
class Source:
    records: list
    columns: list  # the import's columns the file has
    ignored: dict  # the file's other columns -> why they are not imported ("" when unknown)
    directory: Path  # where the file is: relative file paths start there


def column_key(name):
    return "_".join(str(name).replace("-", " ").replace(".", " ").split()).casefold()


ALIASES = {
    column_key(alias): column for column, aliases in COLUMNS.items() for alias in (column, *aliases)
}


def format_of(path, requested=None):
    fmt = (requested or Path(path).suffix.lstrip(".")).casefold()
    if fmt not in FORMATS:
        raise SourceError(
            _(
                "“%(name)s” is not a CSV or JSON file (by its name). Give a .csv or .json file, "
                "or say which it is with --format."
            )
            % {"name": Path(path).name}
        )
    return fmt


def read_source(path, fmt=None):
    path = Path(path)
    fmt = format_of(path, fmt)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(
            _("“%(path)s” cannot be read: %(reason)s.") % {"path": path, "reason": exc.strerror}
        ) from exc
    text = _decode(data, path)
    reader = _read_csv if fmt == "csv" else _read_json
    records, names = reader(text, path)
    columns, ignored = _map_columns(names)
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise SourceError(
            _("“%(name)s” has no column %(columns)s, which the import needs.")
            % {"name": path.name, "columns": ", ".join(f"“{column}”" for column in missing)}
        )
    for record in records:
        record.values = {
            ALIASES[column_key(name)]: value
            for name, value in record.values.items()
            if column_key(name) in ALIASES
        }
    return Source(records=records, columns=columns, ignored=ignored, directory=path.parent)


def _decode(data, path):
    if b"\x00" in data[:8192]:
        raise SourceError(_("“%(name)s” is not a text file (CSV or JSON).") % {"name": path.name})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            _(
                "“%(name)s” is not UTF-8 text (byte %(byte)s at position %(position)s). Save it "
                "as UTF-8 (“CSV UTF-8” in a spreadsheet) and import it again."
            )
            % {"name": path.name, "byte": f"0x{data[exc.start]:02x}", "position": exc.start}
        ) from exc


def _map_columns(names):
    columns, ignored, seen = [], {}, {}
    for name in names:
        key = column_key(name)
        column = ALIASES.get(key)
        if column is None:
            ignored[str(name)] = NOT_IMPORTED.get(key, "")
            continue
        if column in seen:
            raise SourceError(
                _("The columns “%(first)s” and “%(second)s” both mean “%(column)s”: keep one.")
                % {"first": seen[column], "second": name, "column": column}
            )
        seen[column] = name
        columns.append(column)
    return columns, ignored


def _read_csv(text, path):
    header = next((line for line in text.splitlines() if line.strip()), "")
    if not header:
        raise SourceError(_("“%(name)s” is empty.") % {"name": path.name})
    delimiter = max(",;\t", key=header.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        names, number = [], 0
        while not any(name.strip() for name in names):
            names, number = next(reader), number + 1
        for cells in reader:
            number += 1  # a spreadsheet's row: a cell may hold several lines
            rows.append((number, cells))
    except csv.Error as exc:
        raise SourceError(
            _("“%(name)s” is not valid CSV (line %(line)s: %(reason)s).")
            % {"name": path.name, "line": reader.line_num, "reason": exc}
        ) from exc
    names = [name.strip() for name in names]
    records = []
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        record = Record(number=line, values=dict(zip(names, cells, strict=False)))
        if len(cells) > len(names):
            record.problem = _(
                "It has %(cells)s cells, more than the %(columns)s columns: a separator or a "
                "quote is probably missing."
            ) % {"cells": len(cells), "columns": len(names)}
        records.append(record)
    return records, [name for name in names if name]


def _read_json(text, path):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            _("“%(name)s” is not valid JSON (line %(line)s, column %(column)s: %(reason)s).")
            % {"name": path.name, "line": exc.lineno, "column": exc.colno, "reason": exc.msg}
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("analyses"), list):
        data = data["analyses"]
    if not isinstance(data, list):
        raise SourceError(
            _(
                "“%(name)s” must hold a list of analyses (or an object whose “analyses” is that "
                "list)."
            )
            % {"name": path.name}
        )
    records, names = [], {}
    for number, item in enumerate(data, start=1):
        record = Record(number=number)
        if isinstance(item, dict):
            record.values = item
            names.update(dict.fromkeys(item))
        else:
            record.problem = _("It is not an object with the analysis' keys.")
        records.append(record)
    return records, list(names)


def split_list(value):
    """A list value: a JSON list as it is, a text split at semicolons; empty items dropped."""
    if value is None:
        return []
    if isinstance(value, list):
        items = value
    else:
        items = str(value).split(LIST_SEPARATOR)
    return [item.strip() if isinstance(item, str) else item for item in items if item != ""]
