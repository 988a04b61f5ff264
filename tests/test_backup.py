"""Backups that restore: ``manage.py backup`` on a running site with the demo content, then
``manage.py restore_backup`` into a fresh, empty database and an empty media folder, then the
production server (gunicorn, the production settings) on what was restored: pages, the PDF's
bytes, images and their renditions, search.

On PostgreSQL (``pg_dump``/``pg_restore``) when ``DATABASE_URL`` is one, as the production smoke
test; on SQLite (a database file of the test's own) otherwise. Both need the machine's Redis, as
the production server does. Also: a damaged archive, one of a newer version and one of another
engine are refused with a clear message before anything is touched.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command

from tests.live_server_support import ThrowAwayPostgresDatabase, is_postgres
from tests.test_production_smoke import (
    REPO_ROOT,
    flush_redis,
    missing_prerequisite,
    production_environment,
    redis_answers,
    run_manage,
    running_production_server,
)

COMMAND_TIMEOUT = 600

SHOW_WHAT_IS_THERE = """
import hashlib, json
from wagtail.images import get_image_model
from wagtail.models import Page
from publications.models import AnalysisPage, PublicationDocument
analysis = AnalysisPage.objects.live().filter(locale__language_code="en", pdf__isnull=False)\
    .exclude(cover_image=None).order_by("pk").first()
