"""Import benchmark (not a test): how long ``manage.py import_analyses`` takes for a catalogue of
N analyses on PostgreSQL, what it costs in CPU (its own and PostgreSQL's), and what it leaves to
the background worker.

Creates a fresh database (its name must contain "bench": it is dropped and created again),
migrates it and builds the site's skeleton (``bench/seed.py``: home, analyses index, 10 centres,
200 experts, 20 themes, 30 regions, 5 types, 5 series), writes a CSV file of N rows with every
column (two themes, two regions, a centre, two experts by id and an outside co-author, ISBN, DOI,
a summary, a body with headings and key points, a PDF of its own for every row and a cover image
for one row in ten), then runs, each as its own process with the development settings (tasks
queued in the database and a Redis of the bench's own for the shared cache, as in production;
``DEBUG`` off):

1. ``import_analyses --dry-run``: the rehearsal (one process, one transaction);
2. ``import_analyses --jobs J``: the import itself (every row created and published);
3. ``db_worker --batch``: the worker's queue, drained (PDF reading, search and reference index,
   harvest records, renditions): what readers wait for after the import, task by task;
4. ``import_analyses --jobs J`` again: every row unchanged.

Then it indexes 200 analyses one at a time and in one bulk write, to compare; and, on the
database made again with the skeleton only, measures the floor (``bench/import_floor.py``):
Wagtail adding and publishing the same analyses in as many processes, without the import's
checks, matching and report.

    python bench/imports.py                 # 10,000 rows; prints the tables of docs/benchmarks.md
    python bench/imports.py --rows 500 --skip-worker

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pub_import_bench).
"""

import argparse
import csv
import datetime
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pub_import_bench"


