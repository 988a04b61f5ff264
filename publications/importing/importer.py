"""Importing the records of a file as analyses, through Wagtail's page API, as an editor would
make them: a new analysis is added under the analyses index of its language (``add_child``),
saved as a revision and published (``save_revision().publish()``), or left as a draft; an
analysis imported before (the same external id) gets a new revision with what the file says,
published the same way, or nothing at all when the file says what it already holds.

Each row is saved on its own (a savepoint): a row that cannot be imported is refused, with its
reasons, and the others go on. Rows are committed in batches of ``BATCH``; each batch is then
indexed for search in bulk, in the background (``publications.importing.jobs``), and is one
change of the content log per analysis, however many times its pages and files were saved
(``changes_recorded_once``; a refused row's change is written all the same: harmless). A dry
run does all of it in one transaction that is rolled back (and deletes the files it stored), so
it reports exactly what the import would do.

With ``jobs`` above one (PostgreSQL), the rows are shared among as many processes, forked once
everything is read and checked: the rows that depend on each other (a translation and its
original, rows sharing a file) go to the same one, and the terms to create are created first.
The pages of a batch's new analyses are added under the index first, in a short transaction of
their own with the index locked (the tree's paths are given out one at a time); the rest, the
larger part of the work, runs side by side. A new analysis refused after its page was added has
that page deleted again.
"""

import traceback
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.models import Collection, Locale, Page
from wagtail.signal_handlers import disable_reference_index_auto_update

from publications.document_jobs import reading_deferred
from publications.freshness import changes_recorded_once
from publications.models import (
    AnalysisAuthor,
    AnalysisIndexPage,
    AnalysisPage,
    AnalysisRegion,
    AnalysisResearchUnit,
    AnalysisTheme,
)
from publications.models.analysis import indexing_deferred

from .files import FileProblem, FileStore
from .jobs import index_imported
from .people import Experts
from .processes import run_in_processes
from .rows import NewTerm, Planner, _messages
from .terms import KIND_NAMES, TermError, Terms

BATCH = 100
# A row that meets a deadlock or a serialization failure (processes side by side) is tried again
# once, from its savepoint.
ATTEMPTS = 2
TRANSIENT_STATES = {"40P01", "40001"}  # deadlock detected, serialization failure
CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"


class Refused(Exception):
    def __init__(self, *reasons):
        super().__init__(*reasons)
        self.reasons = [str(reason) for reason in reasons]


@dataclass
class RowOutcome:
    number: int
    external_id: str
    outcome: str = ""
    page_id: int | None = None
    reasons: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    unknown: list = field(default_factory=list)  # [(kind, name)]
    created_terms: list = field(default_factory=list)  # [(kind, name)]
    error: str = ""  # the trace of an unexpected failure


@dataclass
class Report:
    rows: list
    dry_run: bool
    draft: bool
    ignored_columns: dict

    def count(self, outcome):
        return sum(1 for row in self.rows if row.outcome == outcome)


