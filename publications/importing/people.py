"""The authors of an imported row: experts of the institute, matched by a stable identity, or
outside co-authors kept by name (``AnalysisAuthor`` holds either).

An author is given as text, ``Name <identifier> (affiliation)``, where the identifier and the
affiliation are optional and the identifier is an expert's page id (``expert:42``), an ORCID
(``0000-0002-1825-0097``, or its ``https://orcid.org/`` address: an expert has it among their
links) or an e-mail address (the expert's e-mail); or, in JSON, as an object with the keys
``name``, ``expert_id``, ``orcid``, ``email`` and ``affiliation``.

Matching, in this order: the expert id; the ORCID; the e-mail; the exact name (whatever the case
and the spaces) of one expert. An expert id that names no expert, and a name that two experts
share (with no identifier to tell them apart), refuse the row. Anyone else is an outside
co-author, by name. An expert's page exists in each language: the version in the analysis'
language is chosen, else the one in the default language.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from wagtail.models import Locale

from research_centers.models import ExpertLink, ExpertPage

ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])", re.IGNORECASE)
EXPERT_ID = re.compile(r"^\s*expert\s*:\s*(\d+)\s*$", re.IGNORECASE)
# "Name <identifier> (affiliation)", both parts optional.
AUTHOR_TEXT = re.compile(
    r"^\s*(?P<name>[^<>()]*?)\s*(?:<(?P<identifier>[^<>]*)>)?\s*(?:\((?P<affiliation>[^()]*)\))?\s*$"
)


class AuthorProblem(ValueError):
    """What is wrong with an author of the row, for the report."""


@dataclass(frozen=True)
class AuthorEntry:
    name: str = ""
    expert_id: int | None = None
    orcid: str = ""
    email: str = ""
    affiliation: str = ""


@dataclass(frozen=True)
class Author:
    """An author as the analysis stores it: an expert's page id, or a name."""

    expert_id: int | None
    name: str
    affiliation: str


def compact_orcid(text):
    match = ORCID.search(text or "")
    return "-".join(match.groups()).upper() if match else ""


def parse_author(value):
    """An AuthorEntry from the text or the JSON object of one author."""
    if isinstance(value, dict):
        return _entry_from_object(value)
    text = " ".join(str(value).split())
    match = AUTHOR_TEXT.match(text)
    if match is None:  # parentheses or brackets inside the name: all of it is the name
        return AuthorEntry(name=text)
    entry = AuthorEntry(
        name=match["name"].strip(), affiliation=(match["affiliation"] or "").strip()
    )
    identifier = (match["identifier"] or "").strip()
    return _with_identifier(entry, identifier) if identifier else entry


def _with_identifier(entry, identifier):
    expert = EXPERT_ID.match(identifier)
    if expert:
        return AuthorEntry(entry.name, int(expert[1]), affiliation=entry.affiliation)
    if "@" in identifier:
        return AuthorEntry(entry.name, email=identifier, affiliation=entry.affiliation)
    orcid = compact_orcid(identifier)
    if orcid:
        return AuthorEntry(entry.name, orcid=orcid, affiliation=entry.affiliation)
    raise AuthorProblem(
        _("“%(identifier)s” is neither an expert id (expert:42), an ORCID nor an e-mail address.")
        % {"identifier": identifier}
    )


def _entry_from_object(value):
    unknown = sorted(set(value) - {"name", "expert_id", "orcid", "email", "affiliation"})
    if unknown:
        raise AuthorProblem(
            _("An author has keys the import does not know: %(keys)s.")
            % {"keys": ", ".join(unknown)}
        )
    expert_id = value.get("expert_id")
    if expert_id not in (None, ""):
        try:
            expert_id = int(expert_id)
        except (TypeError, ValueError):
            raise AuthorProblem(
                _("“%(value)s” is not an expert id (a page id, a number).") % {"value": expert_id}
            ) from None
    else:
        expert_id = None
    orcid = str(value.get("orcid") or "").strip()
    if orcid and not compact_orcid(orcid):
        raise AuthorProblem(_("“%(value)s” is not an ORCID.") % {"value": orcid})
    return AuthorEntry(
        name=" ".join(str(value.get("name") or "").split()),
        expert_id=expert_id,
        orcid=compact_orcid(orcid),
        email=str(value.get("email") or "").strip(),
        affiliation=" ".join(str(value.get("affiliation") or "").split()),
    )


class Experts:
    """Every expert (all language versions), read once per import: three queries."""

    def __init__(self):
        self.default_locale_id = Locale.get_default().pk
        self.pages = {}
        self.by_key = defaultdict(list)
        by_name, by_email, by_orcid = defaultdict(set), defaultdict(set), defaultdict(set)
        for expert in ExpertPage.objects.only("pk", "title", "email", "translation_key", "locale"):
            self.pages[expert.pk] = expert
            self.by_key[expert.translation_key].append(expert)
            by_name[" ".join(expert.title.split()).casefold()].add(expert.translation_key)
            if expert.email:
                by_email[expert.email.strip().casefold()].add(expert.translation_key)
        for page_id, url in ExpertLink.objects.values_list("page_id", "url"):
            orcid = compact_orcid(url) if "orcid" in url.casefold() else ""
            if orcid and page_id in self.pages:
                by_orcid[orcid].add(self.pages[page_id].translation_key)
        self.by_name, self.by_email, self.by_orcid = by_name, by_email, by_orcid

    def match(self, entry, locale_id):
        """The Author ``entry`` is: an expert (in the language of ``locale_id`` if they have a
        page in it) or an outside co-author. Raises AuthorProblem."""
        if entry.expert_id is not None:
            expert = self.pages.get(entry.expert_id)
            if expert is None:
                raise AuthorProblem(_("No expert has the id %(id)s.") % {"id": entry.expert_id})
            return self._author(expert.translation_key, locale_id, entry)
        for keys in (
            self.by_orcid.get(entry.orcid) if entry.orcid else None,
            self.by_email.get(entry.email.casefold()) if entry.email else None,
        ):
            if keys and len(keys) == 1:
                return self._author(next(iter(keys)), locale_id, entry)
        if not entry.name:
            raise AuthorProblem(
                _(
                    "No expert has the identifier of an author given without a name, who "
                    "cannot be listed as an outside co-author."
                )
            )
        keys = self.by_name.get(entry.name.casefold(), set())
        if len(keys) > 1:
            ids = sorted(self._version(key, self.default_locale_id).pk for key in keys)
            raise AuthorProblem(
                _(
                    "Several experts are named “%(name)s” (ids %(ids)s): give the expert id "
                    "(expert:%(first)s), ORCID or e-mail of the one meant."
                )
                % {"name": entry.name, "ids": ", ".join(map(str, ids)), "first": ids[0]}
            )
        if keys:
            return self._author(next(iter(keys)), locale_id, entry)
        if entry.email:
            try:
                validate_email(entry.email)
            except ValidationError:
                raise AuthorProblem(
                    _("“%(value)s” is not an e-mail address.") % {"value": entry.email}
                ) from None
        return Author(expert_id=None, name=entry.name, affiliation=entry.affiliation)

    def _version(self, translation_key, locale_id):
        versions = self.by_key[translation_key]
        for wanted in (locale_id, self.default_locale_id):
            for expert in versions:
                if expert.locale_id == wanted:
                    return expert
        return min(versions, key=lambda expert: expert.pk)

    def _author(self, translation_key, locale_id, entry):
        expert = self._version(translation_key, locale_id)
        return Author(expert_id=expert.pk, name="", affiliation=entry.affiliation)
