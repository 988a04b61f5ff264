""" "Cite this analysis": one CSL-JSON record built from the page (``csl_item``), and every other
format made from it: Chicago and APA references (HTML), BibTeX, RIS, CSL-JSON.

Written by hand: citeproc-py 0.11.1 bundles only the Harvard style (not Chicago nor APA), and
these formats are small and fully specified; BibTeX values are escaped for LaTeX here. The test
suite reads the files back with bibtexparser 2 and rispy.
"""

import json
import re

from django.conf import settings
from django.utils.html import format_html

# --- The one source of truth -----------------------------------------------------------------


def split_name(name):
    """{"family", "given"} for "Jane Q. Doe"; {"literal"} for a one-word name or an organisation
    written with a comma already ("Doe, Jane" is read as family, given)."""
    name = " ".join((name or "").split())
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given}
    parts = name.rsplit(" ", 1)
    if len(parts) == 1:
        return {"literal": name}
    return {"family": parts[1], "given": parts[0]}


def csl_item(page, author_names, url, pdf_url=None, identifiers=None, names=None):
    """The CSL-JSON record of an analysis. ``author_names``: display names, in order;
    ``identifiers``: the ISBN and DOI that are the page's own ({"isbn", "doi"}: a translation
    does not repeat its source's, publications.selectors.edition_identifiers), by default its
    fields; ``names``: the names in the page's language of its type ("genre"), series
    ("collection-title") and publisher, by default those of the records."""
    if identifiers is None:
        identifiers = {"isbn": page.isbn, "doi": page.doi}
    names = names or {}
    date = page.publication_date
    series = page.series if page.series_id else None
    item = {
        "id": f"analysis-{page.pk}",
        "type": "report",
        "title": page.title,
        "author": [split_name(name) for name in author_names if name],
        "issued": {"date-parts": [[date.year, date.month, date.day]]},
        "publisher": names.get("publisher") or settings.WAGTAIL_SITE_NAME,
        "language": page.locale.language_code if page.locale_id else settings.LANGUAGE_CODE,
        "URL": url,
    }
    if page.subtitle:
        item["title"] = f"{page.title}: {page.subtitle}"
    if page.analysis_type_id and page.analysis_type:
        item["genre"] = names.get("genre") or page.analysis_type.name
    if series:
        item["collection-title"] = names.get("collection-title") or series.name
        if page.series_number:
            item["number"] = page.series_number
    if identifiers["doi"]:
        item["DOI"] = identifiers["doi"]
    if identifiers["isbn"]:
        item["ISBN"] = page.isbn_display
    issn = page.issn_display
    if issn:
        item["ISSN"] = issn
    if pdf_url:
        item["pdf_url"] = pdf_url  # not CSL; dropped in csl_json()
    return item


def _date(item):
    return item["issued"]["date-parts"][0]


def _link(item):
    return f"https://doi.org/{item['DOI']}" if item.get("DOI") else item["URL"]


# --- Chicago (17th ed., bibliography) and APA (7th ed., reference list) ------------------------


def _full(name):
    if "literal" in name:
        return name["literal"]
    return f"{name['given']} {name['family']}"


def _inverted(name):
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}"


# "Doe, Jane": how Dublin Core (OAI-PMH, the page's DC.creator) names a person.
family_first = _inverted


def _initials(given):
    parts = re.split(r"([ -])", given)
    return "".join(
        f"{part[0]}." if part.strip(" -") else ("-" if part == "-" else " ") for part in parts
    ).replace(". -", ".-")


def _apa_name(name):
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {_initials(name['given'])}"


def _sentence(text):
    return text if text.endswith((".", "?", "!")) else text + "."


def chicago(item):
    """Chicago bibliography entry, as safe HTML (title in italics)."""
    authors = item["author"]
    names = ""
    if authors:
        if len(authors) == 1:
            names = _inverted(authors[0])
        elif len(authors) <= 10:
            names = (
                _inverted(authors[0])
                + "".join(f", {_full(a)}" for a in authors[1:-1])
                + f", and {_full(authors[-1])}"
            )
        else:
            names = _inverted(authors[0]) + ", et al"
        names = _sentence(names) + " "
    series = ""
    if item.get("collection-title"):
        series = item["collection-title"]
        if item.get("number"):
            series += f" {item['number']}"
        series = f"{series}. "
    year = _date(item)[0]
    return format_html(
        "{}<i>{}</i>. {}{}, {}. {}.",
        names,
        item["title"],
        series,
        item["publisher"],
        year,
        _link(item),
    )


