"""Backups: the database and the media files it refers to, in one archive, and their restore.

``manage.py backup > site.tar`` and ``manage.py restore_backup < site.tar`` (README, "Backups").

A backup is consistent: the database is copied at one instant (on PostgreSQL, ``pg_dump`` runs
on a snapshot exported by a read-only transaction; on SQLite, the backup API copies it), and the
media files copied are those that copy of the database refers to, read from that same instant
(every ``FileField`` of every model: documents, original images, renditions). The site keeps
running while it is taken, and files are never deleted while a revision refers to them, so none
goes missing between the two; a file that is already missing from storage is reported, not
silently skipped.

The archive is a tar stream: ``manifest.json`` first (format, database engine, migrations, the
files and their sizes), then the database, then ``media/<name>`` for each file. A restore reads
and checks the manifest before it touches anything, writes the media files through the storage
(the media folder or the bucket), then restores the database in one transaction
(``pg_restore --single-transaction``): a failed restore leaves the database as it was. What the
site shows follows the restored database within seconds (``publications.freshness``).
"""

import datetime
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.models import FileField

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
MEDIA_PREFIX = "media/"


class BackupError(Exception):
    """Why a backup cannot be taken or restored, for the operator."""


# --- What the database refers to ---------------------------------------------------------------


def file_columns():
    """(table, column) of every file field of every model the database holds."""
    columns = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for field in meta.concrete_fields:
            if isinstance(field, FileField):
                columns.append((meta.db_table, field.column))
    return sorted(set(columns))


def referenced_files(cursor, quote):
    """The storage names the database refers to, read through ``cursor``."""
    names = set()
    for table, column in file_columns():
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)}")  # noqa: S608 - our names
        names.update(name for (name,) in cursor.fetchall() if name)
    return names


def is_safe_name(name):
    """A storage name inside the media root: relative, no ``..``."""
    normal = posixpath.normpath(name)
    return (
        bool(name)
        and not name.startswith(("/", "\\"))
        and normal == name
        and not normal.startswith("..")
        and "\\" not in name
    )


def applied_migrations():
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


def pending_migrations():
    """The migrations the restored database still needs (a backup of an older version)."""
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def known_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


# --- PostgreSQL -----------------------------------------------------------------------------------


def postgres_environment():
    """libpq's environment for the site's database (pg_dump and pg_restore read it)."""
    settings = connection.settings_dict
    options = settings.get("OPTIONS", {})
    env = {**os.environ, "PGDATABASE": settings["NAME"]}
    for variable, value in [
        ("PGHOST", settings.get("HOST")),
        ("PGPORT", settings.get("PORT")),
        ("PGUSER", settings.get("USER")),
        ("PGPASSWORD", settings.get("PASSWORD")),
        ("PGSSLMODE", options.get("sslmode")),
        ("PGSSLROOTCERT", options.get("sslrootcert")),
    ]:
        if value:
            env[variable] = str(value)
    return env


def run_postgres_tool(name, *args):
    if shutil.which(name) is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools (the production "
            "image has them)."
        )
    result = subprocess.run(
        [name, *args], env=postgres_environment(), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip()[-2000:]}")


def dump_postgres(path):
    """Dump the database to ``path`` and return the files it refers to, both as of one
    snapshot."""
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        names = referenced_files(cursor, connection.ops.quote_name)
        run_postgres_tool(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            f"--file={path}",
        )
    return names


def restore_postgres(path):
    connection.close()
    run_postgres_tool(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={connection.settings_dict['NAME']}",
        str(path),
    )


# --- SQLite -------------------------------------------------------------------------------------


def sqlite_path():
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("The database is in memory: there is nothing to back up.")
    return name


def dump_sqlite(path):
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        names = referenced_files(target.cursor(), connection.ops.quote_name)
    finally:
        target.close()
    return names


def restore_sqlite(path):
    connection.close()
    source, target = sqlite3.connect(path), sqlite3.connect(sqlite_path())
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


DUMP = {"postgresql": dump_postgres, "sqlite": dump_sqlite}
RESTORE = {"postgresql": restore_postgres, "sqlite": restore_sqlite}


