"""Is this analysis ready to be published? The pre-publication checklist, in one place.

The editor sees it in the analysis editor (``publications.admin_panels.ChecklistPanel``);
submitting for review, publishing and approving refuse an analysis with a *required* item
missing (``publications.admin_forms.ChecklistMixin``, ``publications.models.review``, the bulk
*Publish* hook in ``publications.wagtail_hooks``); the other items are points to check, which
the editor is warned of at submission (``publications.translation_checks``).

Required: a summary, at least one author, alt text for the cover (or the cover ticked
decorative), and valid identifiers. To check: themes, regions, a centre or programme, a cover, a
PDF in the page's language (or "This analysis has no PDF" ticked), identifiers that are this
edition's own and no other analysis's, and the description search engines show.

Page models and admin forms sit below the read side: they ask for the checklist through
``publications.page_context`` (``provider(page, "readiness")``), registered here."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from publications.language_names import in_language
from publications.models import AnalysisPage
from publications.page_context import provides
from publications.selectors import edition_identifiers, pdf_language
from publications.validators import format_isbn, validate_doi, validate_isbn, validate_issn

# Search engines show about this many characters of a page's description.
META_DESCRIPTION_CHARACTERS = 160
# The relations the checklist counts, by the name of their formset in the editor.
RELATIONS = ("authors", "theme_items", "region_items", "research_units")


@dataclass(frozen=True)
class Check:
    """One item of the checklist: ``ok``, or a gap that is ``blocking`` (submission and
    publication are refused) or not (a point to check)."""

    key: str
    label: str
    ok: bool
    blocking: bool
    text: str

    @property
    def status(self):
        if self.ok:
            return "ok"
        return "blocking" if self.blocking else "warning"


@dataclass(frozen=True)
class Checklist:
    checks: tuple

    @property
    def blocking(self):
        return [check for check in self.checks if check.status == "blocking"]

    @property
    def warnings(self):
        return [check for check in self.checks if check.status == "warning"]

    def get(self, key):
        return next((check for check in self.checks if check.key == key), None)

    @property
    def missing(self):
        """The required items missing, named with what each needs."""
        return _listed(self.blocking)

    def refusal_message(self, action):
        """The message of a refused ``action`` ("submit", "publish" or "approve")."""
        refused = {
            "submit": _("Not submitted for review."),
            "publish": _("Not published."),
            "approve": _("Not approved."),
        }[action]
        return _(
            "%(refused)s This analysis still needs: %(missing)s. What you typed is kept: save "
            "it as a draft, complete it and try again."
        ) % {"refused": refused, "missing": self.missing}

    def warnings_message(self, skip=()):
        """The points to check, in one message (None when there are none). ``skip``: the keys
        of checks the editor is told of otherwise."""
        warnings = [check for check in self.warnings if check.key not in skip]
        if not warnings:
            return None
        return _("Points to check before publication: %(points)s.") % {"points": _listed(warnings)}


def _listed(checks):
    return "; ".join(f"{check.label}: {check.text.rstrip('.')}" for check in checks)


# --- The items ------------------------------------------------------------------------------


def _relation_counts(page):
    """How many authors, themes, regions and centres or programmes ``page`` has (an author
    counts with an expert chosen or a name typed). From the page's own relations: in memory for
    a page taken from a revision."""
    authors = [author for author in page.authors.all() if author.expert_id or author.name.strip()]
    return {
        "authors": len(authors),
        "theme_items": len(page.theme_items.all()),
        "region_items": len(page.region_items.all()),
        "research_units": len(page.research_units.all()),
    }


def _summary(page):
    written = " ".join(strip_tags((page.summary or "").replace("</p>", "</p> ")).split())
    if written:
        return Check("summary", _("Summary"), True, True, _("Written."))
    return Check("summary", _("Summary"), False, True, _("missing: write what the analysis finds"))


def _authors(count):
    if count:
        text = ngettext("%(count)d author.", "%(count)d authors.", count) % {"count": count}
        return Check("authors", _("Authors"), True, True, text)
    return Check(
        "authors",
        _("Authors"),
        False,
        True,
        _("none: choose an expert, or type the name of an outside co-author"),
    )


def _relation(key, label, count, missing):
    if count:
        return Check(key, label, True, False, _("%(count)d chosen.") % {"count": count})
    return Check(key, label, False, False, missing)


def _cover(page):
    label = _("Cover image")
    image = page.cover_image
    if image is None:
        return Check("cover", label, False, False, _("none: cards and shared links show no image"))
    if page.cover_is_decorative:
        return Check("cover", label, True, True, _("Ticked decorative: screen readers skip it."))
    own = (page.cover_alt_text or "").strip()
    description = (image.description or "").strip()
    if not (own or description):
        return Check(
            "cover",
            label,
            False,
            True,
            _(
                "no alt text: write what it shows in the image's “Alt text (description)”, or "
                "tick “Decorative” if it adds nothing a reader needs"
            ),
        )
    language = page.locale.language_code if page.locale_id else settings.LANGUAGE_CODE
    if not own and settings.IMAGE_DESCRIPTION_LANGUAGE != language:
        return Check(
            "cover",
            label,
            False,
            False,
            _(
                "its alt text is %(in_language)s: write it %(in_page_language)s in “Cover's alt "
                "text in this language”"
            )
            % {
                "in_language": in_language(settings.IMAGE_DESCRIPTION_LANGUAGE),
                "in_page_language": in_language(language),
            },
        )
    return Check(
        "cover", label, True, True, _("Alt text: “%(alt)s”.") % {"alt": own or description}
    )


def pdf_language_warning(page, request=None):
    """The warning for an analysis whose PDF is another language version's (*Translate* copies
    the source's PDF), else None: readers are told which language the file is in."""
    if not page.pdf_id or not page.locale_id:
        return None
    language = pdf_language(page, request)
    if language is None or language == page.locale.language_code:
        return None
    return _(
        "The PDF of this page is the one of another language version: it is %(in_language)s. "
        "Readers are told so, and it is not cited as this version's full text. Choose a PDF "
        "%(in_page_language)s if there is one."
    ) % {
        "in_language": in_language(language),
        "in_page_language": in_language(page.locale.language_code),
    }