class Importer:
    def __init__(
        self,
        source,
        *,
        media_root=None,
        collection=None,
        user=None,
        create_terms=False,
        draft=False,
        dry_run=False,
        jobs=1,
        progress=None,
    ):
        self.source = source
        self.user = user
        self.create_terms = create_terms
        self.draft = draft
        self.dry_run = dry_run
        self.jobs = 1 if dry_run else max(1, jobs)
        self.progress = progress or (lambda stage, advance=0, total=None: None)
        self.collection = collection or Collection.get_first_root_node()
        self.files = FileStore(Path(media_root or source.directory), self.collection, user)
        self._indexes = {}
        self._locales = {}

    def run(self):
        self.terms = Terms()
        self.experts = Experts()
        self.planner = Planner(
            terms=self.terms, experts=self.experts, files=self.files, create_terms=self.create_terms
        )
        plans = [self.planner.plan(record) for record in self.source.records]
        self._refuse_repeated_ids(plans)
        pdfs = [plan.pdf for plan in plans if isinstance(plan.pdf, Path) and not plan.problems]
        self.progress("pdfs", total=len(set(pdfs)))
        self.files.check_pdfs(
            pdfs,
            progress=lambda done: self.progress("pdfs", advance=done),
            workers=self.jobs,
        )
        self.progress("rows", total=len(plans))
        if self.jobs > 1:
            self._create_terms_first(plans)
            outcomes = run_in_processes(self, plans)
        else:
            outcomes = self._run_here(plans)
        return Report(
            rows=outcomes,
            dry_run=self.dry_run,
            draft=self.draft,
            ignored_columns=self.source.ignored,
        )

    def _run_here(self, plans):
        outcomes = []
        try:
            with transaction.atomic() if self.dry_run else nullcontext():
                for start in range(0, len(plans), BATCH):
                    outcomes += self._import_batch(plans[start : start + BATCH])
                if self.dry_run:
                    transaction.set_rollback(True)
        finally:
            if self.dry_run:
                self.files.discard()
        return outcomes

    def import_share(self, plans):
        """Import ``plans`` batch after batch, with the pages of new analyses added first (in a
        process of several: ``publications.importing.processes``)."""
        outcomes = []
        for start in range(0, len(plans), BATCH):
            outcomes += self._import_batch(plans[start : start + BATCH], reserve=True)
        return outcomes

    @staticmethod
    def _refuse_repeated_ids(plans):
        first = {}
        for plan in plans:
            if not plan.external_id:
                continue
            if plan.external_id in first:
                plan.problems.append(
                    _("Row %(row)s has the same external id, “%(id)s”: each row is one analysis.")
                    % {"row": first[plan.external_id], "id": plan.external_id}
                )
            else:
                first[plan.external_id] = plan.number

    def _import_batch(self, plans, reserve=False):
        """Import ``plans`` in one transaction, each row in a savepoint. With ``reserve``
        (several processes), the pages of the new analyses are added first, committed on their
        own."""
        outcomes, mark = [], self.files.mark()
        reserved, reserved_ids = self._reserve_batch(plans) if reserve else ({}, set())
        try:
            with transaction.atomic():
                with (
                    changes_recorded_once(),
                    indexing_deferred() as saved,
                    reading_deferred() as documents,
                ):
                    for plan in plans:
                        outcomes.append(self._import_row(plan, reserved.get(plan.number)))
                        self.progress("rows", advance=1)
                if saved or reserved_ids:
                    ids, pdfs = sorted(saved | reserved_ids), sorted(documents)
                    transaction.on_commit(partial(index_imported.enqueue, ids, pdfs))
        except BaseException:  # interrupted (Ctrl-C), or the commit failed: nothing of it stays
            self.files.discard(mark)
            raise
        self._remove_refused(reserved, outcomes)
        return outcomes

    def _import_row(self, plan, reserved=None):
        for attempt in range(1, ATTEMPTS + 1):
            outcome = RowOutcome(number=plan.number, external_id=plan.external_id)
            files_mark, terms_mark = self.files.mark(), self.terms.mark()
            retry = False
            try:
                if plan.problems:
                    raise Refused(*plan.problems)
                with transaction.atomic():
                    outcome.outcome, outcome.page_id = self._save(plan, reserved)
            except Refused as refused:
                outcome.outcome, outcome.reasons = REFUSED, refused.reasons
            except ValidationError as error:
                outcome.outcome, outcome.reasons = REFUSED, _messages(error)
            except Exception as error:  # noqa: BLE001 - one row must never stop the import
                outcome.outcome, outcome.error = REFUSED, traceback.format_exc()
                outcome.reasons = [
                    _("It could not be saved (%(error)s).")
                    % {"error": f"{type(error).__name__}: {error}"}
                ]
                retry = attempt < ATTEMPTS and _is_transient(error)
            if outcome.outcome == REFUSED:
                # The row's savepoint rolled back what it wrote: forget it here too.
                self.files.discard(files_mark)
                self.terms.forget_since(terms_mark)
                self._indexes.clear()  # their child counts may have been rolled back
            if outcome.outcome != REFUSED or not retry:
                break
        if outcome.outcome != REFUSED:
            outcome.notes = list(dict.fromkeys(plan.notes))
        outcome.unknown = plan.unknown
        created = plan.created_terms + self.terms.created[terms_mark:]
        outcome.created_terms = [(kind, str(term)) for kind, term in created]
        return outcome

    def _remove_refused(self, reserved, outcomes):
        """Delete the pages added for new analyses that were then refused (several processes),
        in a short transaction of their own with the index locked, as they were added."""
        refused = [
            (reserved[outcome.number], outcome)
            for outcome in outcomes
            if outcome.outcome == REFUSED and outcome.number in reserved
        ]
        if not refused:
            return
        with transaction.atomic():
            locales = sorted({page.locale_id for page, _outcome in refused})
            for locale_id in locales:
                list(AnalysisIndexPage.objects.filter(locale_id=locale_id).select_for_update())
            for page, outcome in refused:
                try:
                    with transaction.atomic():
                        Page.objects.get(pk=page.pk).delete()
                except Exception as error:  # noqa: BLE001 - said in the report
                    outcome.reasons.append(
                        _("Its page (%(page)s, never published) could not be deleted: %(error)s.")
                        % {"page": page.pk, "error": error}
                    )
        self._indexes.clear()

    # --- One row ---------------------------------------------------------------------------

    def _save(self, plan, reserved=None):
        """Create or update the analysis of ``plan`` (whose page ``reserved`` was added
        already, when several processes import). Returns (outcome, page id)."""
        page = reserved or AnalysisPage.objects.filter(external_id=plan.external_id).first()
        creating = reserved is not None or page is None
        if page is None and (missing := self.planner.missing_for_new(plan)):
            raise Refused(*missing)
        # An analysis imported before stays in its language unless the row names one.
        if not creating and not plan.language_given:
            locale = page.locale
        else:
            locale = self._locale(plan.language)
        if plan.authors is not None:
            self.planner.match_authors(plan, locale.pk)
            if plan.problems:
                raise Refused(*plan.problems)
        terms = self._resolve_terms(plan)
        document, image, image_changed = self._files(plan, page)
        if not creating:
            return self._update(page, plan, locale, terms, document, image, image_changed)
        if page is None:
            page = self._reserve(plan, locale, terms)
        self._fill(page, plan, terms, document, image)
        return CREATED, page.pk

    def _locale(self, language):
        if language not in self._locales:
            self._locales[language] = Locale.objects.filter(language_code=language).first()
        locale = self._locales[language]
        if locale is None or self._index(locale) is None:
            raise Refused(
                _(
                    "The site has no analyses index in “%(language)s” yet: translate the site's "
                    "home and analyses index into it first."
                )
                % {"language": language}
            )
        return locale

    def _index(self, locale, lock=False):
        """The analyses index of ``locale``; with ``lock``, read afresh and locked until the
        transaction ends (its child count is then the database's, and only this process adds
        pages under it meanwhile)."""
        if lock or locale.pk not in self._indexes:
            indexes = AnalysisIndexPage.objects.filter(locale=locale).order_by("path")
            if lock:
                indexes = indexes.select_for_update()
            self._indexes[locale.pk] = indexes.first()
        return self._indexes[locale.pk]

    # --- Several processes -------------------------------------------------------------------

    def _create_terms_first(self, plans):
        """Create the unknown terms (``--create-terms``) before the rows are shared out, so
        that two processes never create the same one: each is reported on the first row that
        names it."""
        for plan in plans:
            if plan.problems:
                continue
            mark = self.terms.mark()
            try:
                with transaction.atomic():
                    plan.terms = self._resolve_terms(plan)
            except Refused as refused:
                plan.problems += refused.reasons
                self.terms.forget_since(mark)
                continue
            plan.created_terms = self.terms.created[mark:]

    def _reserve_batch(self, plans):
        """Add the pages of the batch's new analyses under their index, in a transaction of
        their own with the index locked: the tree gives out the pages' paths one process at a
        time, and only this short step waits for the others. Returns {row: page} and the ids
        of the pages saved (for the search index). A row refused here has the reason added to
        its problems."""
        news = [plan for plan in plans if not plan.problems]
        known = set(
            AnalysisPage.objects.filter(
                external_id__in=[plan.external_id for plan in news]
            ).values_list("external_id", flat=True)
        )
        news = [plan for plan in news if plan.external_id not in known]
        reserved = {}
        if not news:
            return reserved, set()
        with transaction.atomic(), changes_recorded_once(), indexing_deferred() as saved:
            locales = {}
            for plan in news:
                try:
                    locales[plan.number] = self._locale(plan.language)
                except Refused as refused:
                    plan.problems += refused.reasons
            # The indexes locked in one order by every process: none waits for another in turn.
            for locale in sorted(set(locales.values()), key=lambda locale: locale.pk):
                self._index(locale, lock=True)
            for plan in news:
                if plan.problems:
                    continue
                try:
                    with transaction.atomic():
                        if missing := self.planner.missing_for_new(plan):
                            raise Refused(*missing)
                        terms = self._resolve_terms(plan)
                        reserved[plan.number] = self._reserve(plan, locales[plan.number], terms)
                except Refused as refused:
                    plan.problems += refused.reasons
                except ValidationError as error:
                    plan.problems += _messages(error)
                except Exception as error:  # noqa: BLE001 - that row is refused, not the import
                    plan.problems.append(
                        _("It could not be saved (%(error)s).")
                        % {"error": f"{type(error).__name__}: {error}"}
                    )
                if plan.problems:  # rolled back: the index's child count read again
                    self._index(locales[plan.number], lock=True)
        return reserved, set(saved)

    def _resolve_terms(self, plan):
        resolved = {}
        for key, value in plan.terms.items():
            values = value if isinstance(value, list) else [value]
            terms = []
            for term in values:
                if isinstance(term, NewTerm):
                    term = self.terms.find(term.kind, term.text) or self._create_term(term)
                if term not in terms:
                    terms.append(term)
            resolved[key] = terms if isinstance(value, list) else terms[0]
        return resolved

    def _create_term(self, new):
        try:
            return self.terms.create(new.kind, new.text, user=self.user)
        except (TermError, ValidationError) as error:
            reason = " ".join(_messages(error)) if isinstance(error, ValidationError) else error
            raise Refused(
                _("The %(kind)s “%(name)s” could not be created: %(reason)s")
                % {"kind": KIND_NAMES[new.kind], "name": new.text, "reason": reason}
            ) from error

    def _files(self, plan, page):
        title = plan.fields.get("title") or (page.title if page else "")
        document = image = None
        image_changed = False
        try:
            if plan.pdf:
                document = self.files.document(plan.pdf, title)
            if plan.cover:
                image, image_changed = self.files.image(plan.cover, title, plan.cover_alt)
        except FileProblem as problem:
            raise Refused(problem) from problem
        decorative = plan.fields.get(
            "cover_is_decorative", page.cover_is_decorative if page else False
        )
        if image is not None and not decorative and not (image.description or "").strip():
            raise Refused(
                _(
                    "The cover “%(name)s” has no alt text: say what it shows in cover_alt, or "
                    "mark it decorative (cover_decorative: yes)."
                )
                % {"name": plan.cover.name}
            )
        return document, image, image_changed

    def _apply(self, page, plan, terms, document, image):
        for name, value in plan.fields.items():
            setattr(page, name, value)
        if "type" in terms:
            page.analysis_type = terms["type"]
        if "series" in terms:
            page.series = terms["series"]
        if "themes" in terms:
            page.theme_items = [AnalysisTheme(tag=theme) for theme in terms["themes"]]
        if "regions" in terms:
            page.region_items = [AnalysisRegion(tag=region) for region in terms["regions"]]
        if "centres" in terms:
            page.research_units = [AnalysisResearchUnit(unit=unit) for unit in terms["centres"]]
        if plan.authors is not None:
            page.authors = [
                AnalysisAuthor(
                    expert_id=author.expert_id, name=author.name, affiliation=author.affiliation
                )
                for author in plan.authors
            ]
        if plan.body_blocks is not None:
            page.body = AnalysisPage._meta.get_field("body").stream_block.to_python(
                plan.body_blocks
            )
        if plan.pdf is not None:
            page.pdf = document
        if plan.cover is not None:
            page.cover_image = image

    def _reserve(self, plan, locale, terms):
        """Add the new analysis under the index of its language, with its own fields (what
        Wagtail validates on saving), as a page not yet published."""
        index = self._index(locale)
        page = AnalysisPage(
            locale=locale,
            external_id=plan.external_id,
            live=False,
            owner=self.user,
            analysis_type=terms["type"],
            **plan.fields,
        )
        if plan.translation_of:
            page.translation_key = self._translation_key(plan, locale)
        page.slug = self._slug(index, plan)
        with disable_reference_index_auto_update():
            index.add_child(instance=page)
        return page

    def _fill(self, page, plan, terms, document, image):
        """Give the new analysis its relations, files and body, and save it all as its first
        revision, published unless ``draft``: the relations are written once, when the
        revision is published, instead of twice."""
        self._apply(page, plan, terms, document, image)
        with disable_reference_index_auto_update():
            revision = page.save_revision(user=self.user, clean=False)
            if not self.draft:
                revision.publish(user=self.user)

    def _translation_key(self, plan, locale):
        source = AnalysisPage.objects.filter(external_id=plan.translation_of).first()
        if source is None:
            raise Refused(
                _(
                    "It is a translation of “%(id)s”, which is not imported yet: put that row "
                    "before this one."
                )
                % {"id": plan.translation_of}
            )
        other = Page.objects.filter(translation_key=source.translation_key, locale=locale).first()
        if other is not None:
            raise Refused(
                _("“%(id)s” already has a version in this language: “%(title)s” (page %(page)s).")
                % {"id": plan.translation_of, "title": other.title, "page": other.pk}
            )
        return source.translation_key

    def _slug(self, index, plan):
        siblings = Page.objects.filter(path__startswith=index.path, depth=index.depth + 1)
        if plan.slug:
            if siblings.filter(slug=plan.slug).exists():
                raise Refused(
                    _("Another page of the analyses index already has the slug “%(slug)s”.")
                    % {"slug": plan.slug}
                )
            return plan.slug
        allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
        base = slugify(plan.fields["title"], allow_unicode=allow_unicode)[:200].strip("-")
        base = base or "analysis"
        if not siblings.filter(slug=base).exists():
            return base
        return find_available_slug(index, base)

    def _update(self, page, plan, locale, terms, document, image, image_changed):
        self._check_editable(page, plan, locale)
        base = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
        before = snapshot(base, plan)
        self._apply(base, plan, terms, document, image)
        if snapshot(base, plan) == before and not image_changed and (page.live or self.draft):
            return UNCHANGED, page.pk
        with disable_reference_index_auto_update():
            revision = base.save_revision(user=self.user, log_action=True)
            if not self.draft:
                revision.publish(user=self.user)
        return UPDATED, page.pk

    def _check_editable(self, page, plan, locale):
        if page.locale_id != locale.pk and plan.language_given:
            raise Refused(
                _(
                    "It was imported in “%(was)s”: a version in another language is a row of "
                    "its own, with its own external id and translation_of."
                )
                % {"was": page.locale.language_code}
            )
        if plan.translation_of:
            source = AnalysisPage.objects.filter(external_id=plan.translation_of).first()
            if source is None or source.translation_key != page.translation_key:
                raise Refused(
                    _("It is not a translation of “%(id)s”, and an import does not make it one.")
                    % {"id": plan.translation_of}
                )
        if page.locked:
            raise Refused(_("The analysis is locked in the editor: it was left as it is."))
        if page.workflow_in_progress:
            raise Refused(_("The analysis is in review: it was left as it is."))
        if page.has_unpublished_changes and not self.draft:
            raise Refused(
                _(
                    "The analysis has changes not published yet (a draft): publish or discard "
                    "them first, or import with --draft to add to the draft."
                )
            )


