"""``manage.py import_analyses FILE``: import a catalogue of analyses from a CSV or JSON file
(``publications.importing``; the columns, the options and what a second run does:
docs/importing.md)."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from wagtail.models import Collection

from publications.importing.importer import (
    CREATED,
    REFUSED,
    UNCHANGED,
    UPDATED,
    Importer,
)
from publications.importing.processes import ImportStopped
from publications.importing.sources import FORMATS, SourceError, read_source
from publications.importing.terms import KIND_NAMES


class Command(BaseCommand):
    help = (
        "Import analyses from a CSV or JSON file (docs/importing.md): new ones are created and "
        "published, those imported before (same external_id) updated, bad rows refused with "
        "their reasons."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or JSON file")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="the file's format, if its name does not end in .csv or .json",
        )
        parser.add_argument(
            "--media-root",
            help="the folder the PDF and cover paths start from (default: the file's folder)",
        )
        parser.add_argument(
            "--collection", help="the collection (name or id) of new documents and images"
        )
        parser.add_argument("--user", help="the username the revisions are saved under")
        parser.add_argument(
            "--create-terms",
            action="store_true",
            help="create the themes, regions, types, series, centres and programmes not found",
        )
        parser.add_argument(
            "--draft", action="store_true", help="save drafts (revisions) without publishing"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="do everything, report it, then roll it all back: nothing is changed",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="import in this many processes side by side (PostgreSQL; not with --dry-run)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        try:
            source = read_source(options["file"], options["format"])
        except SourceError as error:
            raise CommandError(str(error)) from error
        if options["media_root"] and not _is_directory(options["media_root"]):
            raise CommandError(
                _("The media folder “%(path)s” does not exist.") % {"path": options["media_root"]}
            )
        if options["jobs"] < 1:
            raise CommandError(_("--jobs is a number of processes: 1 or more."))
        if options["jobs"] > 1 and connection.vendor != "postgresql":
            raise CommandError(
                _("Several processes (--jobs) need PostgreSQL: with SQLite, import with one.")
            )
        importer = Importer(
            source,
            media_root=options["media_root"],
            collection=self._collection(options["collection"]),
            user=self._user(options["user"]),
            create_terms=options["create_terms"],
            draft=options["draft"],
            dry_run=options["dry_run"],
            jobs=options["jobs"],
        )
        console = Console(file=sys.stderr)
        show = options["verbosity"] > 0 and not options["no_progress"] and console.is_terminal
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=not show,
        ) as progress:
            importer.progress = _progress_reporter(progress)
            try:
                report = importer.run()
            except ImportStopped as stopped:
                if options["traceback"]:
                    self.stderr.write("\n".join(stopped.failures))
                raise CommandError(
                    _(
                        "The import stopped: one of its processes failed (%(rows)s rows were "
                        "reported by the others). What was committed stays; run the import again "
                        "to carry on: the rows already imported are found by their external id."
                    )
                    % {"rows": len(stopped.outcomes)}
                ) from stopped
        self._print(report, options)

    @staticmethod
    def _collection(value):
        if not value:
            return None
        collections = Collection.objects.all()
        found = (
            collections.filter(pk=int(value)) if value.isdigit() else collections.filter(name=value)
        )
        if found.count() != 1:
            raise CommandError(_("There is no collection “%(name)s”.") % {"name": value})
        return found.get()

    @staticmethod
    def _user(username):
        if not username:
            return None
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(_("There is no user “%(name)s”.") % {"name": username})
        return user

    def _print(self, report, options):
        write = self.stdout.write
        if report.dry_run:
            write(_("Dry run: nothing was saved. This is what the import would do:"))
        total = len(report.rows)
        line = ngettext(
            "%(total)s row: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(refused)s refused.",
            "%(total)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(refused)s refused.",
            total,
        ) % {
            "total": total,
            "created": report.count(CREATED),
            "updated": report.count(UPDATED),
            "unchanged": report.count(UNCHANGED),
            "refused": report.count(REFUSED),
        }
        if report.draft:
            line += " " + _("New and updated analyses are drafts: nothing was published.")
        write(line)
        if report.ignored_columns:
            named = [
                f"{name} ({why})" if why else name for name, why in report.ignored_columns.items()
            ]
            write(_("Columns not imported: %(columns)s.") % {"columns": ", ".join(named)})
        self._section(
            _("Refused rows:"),
            [(row, " ".join(row.reasons)) for row in report.rows if row.outcome == REFUSED],
        )
        unknown = [(row, _terms(row.unknown)) for row in report.rows if row.unknown]
        created = [(row, _terms(row.created_terms)) for row in report.rows if row.created_terms]
        if created:
            self._section(_("Terms created:"), created)
        elif unknown:
            self._section(_("Unknown terms (run with --create-terms to create them):"), unknown)
        if options["verbosity"] > 1 or any(row.notes for row in report.rows):
            self._section(
                _("Notes:"), [(row, " ".join(row.notes)) for row in report.rows if row.notes]
            )
        if options["traceback"]:
            for row in report.rows:
                if row.error:
                    self.stderr.write(f"Row {row.number}:\n{row.error}")

    def _section(self, title, items):
        if not items:
            return
        self.stdout.write(title)
        for row, text in items:
            label = _("Row %(row)s") % {"row": row.number}
            if row.external_id:
                label += f" ({row.external_id})"
            self.stdout.write(f"  {label}: {text}")


def _terms(pairs):
    return ", ".join(f"{KIND_NAMES[kind]} “{name}”" for kind, name in pairs)


def _is_directory(path):
    return Path(path).is_dir()


def _progress_reporter(progress):
    labels = {"pdfs": _("Checking PDFs"), "rows": _("Importing")}
    tasks = {}

    def report(stage, advance=0, total=None):
        if total is not None:
            tasks[stage] = progress.add_task(str(labels[stage]), total=total)
        elif stage in tasks:
            progress.advance(tasks[stage], advance)

    return report