def apa(item):
    """APA reference, as safe HTML (title in italics)."""
    authors = [_apa_name(a) for a in item["author"]]
    if len(authors) > 20:
        authors = authors[:19] + ["…", authors[-1]]
    if len(authors) == 1:
        names = authors[0]
    elif authors:
        names = ", ".join(authors[:-1]) + ", & " + authors[-1]
    else:
        names = ""
    year, month, day = _date(item)
    series = ""
    if item.get("collection-title"):
        series = item["collection-title"]
        if item.get("number"):
            series += f" No. {item['number']}"
        series = f" ({series})"
    names_part = f"{_sentence(names)} " if names else ""
    date_part = f"({year})."
    if not names:
        return format_html(
            "<i>{}</i>{}. {} {}. {}",
            item["title"],
            series,
            date_part,
            item["publisher"],
            _link(item),
        )
    return format_html(
        "{}{} <i>{}</i>{}. {}. {}",
        names_part,
        date_part,
        item["title"],
        series,
        item["publisher"],
        _link(item),
    )


# --- Files -----------------------------------------------------------------------------------

_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text):
    return "".join(_BIBTEX_ESCAPES.get(char, char) for char in " ".join(str(text).split()))


def bibtex_key(item):
    first = item["author"][0] if item["author"] else {"literal": item["publisher"]}
    name = first.get("family") or first.get("literal") or "analysis"
    word = re.sub(r"[^A-Za-z0-9]", "", name) or "analysis"
    return f"{word.lower()}{_date(item)[0]}-{item['id'].rsplit('-', 1)[-1]}"


MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def bibtex(item):
    year, month, _day = _date(item)
    authors = " and ".join(
        "{" + bibtex_escape(a["literal"]) + "}"
        if "literal" in a
        else f"{bibtex_escape(a['family'])}, {bibtex_escape(a['given'])}"
        for a in item["author"]
    )
    fields = [
        ("author", authors),
        ("title", "{" + bibtex_escape(item["title"]) + "}"),
        ("institution", bibtex_escape(item["publisher"])),
        ("year", str(year)),
        ("month", MONTHS[month - 1]),
        ("type", bibtex_escape(item.get("genre", ""))),
        ("series", bibtex_escape(item.get("collection-title", ""))),
        ("number", bibtex_escape(item.get("number", ""))),
        ("doi", bibtex_escape(item.get("DOI", ""))),
        ("isbn", bibtex_escape(item.get("ISBN", ""))),
        ("issn", bibtex_escape(item.get("ISSN", ""))),
        ("language", bibtex_escape(item["language"])),
        ("url", item["URL"].replace("}", "%7D").replace("{", "%7B")),
    ]
    lines = [f"@techreport{{{bibtex_key(item)},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields if value and name != "month"]
    lines.append(f"  month = {MONTHS[month - 1]}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def ris(item):
    year, month, day = _date(item)

    def line(tag, value):
        value = " ".join(str(value).split())
        return f"{tag}  - {value}" if value else None

    rows = [line("TY", "RPRT")]
    rows += [line("AU", _inverted(a)) for a in item["author"]]
    rows += [
        line("TI", item["title"]),
        line("T2", item.get("collection-title", "")),
        line("M1", item.get("number", "")),
        line("PY", year),
        line("DA", f"{year:04d}/{month:02d}/{day:02d}"),
        line("PB", item["publisher"]),
        line("SN", item.get("ISBN") or item.get("ISSN", "")),
        line("DO", item.get("DOI", "")),
        line("LA", item["language"]),
        line("UR", item["URL"]),
        line("L1", item.get("pdf_url", "")),
        line("M3", item.get("genre", "")),
        "ER  - ",
    ]
    return "\r\n".join(row for row in rows if row) + "\r\n"


def csl_json(item):
    record = {key: value for key, value in item.items() if key != "pdf_url"}
    return json.dumps([record], ensure_ascii=False, indent=2) + "\n"


FORMATS = {
    # route suffix: (renderer, content type, file extension)
    "bib": (bibtex, "application/x-bibtex; charset=utf-8", "bib"),
    "ris": (ris, "application/x-research-info-systems; charset=utf-8", "ris"),
    "json": (csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


def styles(item):
    return [("Chicago", chicago(item)), ("APA", apa(item))]
