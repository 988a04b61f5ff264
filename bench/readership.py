"""Readership benchmark (not a test): what counting adds to a PDF download, and to a page view
served from the page cache (``publications.readership``).

In one process, on the production settings (``config.settings.production``: WhiteNoise, the
security middleware, ``DEBUG`` off; a throw-away ``SECRET_KEY``, ``SECURE_SSL_REDIRECT=false``),
through the production WSGI application (``config.wsgi``), with a database made for the run by
Django's test database machinery (``test_<name>`` of ``DATABASE_URL``, migrated, destroyed after;
PostgreSQL by default, ``--sqlite`` for a throw-away SQLite file). One published analysis with a
PDF; requests carry a browser's User-Agent, so each one is counted.

Each round sends ``--block`` downloads with counting on, then ``--block`` with counting off
(``READERSHIP_ENABLED``), and so on (``--rounds``): both sides see the same drift of the machine.
The body is read to the end, as a client would. Printed: the median time of a download with and
without counting and their difference (the figure that must stay under 1 ms), the same for a
page view served from the page cache (its first render excluded), the cost of the counting call
alone, of a first sight of a new User-Agent (matched against the whole list of bots), and of a
flush of what the run counted. Counts are flushed in the background as in production
(``READERSHIP_FLUSH_SECONDS``, 30 s by default), so a flush may fall inside the measurement, as it
would on a server.

    .venv/bin/python bench/readership.py                  # PostgreSQL (DATABASE_URL or pub_bench)
    .venv/bin/python bench/readership.py --sqlite         # no server needed
"""

import argparse
import io
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
HOST = "bench.example.org"
WARM_UP = 20


def configure(args):
    work = Path(tempfile.mkdtemp(prefix="readership-bench-"))
    for folder in ("media", "static"):
        (work / folder).mkdir()
    if args.sqlite:
        database_url = f"sqlite:///{work / 'bench.sqlite3'}"
    else:
        database_url = args.database_url or os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pub_bench"
        )
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(work / "media"),
            "STATIC_ROOT": str(work / "static"),
            "LOG_LEVEL": "WARNING",
        }
    )
    return database_url


def environ(path, method="GET"):
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": HOST,
        "SERVER_PORT": "443",
        "HTTP_HOST": HOST,
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_USER_AGENT": BROWSER,
        "HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def timed(application, path):
    """One request through the WSGI application, its body read to the end: (ns, status, bytes)."""
    status = []
    start = time.perf_counter_ns()
    body = application(environ(path), lambda s, headers, exc_info=None: status.append(s))
    size = 0
    try:
        for chunk in body:
            size += len(chunk)
    finally:
        if hasattr(body, "close"):
            body.close()
    return time.perf_counter_ns() - start, status[0], size


def compare(application, path, rounds, block, override_settings):
    """Counting on, then off, ``rounds`` times, ``block`` requests each: the median ms of
    each side, and the differences of the two sides' medians round by round (both sides of a
    round see the same load of the machine)."""
    with_counting, without, differences = [], [], []
    for _ in range(rounds):
        on = [_ok(timed(application, path)) for _ in range(block)]
        with override_settings(READERSHIP_ENABLED=False):
            off = [_ok(timed(application, path)) for _ in range(block)]
        with_counting += on
        without += off
        differences.append((statistics.median(on) - statistics.median(off)) / 1e6)
    return {
        "on": statistics.median(with_counting) / 1e6,
        "off": statistics.median(without) / 1e6,
        "difference": statistics.median(differences),
        "quartiles": statistics.quantiles(differences, n=4)[::2],
        "requests": len(with_counting),
    }


