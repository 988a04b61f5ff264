"""``manage.py backup > site.tar``: the database and its media files, consistent, in one archive
(publications.backups)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from publications.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup of the site (the database and the media files it refers to) as a tar "
        "archive, to FILE or to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="where to write (- : stdout)")

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                if sys.stdout.isatty():
                    raise CommandError("Redirect the output to a file: manage.py backup > site.tar")
                manifest = create_backup(sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                with open(file, "wb") as output:
                    manifest = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        report = self.stderr if file == "-" else self.stdout
        report.write(
            f"Backed up the {manifest['database']} database and {len(manifest['files'])} media "
            f"files ({sum(manifest['files'].values()):,} bytes)."
        )
        for name in manifest["missing_files"]:
            self.stderr.write(f"Missing from storage already, not in the backup: {name}")