def _pdf(page, request=None):
    label = _("PDF")
    language = page.locale.language_code if page.locale_id else settings.LANGUAGE_CODE
    if page.pdf_id:
        warning = pdf_language_warning(page, request)
        if warning:
            return Check("pdf", label, False, False, warning)
        return Check(
            "pdf",
            label,
            True,
            False,
            _("Chosen, %(in_language)s.") % {"in_language": in_language(language)},
        )
    if page.has_no_pdf:
        return Check("pdf", label, True, False, _("This analysis has no PDF (ticked)."))
    return Check(
        "pdf",
        label,
        False,
        False,
        _("none: choose the PDF %(in_language)s, or tick “This analysis has no PDF”")
        % {"in_language": in_language(language)},
    )


def _identifiers(page, request=None, blocking_only=False):
    label = _("ISBN, ISSN and DOI")
    invalid = []
    for value, validate in ((page.isbn, validate_isbn), (page.issn, validate_issn)):
        if value:
            try:
                validate(value)
            except ValidationError as error:
                invalid.extend(error.messages)
    if page.doi:
        try:
            validate_doi(page.doi)
        except ValidationError as error:
            invalid.extend(error.messages)
    if invalid:
        return Check("identifiers", label, False, True, " ".join(invalid))
    if not (page.isbn or page.issn or page.doi):
        return Check("identifiers", label, True, False, _("None (they are optional)."))
    if not blocking_only and page.pk and (page.isbn or page.doi):
        own = edition_identifiers(page, request)
        older = [field for field in ("isbn", "doi") if getattr(page, field) and not own[field]]
        if older:
            names = {"isbn": _("ISBN"), "doi": _("DOI")}
            return Check(
                "identifiers",
                label,
                False,
                False,
                _(
                    "%(identifiers)s of an older language version of this analysis: give this "
                    "edition its own, or leave it empty"
                )
                % {"identifiers": names[older[0]] if len(older) == 1 else _("ISBN and DOI")},
            )
    shown = [
        f"{name} {value}"
        for name, value in (
            (_("ISBN"), format_isbn(page.isbn)),
            (_("ISSN"), page.issn),
            (_("DOI"), page.doi),
        )
        if value
    ]
    return Check("identifiers", label, True, True, ", ".join(shown) + ".")


