"""From a record of the file to what the analysis will hold (a ``Plan``): every value read,
checked and looked up, nothing written yet. What is wrong is listed in the plan's ``problems``
(the row is then refused, with them as its reasons); unknown terms in ``unknown``.

Only the columns the file has are planned: an analysis that is updated keeps what the file does
not speak of. An empty cell is "no value": it empties an optional field, and refuses the row for
a required one.
"""

import datetime
import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.api.rich_text import APIRichText, RichTextFormatError
from wagtail.models import Locale

from publications.models.analysis import SUMMARY_FEATURES, AnalysisPage
from publications.validators import (
    compact_isbn,
    compact_issn,
    normalise_doi,
    strip_isbn_prefix,
    validate_isbn,
)

from .files import FileProblem
from .people import AuthorProblem, parse_author
from .sources import split_list
from .terms import KIND_NAMES, AmbiguousTerm

TEXT_FIELDS = {
    "title": "title",
    "subtitle": "subtitle",
    "series_number": "series_number",
    "search_description": "search_description",
}
BODY_FEATURES = ["bold", "italic", "link", "ol", "ul"]
HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.IGNORECASE | re.DOTALL)
A_TAG = re.compile(r"<[a-zA-Z][^>]*>")
BLOCK_START = re.compile(r"^\s*<(p|ul|ol|div|blockquote|h[1-6])\b", re.IGNORECASE)
TRUE, FALSE = {"1", "true", "yes", "y", "oui", "x"}, {"", "0", "false", "no", "n", "non"}
REQUIRED_FOR_NEW = ("title", "summary", "publication_date", "type")


@dataclass
class NewTerm:
    """A term the row names that does not exist yet: created when the row is imported, with
    ``--create-terms``."""

    kind: str
    text: str


@dataclass
class Plan:
    number: int
    external_id: str = ""
    fields: dict = field(default_factory=dict)  # the page's own fields
    terms: dict = field(default_factory=dict)  # "type", "series", "themes", "regions", "units"
    authors: list | None = None  # [Author], or None when the file has no authors
    author_entries: list = field(default_factory=list)
    body_blocks: list | None = None  # raw StreamField data, or None
    pdf: object = None  # a Path, "" (remove the PDF), or None (not in the file)
    cover: object = None  # idem
    cover_alt: str | None = None
    language: str = ""
    language_given: bool = False
    translation_of: str = ""
    slug: str = ""
    problems: list = field(default_factory=list)
    unknown: list = field(default_factory=list)  # [(kind, text)]
    notes: list = field(default_factory=list)
    created_terms: list = field(default_factory=list)  # [(kind, term)] created for it beforehand