image = analysis.cover_image
print(json.dumps({
    "live pages": Page.objects.live().count(),
    "analysis url": analysis.url,
    "analysis title": analysis.title,
    "pdf url": analysis.pdf.url,
    "pdf sha256": hashlib.sha256(analysis.pdf.file.read()).hexdigest(),
    "documents": PublicationDocument.objects.count(),
    "images": get_image_model().objects.count(),
    "rendition files": sorted(r.file.name for r in image.renditions.all()),
}))
"""


def databases(tmp_path):
    """(kind, source URL, target URL, cleanup) for the engine the tests run on."""
    outer_url = os.environ.get("DATABASE_URL", "")
    if is_postgres(outer_url):
        made = [ThrowAwayPostgresDatabase(outer_url, suffix) for suffix in ("bk_from", "bk_to")]
        for database in made:
            database.create()
        return made[0].url, made[1].url, lambda: [database.drop() for database in made]
    return (
        f"sqlite:///{tmp_path / 'source.sqlite3'}",
        f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        lambda: None,
    )


def manage(args, env, stdin=None, stdout=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        stdin=stdin,
        stdout=stdout or subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=COMMAND_TIMEOUT,
    )


def what_is_there(env, workdir):
    result = manage(["shell", "-v", "0", "-c", SHOW_WHAT_IS_THERE], env)
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    return json.loads(result.stdout.decode().strip().splitlines()[-1])


@pytest.fixture
def redis_url():
    url = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not redis_answers(url):
        missing_prerequisite(f"no Redis answers at {url} (set SMOKE_REDIS_URL)")
    yield url
    flush_redis(url)


def test_a_backup_restores_into_a_fresh_database_and_media_folder(tmp_path, redis_url):
    source_url, target_url, cleanup = databases(tmp_path)
    try:
        source_dir, target_dir = tmp_path / "source", tmp_path / "target"
        source_dir.mkdir()
        target_dir.mkdir()
        source = production_environment(source_url, redis_url, source_dir)
        target = production_environment(target_url, redis_url, target_dir)

        run_manage(["migrate", "--noinput"], source, source_dir)
        run_manage(["load_demo_content"], source, source_dir)
        # The site's background worker: PDF text and page counts, renditions.
        run_manage(
            ["db_worker", "--batch", "--no-startup-delay", "--no-reload"], source, source_dir
        )
        original = what_is_there(source, source_dir)
        assert original["rendition files"], "the demo's cover has renditions"
        archive = tmp_path / "site.tar"
        with archive.open("wb") as output:
            result = manage(["backup"], source, stdout=output)
        assert result.returncode == 0, result.stderr.decode()[-3000:]
        assert b"media files" in result.stderr

        assert not os.listdir(target_dir)  # an empty media folder, an empty database
        with archive.open("rb") as backup:
            result = manage(["restore_backup"], target, stdin=backup)
        assert result.returncode == 0, result.stderr.decode()[-3000:]
        assert what_is_there(target, target_dir) == original
        for name in original["rendition files"]:
            assert (target_dir / "media" / name).is_file()

        flush_redis(redis_url)  # nothing of the source site's in the cache
        with running_production_server(target, target_dir) as server:
            page = server.request(original["analysis url"])
            assert page.status == 200
            assert original["analysis title"] in page.body.decode()
            pdf = server.request(original["pdf url"])
            assert pdf.status == 200
            assert hashlib.sha256(pdf.body).hexdigest() == original["pdf sha256"]
            found = server.request(f"/en/search/?q={quote(original['analysis title'])}")
            assert original["analysis title"] in found.body.decode()
    finally:
        cleanup()


# --- Refused archives: nothing touched -------------------------------------------------------


def archive_of(*members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    buffer.seek(0)
    return buffer


def restore(tmp_path, buffer):
    path = tmp_path / "given.tar"
    path.write_bytes(buffer.getvalue())
    call_command("restore_backup", str(path))


def manifest(**changes):
    from django.db import connection

    return json.dumps(
        {
            "format": 1,
            "created": "2026-11-29T12:00:00+00:00",
            "database": connection.vendor,
            "migrations": ["publications.0001_initial"],
            "files": {},
            "missing_files": [],
            **changes,
        }
    ).encode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([("notes.txt", b"hello")], "manifest.json is not where it should be"),
        ([("manifest.json", b"{not json")], "its manifest cannot be read"),
        ([("manifest.json", manifest(format=7))], "unknown format"),
        ([("manifest.json", manifest(database="oracle"))], "This backup is of a oracle database"),
        (
            [("manifest.json", manifest(migrations=["publications.9999_from_the_future"]))],
            "made by a newer version of the site",
        ),
        ([("manifest.json", manifest())], "is not where it should be"),
    ],
)
def test_a_wrong_archive_is_refused_before_anything_is_touched(tmp_path, members, message):
    from wagtail.models import Page

    pages = Page.objects.count()
    with pytest.raises(CommandError, match=message):
        restore(tmp_path, archive_of(*members))
    assert Page.objects.count() == pages


@pytest.mark.django_db
def test_a_media_file_outside_the_media_folder_is_refused(tmp_path):
    from django.db import connection

    database = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}[connection.vendor]
    buffer = archive_of(
        ("manifest.json", manifest(files={"../escape.txt": 4})),
        (database, b"not restored"),
        ("media/../escape.txt", b"evil"),
    )
    with pytest.raises(CommandError, match="unexpected member"):
        restore(tmp_path, buffer)
    assert not (tmp_path.parent / "escape.txt").exists()


@pytest.mark.django_db
def test_an_incomplete_archive_is_refused(tmp_path):
    from django.db import connection
    from wagtail.models import Page

    pages = Page.objects.count()
    database = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}[connection.vendor]
    listed = manifest(files={"documents/kept.pdf": 4, "documents/lost.pdf": 4})
    buffer = archive_of(
        ("manifest.json", listed), (database, b"never used"), ("media/documents/kept.pdf", b"%PDF")
    )
    with pytest.raises(CommandError, match="1 files are missing .first: documents/lost.pdf."):
        restore(tmp_path, buffer)
    # Cut in the middle of a member, as an interrupted copy leaves it.
    truncated = io.BytesIO(buffer.getvalue()[:1500])
    with pytest.raises(CommandError, match="damaged"):
        restore(tmp_path, truncated)
    assert Page.objects.count() == pages


def test_a_missing_archive_file_is_named():
    with pytest.raises(CommandError, match="No such file: /nowhere/site.tar"):
        call_command("restore_backup", "/nowhere/site.tar")