def analyses_sharing_identifiers(page):
    """{"isbn"/"doi": [analyses]}: the other analyses (its translations excepted: each language
    edition is edited on its own) that have the ISBN or the DOI of ``page``."""
    found = {}
    for field in ("isbn", "doi"):
        value = getattr(page, field, "")
        if not value:
            continue
        lookup = {field: value} if field == "isbn" else {"doi__iexact": value}
        others = (
            AnalysisPage.objects.filter(**lookup)
            .exclude(Q(pk=page.pk) | Q(translation_key=page.translation_key))
            .order_by("title")
            .only("pk", "title")
        )
        if others:
            found[field] = list(others)
    return found


def _shared_identifiers(page):
    label = _("Identifiers of this edition only")
    shared = analyses_sharing_identifiers(page)
    if not shared:
        return Check("shared_identifiers", label, True, False, _("No other analysis has them."))
    names = {"isbn": _("ISBN"), "doi": _("DOI")}
    text = " ".join(
        _("The %(identifier)s is also the %(identifier)s of “%(other)s”.")
        % {"identifier": names[field], "other": others[0].title}
        for field, others in shared.items()
    )
    return Check("shared_identifiers", label, False, False, text)


def _meta_description(page):
    label = _("Description for search engines")
    written = " ".join((page.search_description or "").split())
    if written:
        if len(written) > META_DESCRIPTION_CHARACTERS:
            return Check(
                "meta_description",
                label,
                False,
                False,
                _(
                    "%(count)d characters: search engines show about %(limit)d, write a "
                    "shorter one (Promote tab)"
                )
                % {"count": len(written), "limit": META_DESCRIPTION_CHARACTERS},
            )
        return Check("meta_description", label, True, False, _("Written (Promote tab)."))
    summary = " ".join(strip_tags((page.summary or "").replace("</p>", "</p> ")).split())
    if summary:
        return Check(
            "meta_description",
            label,
            True,
            False,
            _(
                "The summary's first words: “%(start)s” (write one in the Promote tab to choose "
                "them)."
            )
            % {"start": Truncator(summary).words(12)},
        )
    return Check(
        "meta_description",
        label,
        False,
        False,
        _("none: write a summary, or a search description (Promote tab)"),
    )


@provides(AnalysisPage, "readiness")
def analysis_checklist(page, *, relations=None, request=None, blocking_only=False):
    """The checklist of ``page`` (a saved analysis, one taken from a revision, or an unsaved one
    holding what the editor's form holds). ``relations``: {"authors": n, "theme_items": n,
    "region_items": n, "research_units": n} when the page's own relations are not the ones to
    count (a form's). ``blocking_only``: only the required items, in as few queries as possible
    (one for the cover image)."""
    counts = relations if relations is not None else _relation_counts(page)
    checks = [
        _summary(page),
        _authors(counts["authors"]),
        _cover(page),
        _identifiers(page, request, blocking_only),
    ]
    if not blocking_only:
        checks += [
            _relation(
                "themes",
                _("Themes"),
                counts["theme_items"],
                _("none chosen (Classification tab): readers will not find it under a theme"),
            ),
            _relation(
                "regions",
                _("Regions"),
                counts["region_items"],
                _("none chosen (Classification tab): readers will not find it under a region"),
            ),
            _relation(
                "units",
                _("Centre or programme"),
                counts["research_units"],
                _("none chosen (Classification tab): no centre or programme lists it"),
            ),
            _pdf(page, request),
            _shared_identifiers(page),
            _meta_description(page),
        ]
    order = (
        "summary",
        "authors",
        "themes",
        "regions",
        "units",
        "cover",
        "pdf",
        "identifiers",
        "shared_identifiers",
        "meta_description",
    )
    checks.sort(key=lambda check: order.index(check.key))
    return Checklist(tuple(checks))