class Planner:
    def __init__(self, *, terms, experts, files, create_terms):
        self.terms = terms
        self.experts = experts
        self.files = files
        self.create_terms = create_terms
        self.languages = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
        self.default_language = Locale.get_default().language_code

    def plan(self, record):
        plan = Plan(number=record.number)
        if record.problem:
            plan.problems.append(record.problem)
            return plan
        values = record.values
        plan.external_id = _text(values.get("external_id"))
        if not plan.external_id:
            plan.problems.append(
                _(
                    "It has no external id: that is what makes importing the file again update "
                    "this analysis instead of adding another."
                )
            )
        for column, name in TEXT_FIELDS.items():
            if column in values:
                plan.fields[name] = _text(values[column])
        if "publication_date" in values:
            self._date(plan, values["publication_date"])
        if "summary" in values:
            self._rich_text(plan, "summary", values["summary"], SUMMARY_FEATURES)
        if "body" in values or "key_points" in values:
            self._body(plan, values.get("body"), values.get("key_points"))
        for column in ("isbn", "issn", "doi"):
            if column in values:
                self._identifier(plan, column, _text(values[column]))
        if "cover_decorative" in values:
            self._boolean(plan, "cover_is_decorative", values["cover_decorative"])
        self._terms(plan, values)
        if "authors" in values:
            self._authors(plan, values["authors"])
        self._files(plan, values)
        self._language(plan, values)
        if "slug" in values:
            plan.slug = _text(values["slug"])
            if plan.slug and plan.slug != slugify(plan.slug, allow_unicode=True):
                plan.problems.append(
                    _("“%(slug)s” is not a slug (letters, digits, hyphens).") % {"slug": plan.slug}
                )
        return plan

    def missing_for_new(self, plan):
        """The problems of a plan that would create an analysis: its required values."""
        present = {
            "title": plan.fields.get("title"),
            "summary": plan.fields.get("summary"),
            "publication_date": plan.fields.get("publication_date"),
            "type": plan.terms.get("type"),
        }
        names = {
            "title": _("a title"),
            "summary": _("a summary"),
            "publication_date": _("a publication date"),
            "type": _("a type"),
        }
        return [
            _("A new analysis needs %(what)s.") % {"what": names[key]}
            for key in REQUIRED_FOR_NEW
            if not present[key]
        ]

    # --- Values ------------------------------------------------------------------------------

    def _date(self, plan, value):
        text = _text(value)
        if not text:
            plan.fields["publication_date"] = None
            return
        try:
            date = datetime.date.fromisoformat(text[:10])
            if len(text) > 10:
                datetime.datetime.fromisoformat(text)
        except ValueError:
            plan.problems.append(
                _("“%(value)s” is not a publication date: write it YYYY-MM-DD (2024-03-31).")
                % {"value": text}
            )
            return
        plan.fields["publication_date"] = date

    def _rich_text(self, plan, name, value, features):
        try:
            html_value, removed = rich_text(value, features)
        except RichTextFormatError as error:
            plan.problems.append(f"{_field_name(name)}: {error}")
            return
        plan.fields[name] = html_value
        if removed:
            plan.notes.append(_left_out(name, removed))

    def _body(self, plan, body, key_points):
        blocks = []
        points = [str(point).strip() for point in split_list(key_points) if str(point).strip()]
        if points:
            blocks.append({"type": "key_points", "value": {"heading": "", "points": points}})
        if body is not None and not (isinstance(body, str) and not body.strip()):
            for kind, text in body_parts(body):
                if kind == "heading":
                    blocks.append({"type": "heading", "value": text})
                    continue
                try:
                    html_value, removed = rich_text(text, BODY_FEATURES)
                except RichTextFormatError as error:
                    plan.problems.append(f"{_field_name('body')}: {error}")
                    return
                if removed:
                    plan.notes.append(_left_out("body", removed))
                if html_value:
                    blocks.append({"type": "paragraph", "value": html_value})
        stream_block = AnalysisPage._meta.get_field("body").stream_block
        try:
            stream_block.clean(stream_block.to_python(blocks))
        except ValidationError as error:
            plan.problems.append(f"{_field_name('body')}: {' '.join(_messages(error))}")
            return
        plan.body_blocks = blocks

    def _identifier(self, plan, column, text):
        if column == "isbn" and text:
            try:
                validate_isbn(strip_isbn_prefix(text))
            except ValidationError as error:
                plan.problems.append(" ".join(_messages(error)))
                return
            text = compact_isbn(text)
        elif column == "issn":
            text = compact_issn(text)
        elif column == "doi":
            text = normalise_doi(text)
        plan.fields[column] = text  # as the page stores it (AnalysisPage.clean)

    def _boolean(self, plan, name, value):
        if isinstance(value, bool):
            plan.fields[name] = value
            return
        text = _text(value).casefold()
        if text in TRUE or text in FALSE:
            plan.fields[name] = text in TRUE
        else:
            plan.problems.append(
                _("“%(value)s” is neither yes nor no (%(field)s).")
                % {"value": value, "field": _field_name(name)}
            )

    # --- Terms, authors, files, language -------------------------------------------------------

    def _terms(self, plan, values):
        for column, key, kind in (
            ("type", "type", "type"),
            ("series", "series", "series"),
        ):
            if column in values:
                names = [_text(values[column])] if _text(values[column]) else []
                found = self._lookup(plan, kind, names)
                plan.terms[key] = found[0] if found else None
        for column, kind in (("themes", "theme"), ("regions", "region"), ("centres", "unit")):
            if column in values:
                plan.terms[column] = self._lookup(
                    plan, kind, [_text(item) for item in split_list(values[column]) if _text(item)]
                )

    def _lookup(self, plan, kind, names):
        found = []
        for name in dict.fromkeys(names):
            try:
                term = self.terms.find(kind, name)
            except AmbiguousTerm as ambiguous:
                plan.problems.append(
                    _("Several %(kind)s terms answer to “%(name)s”: %(terms)s.")
                    % {
                        "kind": KIND_NAMES[kind],
                        "name": name,
                        "terms": ", ".join(f"“{term}”" for term in ambiguous.terms),
                    }
                )
                continue
            if term is None:
                new = NewTerm(kind, " ".join(name.split()))
                if new in found:
                    continue
                plan.unknown.append((kind, name))
                if self.create_terms:
                    found.append(new)
                else:
                    plan.problems.append(
                        _("Unknown %(kind)s “%(name)s”.") % {"kind": KIND_NAMES[kind], "name": name}
                    )
                continue
            if term not in found:  # "Energy; energy" names one theme, once
                found.append(term)
        return found

    def _authors(self, plan, value):
        items = value if isinstance(value, list) else split_list(value)
        entries = []
        for item in items:
            if isinstance(item, str) and not item.strip():
                continue
            try:
                entries.append(parse_author(item))
            except AuthorProblem as problem:
                plan.problems.append(str(problem))
        plan.author_entries = entries
        plan.authors = []  # the file has authors: matched when the row is imported

    def match_authors(self, plan, locale_id):
        authors = []
        for entry in plan.author_entries:
            try:
                author = self.experts.match(entry, locale_id)
            except AuthorProblem as problem:
                plan.problems.append(str(problem))
                continue
            if author.expert_id is None and (entry.orcid or entry.email):
                plan.notes.append(
                    _(
                        "No expert has the ORCID or e-mail of “%(name)s”, listed as an outside "
                        "co-author."
                    )
                    % {"name": entry.name}
                )
            authors.append(author)
        plan.authors = authors

    def _files(self, plan, values):
        for column in ("pdf", "cover"):
            if column not in values:
                continue
            text = _text(values[column])
            if not text:
                setattr(plan, column, "")
                continue
            try:
                setattr(plan, column, self.files.resolve(text))
            except FileProblem as problem:
                plan.problems.append(str(problem))
        if "cover_alt" in values:
            plan.cover_alt = _text(values["cover_alt"])

    def _language(self, plan, values):
        plan.language_given = bool(_text(values.get("language")))
        plan.language = _text(values.get("language")).casefold() or self.default_language
        if plan.language not in self.languages:
            plan.problems.append(
                _("“%(language)s” is not one of the site's languages (%(languages)s).")
                % {"language": plan.language, "languages": ", ".join(sorted(self.languages))}
            )
        plan.translation_of = _text(values.get("translation_of"))