def log(message):
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def pdf_bytes(number):
    """A valid one-page PDF of its own (its text names the analysis)."""
    text = f"BT /F1 24 Tf 72 760 Td (Analysis {number:07d}) Tj ET".encode()
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for index, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (index, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


def isbn13(number):
    digits = f"978{number:09d}"
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return digits + str(check)


def write_catalogue(directory, rows, rng):
    """The CSV file and its PDFs and covers, in ``directory``."""
    from PIL import Image
    from seed import CENTRES, EXPERTS, REGIONS, THEMES, WORDS

    (directory / "pdf").mkdir()
    (directory / "covers").mkdir()
    path = directory / "catalogue.csv"
    columns = [
        "external_id", "title", "subtitle", "publication_date", "type", "series",
        "series_number", "language", "summary", "body", "key_points", "authors", "themes",
        "regions", "centres", "isbn", "doi", "pdf", "cover", "cover_alt", "page_count",
    ]  # fmt: skip
    types = ["Note", "Study", "Policy-Brief", "Report", "Book"]
    start = datetime.date(2000, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for n in range(1, rows + 1):
            words = rng.sample(WORDS, 8)
            (directory / "pdf" / f"{n}.pdf").write_bytes(pdf_bytes(n))
            cover = ""
            if n % 10 == 0:
                cover = f"covers/{n}.png"
                colour = (n % 256, (n // 256) % 256, 120)
                Image.new("RGB", (120, 160), colour).save(directory / cover)
            experts = rng.sample(range(EXPERTS), 2)
            writer.writerow(
                [
                    f"CAT-{n:06d}",
                    f"{' '.join(words[:5]).capitalize()} ({n})",
                    " ".join(words[5:]).capitalize(),
                    (start + datetime.timedelta(days=n * 9000 // rows)).isoformat(),
                    types[n % len(types)],
                    f"Series {n % 5}" if n % 3 == 0 else "",
                    str(n) if n % 3 == 0 else "",
                    "en",
                    " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + ".",
                    "<h2>Context</h2>"
                    + "".join(
                        f"<p>{' '.join(rng.choice(WORDS) for _ in range(80))}.</p>"
                        for _ in range(3)
                    ),
                    "; ".join(" ".join(rng.sample(WORDS, 6)) for _ in range(3)),
                    "; ".join([f"<expert:{{expert_{e}}}>" for e in experts] + ["Ana Lima (FGV)"]),
                    "; ".join(f"theme-{t}" for t in rng.sample(range(THEMES), 2)),
                    "; ".join(f"Region {r}" for r in rng.sample(range(REGIONS), 2)),
                    f"centre-{n % CENTRES}",
                    isbn13(n),
                    f"10.5555/cat.{n}",
                    f"pdf/{n}.pdf",
                    cover,
                    "A plain cover in one colour." if cover else "",
                    "1",
                ]
            )
    return path


def postgres_cpu():
    """CPU seconds PostgreSQL's processes have used so far: each live process's own, plus what
    the postmaster's exited children (the sessions that ended) used. Local server only."""
    clock = os.sysconf("SC_CLK_TCK")
    total, found = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        if name not in {"postgres", "postmaster"}:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        found = True
        total += int(fields[11]) + int(fields[12])  # utime, stime
        parent = Path(f"/proc/{fields[1]}/comm")
        if not parent.exists() or parent.read_text().strip() not in {"postgres", "postmaster"}:
            total += int(fields[13]) + int(fields[14])  # the postmaster: its children's
    return total / clock if found else None


def run(command, env, label):
    """Run ``command``: (wall seconds, its CPU seconds, PostgreSQL's CPU seconds meanwhile,
    the load average at its end, its output)."""
    log(f"{label}: {' '.join(command[2:])}")
    started, before, database_before = time.monotonic(), os.times(), postgres_cpu()
    completed = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    after, database_after = os.times(), postgres_cpu()
    elapsed = time.monotonic() - started
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-3000:] + completed.stderr[-3000:])
        sys.exit(f"{label} failed ({completed.returncode})")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    database = database_after - database_before if database_before is not None else None
    load = os.getloadavg()[0]
    log(f"{label}: {elapsed:.0f} s ({cpu:.0f} s of CPU, PostgreSQL {database}), load {load:.1f}")
    return elapsed, cpu, database, load, completed.stdout


def task_times():
    """For each task the worker ran: how many, and the seconds they took together."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_path, count(*), "
            "coalesce(sum(extract(epoch FROM finished_at - started_at)), 0) "
            "FROM django_tasks_database_dbtaskresult GROUP BY task_path ORDER BY 3 DESC"
        )
        return cursor.fetchall()


def latest_change():
    """How many rows the change log has been given so far (its id sequence: the rows pruned
    since, and those of the rolled-back dry run, counted too)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_value FROM "
            "pg_sequences WHERE sequencename = 'publications_contentchange_id_seq'"
        )
        return cursor.fetchone()[0] or 0


def index_one_by_one_or_in_bulk(count=200):
    """Seconds to index ``count`` analyses one at a time (what each publish would queue) and in
    one bulk write (what an import's batch task does), at the index's present size."""
    from modelsearch.backends import get_search_backends
    from modelsearch.index import insert_or_update_object

    from publications.models import AnalysisPage

    pages = list(AnalysisPage.get_indexed_objects().order_by("-pk")[:count])
    started = time.monotonic()
    for page in pages:
        insert_or_update_object(page)
    one_by_one = time.monotonic() - started
    started = time.monotonic()
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(AnalysisPage, pages)
    return one_by_one, time.monotonic() - started


def skeleton(database_url, env):
    """The database made again, migrated, with the site's skeleton and no analysis."""
    from run import recreate_database

    recreate_database(database_url)
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env, "migrate")
    subprocess.run(
        [PYTHON, "bench/seed.py", "--count", "0", "--no-search-index"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2, help="the import's --jobs")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--skip-dry-run", action="store_true")
    parser.add_argument("--skip-worker", action="store_true")
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the files and the database")
    args = parser.parse_args()

    from scenarios import BenchRedis

    workdir = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    redis = BenchRedis(workdir)  # the shared cache, as in production
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": redis.url,
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "WARNING",
        "DEBUG": "false",  # as in production: no query log kept in memory
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    results, tasks, probe, changes, facet_build = {}, [], None, 0, 0.0
    try:
        log(f"database {args.database_url}")
        skeleton(args.database_url, env)
        import django

        sys.path.insert(0, str(ROOT))
        django.setup()
        from django.db import connection

        from research_centers.models import ExpertPage

        expert_ids = dict(ExpertPage.objects.values_list("slug", "pk"))
        started = time.monotonic()
        catalogue = write_catalogue(workdir, args.rows, random.Random(7))
        text = catalogue.read_text(encoding="utf-8")
        for slug, pk in expert_ids.items():
            text = text.replace("{expert_" + slug.removeprefix("expert-") + "}", str(pk))
        catalogue.write_text(text, encoding="utf-8")
        log(f"{args.rows} rows, PDFs and covers written in {time.monotonic() - started:.0f} s")
        # The skeleton's own background tasks are not the import's: dropped.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_tasks_database_dbtaskresult")
        connection.close()
        command = [PYTHON, "manage.py", "import_analyses", str(catalogue), "--no-progress"]
        if not args.skip_dry_run:
            results["dry"] = run([*command, "--dry-run"], env, "dry run")
        changes_before = latest_change()
        results["import"] = run([*command, "--jobs", str(args.jobs)], env, "import")
        changes = latest_change() - changes_before
        from publications import facet_index

        started = time.monotonic()
        facet_index.build()
        facet_build = time.monotonic() - started
        connection.close()
        if not args.skip_worker:
            results["worker"] = run(
                [PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay", "-v0"],
                env,
                "worker",
            )
            tasks = task_times()
            probe = index_one_by_one_or_in_bulk()
            connection.close()
        results["again"] = run([*command, "--jobs", str(args.jobs)], env, "import again")
        if not args.skip_floor:
            connection.close()
            skeleton(args.database_url, env)
            if dict(ExpertPage.objects.values_list("slug", "pk")) != expert_ids:
                sys.exit("The skeleton made again gave the experts other ids than the file's.")
            connection.close()
            floor_env = {**env, "MEDIA_ROOT": str(workdir / "media-floor")}
            results["floor"] = run(
                [PYTHON, "bench/import_floor.py", str(catalogue), "--jobs", str(args.jobs)],
                floor_env,
                "floor",
            )
    finally:
        redis.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    rows = args.rows
    print(
        f"\n{rows:,} rows (every one with its PDF, one in ten with a cover), PostgreSQL, "
        f"{os.cpu_count()} cores\n"
    )
    print(
        "| step | time | rows/s | to the floor | CPU: the command | CPU: PostgreSQL | load "
        "| report |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    labels = {
        "dry": "`import_analyses --dry-run`",
        "import": f"`import_analyses --jobs {args.jobs}`",
        "worker": "`db_worker --batch`: what the import left",
        "again": f"`import_analyses --jobs {args.jobs}` again",
        "floor": f"floor: Wagtail adds and publishes them (`import_floor.py --jobs {args.jobs}`)",
    }
    floor = results["floor"][0] if "floor" in results else None
    for key, label in labels.items():
        if key not in results:
            continue
        seconds, cpu, database, load, out = results[key]
        summary = next((line for line in out.splitlines() if " rows: " in line), "")
        rate = f"{rows / seconds:.0f}" if key != "worker" else ""
        ratio = f"{seconds / floor:.2f}" if floor and key in {"dry", "import"} else ""
        database = f"{database:.0f} s" if database is not None else "?"
        cells = [label, f"{seconds:.0f} s", rate, ratio, f"{cpu:.0f} s", database, f"{load:.1f}"]
        print("| " + " | ".join([*cells, summary]) + " |")
    if tasks:
        print("\n| task the worker ran | count | seconds |")
        print("| --- | ---: | ---: |")
        for task_path, count, seconds in tasks:
            print(f"| `{task_path}` | {count:,} | {seconds:.0f} |")
    print(
        f"\nThe import wrote {changes:,} rows of the change log (the caches and the facet index "
        f"follow it); rebuilding the facet index afterwards took {facet_build:.2f} s."
    )
    if probe:
        print(
            f"\nIndexing 200 analyses at this size: one at a time {probe[0]:.1f} s, "
            f"in one bulk write {probe[1]:.1f} s."
        )


if __name__ == "__main__":
    main()
