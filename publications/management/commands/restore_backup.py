"""``manage.py restore_backup < site.tar``: put a backup made by ``manage.py backup`` back
(publications.backups)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from publications.backups import BackupError, pending_migrations, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` from FILE or standard input: its media "
        "files, then its database, which replaces the site's."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="what to read (- : stdin)")

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                manifest = restore_backup(sys.stdin.buffer)
            else:
                with open(file, "rb") as source:
                    manifest = restore_backup(source)
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {file}") from exc
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the backup of {manifest['created']}: the database and "
            f"{len(manifest['files'])} media files."
        )
        if pending_migrations():
            self.stdout.write("It was made by an older version: run `manage.py migrate` now.")