# --- Helpers ----------------------------------------------------------------------------------


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _field_name(name):
    try:
        return str(AnalysisPage._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a name that is not a field is shown as it is
        return name


def _messages(error):
    if hasattr(error, "message_dict"):
        return [
            f"{_field_name(name)}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


def _left_out(name, removed):
    tags = ", ".join(dict.fromkeys(f"<{removal.tag}>" for removal in removed))
    return _("%(field)s: left out what the editor cannot hold (%(tags)s).") % {
        "field": _field_name(name),
        "tags": tags,
    }


def rich_text(value, features):
    """Wagtail's database HTML for ``value`` (HTML, plain text whose blank lines part
    paragraphs, or a ``{"format": ..., "content": ...}`` object), through Wagtail's own
    sanitiser for rich text input (``APIRichText``), limited to ``features``: (html, what was
    left out). Raises RichTextFormatError."""
    if isinstance(value, dict):
        source = value
    else:
        source = str(value or "").strip()
        if not source:
            return "", []
        if not A_TAG.search(source):
            source = "".join(
                f"<p>{html.escape(' '.join(part.split()), quote=False)}</p>"
                for part in re.split(r"\n\s*\n", source)
                if part.strip()
            )
        elif not BLOCK_START.match(source):
            source = f"<p>{source}</p>"
    return APIRichText.convert_input(source, features=features)


def body_parts(value):
    """The body's parts in order: ("heading", text) for each heading of the HTML, ("html",
    fragment) for what lies between (a Markdown object is one part)."""
    if isinstance(value, dict):
        return [("html", value)]
    text = str(value)
    parts, position = [], 0
    for match in HEADING.finditer(text):
        before = text[position : match.start()]
        if before.strip():
            parts.append(("html", before))
        heading = html.unescape(re.sub(r"<[^>]+>", "", match[1]))
        if heading.strip():
            parts.append(("heading", " ".join(heading.split())[:200]))
        position = match.end()
    if text[position:].strip():
        parts.append(("html", text[position:]))
    return parts