def snapshot(page, plan):
    """What ``page`` holds of what ``plan`` sets, to compare before and after."""
    values = {name: getattr(page, name) for name in plan.fields}
    if "type" in plan.terms:
        values["type"] = page.analysis_type_id
    if "series" in plan.terms:
        values["series"] = page.series_id
    if "themes" in plan.terms:
        values["themes"] = sorted(item.tag_id for item in page.theme_items.all())
    if "regions" in plan.terms:
        values["regions"] = sorted(item.tag_id for item in page.region_items.all())
    if "centres" in plan.terms:
        values["centres"] = [item.unit_id for item in page.research_units.all()]
    if plan.authors is not None:
        values["authors"] = [
            (author.expert_id, author.name, author.affiliation) for author in page.authors.all()
        ]
    if plan.body_blocks is not None:
        values["body"] = [
            (child.block_type, _without_ids(child.block.get_prep_value(child.value)))
            for child in page.body
        ]
    if plan.pdf is not None:
        values["pdf"] = page.pdf_id
    if plan.cover is not None:
        values["cover"] = page.cover_image_id
    return values


def _without_ids(value):
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def _is_transient(error):
    """Is ``error`` a database failure that trying again may not meet (PostgreSQL's deadlock
    detection, a serialization failure)?"""
    return isinstance(error, DatabaseError) and (
        getattr(error.__cause__, "sqlstate", None) in TRANSIENT_STATES
    )