def database_kind():
    if connection.vendor not in DUMP:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


# --- Backup -------------------------------------------------------------------------------------


def _add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def create_backup(output):
    """Write a backup archive to the binary file object ``output``; return its manifest."""
    kind = database_kind()
    with tempfile.TemporaryDirectory() as workdir:
        database_path = os.path.join(workdir, DATABASE_MEMBER[kind])
        names = DUMP[kind](database_path)
        files, missing = {}, []
        for name in sorted(names):
            if is_safe_name(name) and default_storage.exists(name):
                files[name] = default_storage.size(name)
            else:
                missing.append(name)
        manifest = {
            "format": FORMAT,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": kind,
            "migrations": applied_migrations(),
            "files": files,
            "missing_files": missing,
        }
        with tarfile.open(fileobj=output, mode="w|") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
            archive.add(database_path, arcname=DATABASE_MEMBER[kind])
            for name, size in files.items():
                info = tarfile.TarInfo(MEDIA_PREFIX + name)
                info.size = size
                info.mtime = int(default_storage.get_modified_time(name).timestamp())
                with default_storage.open(name, "rb") as handle:
                    archive.addfile(info, handle)
    return manifest


# --- Restore ------------------------------------------------------------------------------------


def check_manifest(manifest):
    """Refuse, before anything is touched, a backup this site cannot restore."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This is not a backup of this site, or one of an unknown format.")
    kind = database_kind()
    if manifest.get("database") != kind:
        raise BackupError(
            f"This backup is of a {manifest.get('database')} database; this site runs on {kind}."
        )
    unknown = sorted(set(manifest.get("migrations", [])) - known_migrations())
    if unknown:
        raise BackupError(
            "This backup was made by a newer version of the site (migrations this code does not "
            f"have: {', '.join(unknown[:5])}). Deploy that version first."
        )


def _next_member(archive, expected):
    member = archive.next()
    if member is None or member.name != expected or not member.isfile():
        raise BackupError(f"The archive is damaged: {expected} is not where it should be.")
    return member


def restore_backup(source):
    """Restore the archive read from the binary file object ``source``; return its manifest."""
    try:
        with tarfile.open(fileobj=source, mode="r|") as archive:
            member = _next_member(archive, MANIFEST)
            try:
                manifest = json.loads(archive.extractfile(member).read())
            except ValueError as exc:
                raise BackupError("The archive is damaged: its manifest cannot be read.") from exc
            check_manifest(manifest)
            kind = manifest["database"]
            with tempfile.TemporaryDirectory() as workdir:
                database_path = os.path.join(workdir, DATABASE_MEMBER[kind])
                member = _next_member(archive, DATABASE_MEMBER[kind])
                with open(database_path, "wb") as copy:
                    shutil.copyfileobj(archive.extractfile(member), copy)
                restored = set()
                # archive.next(), not iteration: iterating a stream starts again from the first
                # member.
                while (member := archive.next()) is not None:
                    name = member.name.removeprefix(MEDIA_PREFIX)
                    if (
                        not member.isfile()
                        or not member.name.startswith(MEDIA_PREFIX)
                        or not is_safe_name(name)
                        or name not in manifest["files"]
                    ):
                        raise BackupError(f"The archive holds an unexpected member: {member.name}")
                    write_media_file(name, archive.extractfile(member))
                    restored.add(name)
                absent = sorted(set(manifest["files"]) - restored)
                if absent:
                    raise BackupError(
                        f"The archive is incomplete: {len(absent)} files are missing "
                        f"(first: {absent[0]}). The database was not restored."
                    )
                RESTORE[kind](database_path)
    except tarfile.TarError as exc:
        raise BackupError(f"The archive is damaged or incomplete: {exc}") from exc
    return manifest


def write_media_file(name, content):
    """Store ``content`` under exactly ``name``, replacing what is there."""
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, File(content, name=posixpath.basename(name)))
    if saved != name:
        raise BackupError(f"The storage renamed {name} to {saved}; the restore stopped.")