def _ok(result):
    elapsed, status, _size = result
    assert status.startswith("200"), status
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="a throw-away SQLite database")
    parser.add_argument("--database-url", help="PostgreSQL server and base name of the test DB")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--block", type=int, default=50)
    args = parser.parse_args()
    database_url = configure(args)

    import django

    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.test import RequestFactory, override_settings

    from config.wsgi import application
    from publications import readership
    from publications.models import DailyReadership
    from tests.factories import AnalysisPageFactory, DocumentFactory, build_site
    from tests.pdf_samples import valid_pdf

    engine = connection.vendor
    print(f"Creating the test database ({engine}) ...", file=sys.stderr)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        tree = build_site()
        document = DocumentFactory(title="Bench PDF", pages=20)
        analysis = AnalysisPageFactory(parent=tree.analyses, title="Counted analysis", pdf=document)
        pdf_path, page_path = document.url, analysis.url
        pdf_bytes = len(valid_pdf(20))

        # Warm up: imports, the bot list's regular expressions, the site root paths, the
        # connection; and the page's first render, which the page cache then keeps. (The
        # production static storage wants collected files; a page's first render is not what
        # is measured here, so it uses the plain storage.)
        with override_settings(
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        ):
            for _ in range(WARM_UP):
                timed(application, pdf_path)
                timed(application, page_path)

        rounds, block = args.rounds, args.block
        download = compare(application, pdf_path, rounds, block, override_settings)
        view = compare(application, page_path, rounds, block, override_settings)
        downloads, views = download["requests"], view["requests"]

        # Every counted request is in the table once flushed (the warm-up's included).
        pending = readership.pending()
        start = time.perf_counter()
        written = readership.flush()
        flush_ms = (time.perf_counter() - start) * 1e3
        row = DailyReadership.objects.get(page=analysis)
        expected = WARM_UP + downloads
        assert (row.views, row.downloads) == (WARM_UP + views, expected), (row, expected)

        # The counting call alone, and a User-Agent never seen before.
        request = RequestFactory().get(pdf_path, HTTP_USER_AGENT=BROWSER)
        calls = 20_000
        per_call = (
            timeit.timeit(lambda: readership.count_download(request, document.pk), number=calls)
            / calls
            * 1e6
        )
        fresh = [f"{BROWSER} Build/{n}" for n in range(200)]
        start = time.perf_counter()
        for user_agent in fresh:
            readership.is_bot(user_agent)
        new_agent_us = (time.perf_counter() - start) / len(fresh) * 1e6
        readership.forget()
        readership.flush_at_exit()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    import wagtail

    where = database_url.split("@")[-1] if "@" in database_url else "the test database in memory"

    def line(label, figures):
        low, high = figures["quartiles"]
        return (
            f"| {label} | {figures['on']:.3f} | {figures['off']:.3f} | "
            f"{figures['on'] - figures['off']:+.3f} | {figures['difference']:+.3f} "
            f"({low:+.3f} to {high:+.3f}) | {'yes' if figures['difference'] < 1 else 'NO'} |"
        )

    print(
        f"Machine: {os.cpu_count()} cores, Linux {platform.release()}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"Wagtail {wagtail.__version__}, database {engine} "
        f"({where})"
    )
    print(
        f"Requests: {downloads} downloads and {views} cached page views each way, "
        f"{rounds} rounds of {block} with counting then {block} without; PDF {pdf_bytes:,} bytes"
    )
    print()
    print(
        "| request | median with counting, ms | without, ms | difference of the medians, ms "
        "| median of the rounds' differences (quartiles), ms | under 1 ms |"
    )
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    print(line("PDF download (`/documents/...`)", download))
    print(line("analysis page from the page cache", view))
    print()
    print(f"count_download() alone: {per_call:.2f} µs a call ({calls:,} calls)")
    print(
        f"A User-Agent never seen before (matched against the list of bots): {new_agent_us:.0f} µs"
    )
    print(
        f"Flush at the end ({len(pending)} keys, {sum(pending.values()):,} counts not yet written "
        f"in the background) into {written} row(s): {flush_ms:.1f} ms; the row then holds "
        f"{row.views:,} views and {row.downloads:,} downloads: every request counted once"
    )


if __name__ == "__main__":
    main()
