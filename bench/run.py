"""The benchmark: seed PostgreSQL with N analyses, start the production server (gunicorn, 2
workers, production settings) on loopback, load it with wrk on loopback for a bounded time, and
print one report. See docs/benchmarks.md for what each figure means and the latest results.

    make bench          # 100,000 analyses
    make bench-quick    # 10,000 analyses, shorter runs

Scenarios (--only, comma-separated; default: all but million; with --million: million):

- pages: the table of pages (uncached and cached; a misspelt search and the search box's
  suggestions among them), the first hit after a new image, new searches (and new misspelt
  ones), listings after a publish, the 200 MB PDF;
- pollution, storm, outage, recycling: bench/scenarios.py;
- million: the facet index's build, memory, snapshot and update after a publish, and the
  server time of the listing, analysis and home pages (--million: at 1,000,000 analyses).

--app-dir PATH measures another checkout (an older commit) with this bench code: it is
migrated, seeded, collected and served from PATH, and every in-process probe runs there.

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pub_bench, with the short
commit of --app-dir appended for another checkout and "_million" for --million; the database is
dropped and created again unless --reuse, so its name must contain "bench"). The bench starts a
redis-server of its own (the compose file's cap and policy) unless --redis-url names one (that
Redis database is flushed; the outage scenario is then skipped). wrk is installed with apt-get
when missing.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import scenarios

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
BYPASS_HEADER = "X-Bench-No-Cache"


def log(message):
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


# --- Database, Redis, wrk -----------------------------------------------------------------------


def recreate_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: the bench database's name must contain 'bench'")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def flush_redis(url):
    import redis

    redis.Redis.from_url(url).flushdb()


def ensure_wrk():
    if shutil.which("wrk"):
        return shutil.which("wrk")
    log("installing wrk (apt-get)")
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk")


# --- The server ---------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(args, workdir, app_dir, redis_url):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "DJANGO_", "SECURE_", "CSP_", "PAGE_CACHE"))
        and key != "DEBUG"
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "bench-only-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": redis_url,
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "PAGE_CACHE_BYPASS_HEADER": BYPASS_HEADER,
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            # The checkout under test, for the probes run with ``python -c`` and the seed.
            "PYTHONPATH": str(app_dir),
            "BENCH_APP_DIR": str(app_dir),
        }
    )
    return env


def manage(env, app_dir, *command):
    subprocess.run([PYTHON, str(app_dir / "manage.py"), *command], cwd=app_dir, env=env, check=True)


# The server of the table of pages and of most scenarios (the recycling scenario runs the
# production image's command line instead).
DEFAULT_GUNICORN = [
    "config.wsgi:application",
    "--workers",
    "2",
    "--timeout",
    "120",
    "--no-control-socket",
]


class Server:
    def __init__(self, env, workdir, app_dir, options=None, name="gunicorn"):
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.log_path = workdir / f"{name}.log"
        options = list(options or DEFAULT_GUNICORN)
        with self.log_path.open("w") as out:
            self.process = subprocess.Popen(
                [PYTHON, "-m", "gunicorn", *options, "--bind", f"{HOST}:{self.port}"],
                cwd=app_dir,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited:\n{self.log_path.read_text()[-4000:]}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        sys.exit("gunicorn did not answer /healthz within 60 s")

    def get(self, path, bypass=False, timeout=60):
        request = urllib.request.Request(self.base + path)
        if bypass:
            request.add_header(BYPASS_HEADER, "1")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=45)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# --- Load ---------------------------------------------------------------------------------------


def wrk(wrk_path, url, duration, bypass, connections):
    command = [
        wrk_path,
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "60s",
        "--latency",
        url,
    ]
    if bypass:
        command[1:1] = ["-H", f"{BYPASS_HEADER}: 1"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = scenarios.parse_wrk(output)
    if result["non_2xx"]:
        raise RuntimeError(f"{url}: {result['non_2xx']} error responses\n{output}")
    return result["rps"], result["p50"], result["p99"]


def measure(wrk_path, server, path, args, bypass):
    # Warm (the page cache, the worker's imports), and wait for the workers to finish the
    # requests a previous run left in their backlog (a slow page keeps them busy after wrk stops).
    server.get(path, bypass=bypass, timeout=900)
    server.get(path, bypass=bypass, timeout=900)
    rounds = [
        wrk(wrk_path, server.base + path, args.duration, bypass, args.connections)
        for _ in range(args.rounds)
    ]
    return tuple(statistics.median(values) for values in zip(*rounds, strict=True))


# --- In-process measurements (a Django process on the same database and Redis) ------------------

DJANGO_PROBE = r"""
import json, os, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

paths = json.loads(sys.argv[1])
client = Client(HTTP_HOST="127.0.0.1", HTTP_X_BENCH_NO_CACHE="1")
counts = {}
for name, path in paths.items():
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    counts[name] = [response.status_code, len(queries.captured_queries)]
print(json.dumps(counts))
"""

COVER_PROBE = r"""
import io, json, sys, time
import django
django.setup()
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from publications.models import AnalysisPage

kind, slug, pregenerate = sys.argv[1], sys.argv[2], sys.argv[3] == "yes"
buffer = io.BytesIO()
PILImage.effect_noise((2400, 1600), 64).convert("RGB").save(buffer, "JPEG", quality=90)
started = time.monotonic()
image = get_image_model()(title=f"Cover {slug}", file=ImageFile(buffer, name=f"{slug}.jpg"))
image.save()  # enqueues the renditions task (immediate backend: runs after the commit)
upload = time.monotonic() - started
if not pregenerate:
    image.renditions.all().delete()
if kind == "cover":
    page = AnalysisPage.objects.get(slug=slug)
    page.cover_image = image
else:
    from research_centers.models import ExpertPage
    page = ExpertPage.objects.get(slug=slug)
    page.photo = image
page.save_revision().publish()
print(json.dumps({"upload_s": upload, "renditions": image.renditions.count()}))
"""

PDF_PROBE = r"""
import json, sys
import django
django.setup()
from publications.models import AnalysisPage, PublicationDocument

name, size = sys.argv[1], int(sys.argv[2])
document = PublicationDocument.objects.create(
    title="Two hundred megabytes", file=name, file_size=size, page_count=1
)
page = AnalysisPage.objects.get(slug="analysis-2")
page.pdf = document
page.save_revision().publish()  # a live page links to it: the document may be served
print(json.dumps({"url": document.url}))
"""


# Uncached requests sent one at a time per page, for its server time (the median): wrk's
# latencies under load include the time a request waits for a free worker.
SERIAL_REQUESTS = 30

# A change readers see, through Wagtail's API (the code before the rework and after it record it
# from the same signal).
PUBLISH_PROBE = r"""
import json, sys
import django
django.setup()
from publications.models import AnalysisPage
AnalysisPage.objects.get(slug=sys.argv[1]).save_revision().publish()
print("{}")
"""


def timed_get(server, path):
    started = time.monotonic()
    status, _body = server.get(path, bypass=True, timeout=900)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return (time.monotonic() - started) * 1000


def new_search_queries(count):
    """``count`` different two-word queries from the seeded vocabulary (each word is in about a
    tenth of the titles, and the themes in the bodies), in a fixed order."""
    import random

    from seed import WORDS

    rng = random.Random(11)
    queries = []
    while len(queries) < count:
        query = " ".join(rng.sample(WORDS, 2))
        if query not in queries:
            queries.append(query)
    return queries


def misspelt(query):
    """``query`` with a typo in each word of four letters or more: its middle letter left out."""
    return " ".join(
        word[: len(word) // 2] + word[len(word) // 2 + 1 :] if len(word) > 3 else word
        for word in query.split()
    )


def cold_figures(server, run_script, listing_path):
    """What the caches under the content generation do not hide: a search for a query nobody
    asked before (its ranking is computed), the same misspelt (nothing found, the correction
    looked for, then searched), and the first listings after a publish (the facet index is
    built, then taken from the shared cache). One request at a time."""
    from urllib.parse import urlencode

    queries = new_search_queries(30)
    search = [timed_get(server, "/en/search/?" + urlencode({"q": query})) for query in queries]
    typo = [
        timed_get(server, "/en/search/?" + urlencode({"q": misspelt(query)}))
        for query in new_search_queries(60)[30:]
    ]
    run_script(PUBLISH_PROBE, "analysis-5")
    listing = [timed_get(server, listing_path) for _ in range(4)]
    return search, typo, listing


def django_script(env, app_dir, script, *argv):
    output = subprocess.run(
        [PYTHON, "-c", script, *argv], cwd=app_dir, env=env, capture_output=True, text=True
    )
    if output.returncode:
        raise RuntimeError(output.stderr[-4000:])
    return json.loads(output.stdout.strip().splitlines()[-1])


def make_big_pdf(path, megabytes):
    """A valid PDF with one page and one big embedded stream (incompressible bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    length = megabytes * 1024 * 1024
    with path.open("wb") as out:
        offsets = []
        out.write(b"%PDF-1.4\n")
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << >> >>",
        ]
        for number, body in enumerate(objects, start=1):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        offsets.append(out.tell())
        out.write(b"4 0 obj\n<< /Length %d >>\nstream\n" % length)
        chunk = os.urandom(1024 * 1024)
        for _ in range(megabytes):
            out.write(chunk)
        out.write(b"\nendstream\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 5\n0000000000 65535 f \n")
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return path.stat().st_size


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def download_peak_rss(server, path):
    """Download ``path`` (discarding it) while sampling every worker's RSS every 5 ms; the
    largest growth of one worker over its RSS before the download, in MiB."""
    import threading

    workers = server.workers()
    before = {pid: rss_kib(pid) for pid in workers}
    peak = dict(before)
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid in workers:
                peak[pid] = max(peak[pid], rss_kib(pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.monotonic()
    received = 0
    with urllib.request.urlopen(server.base + path, timeout=300) as response:
        while block := response.read(1024 * 1024):
            received += len(block)
    elapsed = time.monotonic() - started
    done.set()
    sampler.join()
    growth = max(peak[pid] - before[pid] for pid in workers) / 1024
    return growth, received, elapsed


# --- Machine ------------------------------------------------------------------------------------


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    versions = {}
    for name in ("django", "wagtail", "gunicorn", "psycopg", "redis"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:  # noqa: BLE001
            versions[name] = "?"
    postgres = subprocess.run(
        ["psql", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    redis_version = (
        subprocess.run(["redis-server", "--version"], capture_output=True, text=True, check=False)
        .stdout.split(" v=")[-1]
        .split()[0]
        if shutil.which("redis-server")
        else "?"
    )
    wrk_version = subprocess.run(
        ["wrk", "-v"], capture_output=True, text=True, check=False
    ).stdout.split("\n")[0]
    return (
        f"nproc {os.cpu_count()}, {int(memory) // 1024} MiB RAM, {cpu}; {platform.platform()}; "
        f"Python {platform.python_version()}, "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
        + f"; {postgres}; Redis {redis_version}; {wrk_version}"
    )


# --- Main ---------------------------------------------------------------------------------------

SCENARIOS = ("pages", "pollution", "storm", "outage", "recycling", "million")
DEFAULT_SCENARIOS = "pages,pollution,storm,outage,recycling"


class Bench:
    """What every scenario needs: the arguments, the checkout under test, the server's
    environment, the running server, Redis, wrk, the pages."""

    python = PYTHON

    def __init__(self, args, app_dir, workdir, wrk_path, redis):
        self.args, self.app_dir, self.workdir = args, app_dir, workdir
        self.wrk_path, self.redis = wrk_path, redis
        self.env = server_env(args, workdir, app_dir, redis.url)
        self.server = None
        self.pages = {}
        self.count = args.count

    def django_script(self, script, *argv):
        return django_script(self.env, self.app_dir, script, *argv)

    def start_server(self, options=None, extra_env=None, name="gunicorn"):
        return Server({**self.env, **(extra_env or {})}, self.workdir, self.app_dir, options, name)


def parse_args():
    parser = argparse.ArgumentParser(description="Seed, serve, load, report.")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 analyses, shorter runs")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (pages)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pdf-mb", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    parser.add_argument(
        "--only",
        help=f"comma-separated scenarios among {', '.join(SCENARIOS)} (default: "
        f"{DEFAULT_SCENARIOS}; with --million: million)",
    )
    parser.add_argument(
        "--app-dir",
        default=str(ROOT),
        help="the checkout to migrate, seed, serve and probe (default: this repository)",
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--redis-url",
        help="a Redis to use (flushed) instead of the bench's own redis-server; the outage "
        "scenario is then skipped",
    )
    parser.add_argument("--storm-duration", type=int, default=45, help="seconds per storm run")
    parser.add_argument("--outage-duration", type=int, default=30)
    parser.add_argument("--recycling-duration", type=int, default=60)
    parser.add_argument(
        "--gunicorn-args",
        help="gunicorn's options for the recycling scenario (default: the Dockerfile's CMD)",
    )
    parser.add_argument(
        "--pollution-count", type=int, default=5000, help="listing requests (searches: a fifth)"
    )
    parser.add_argument(
        "--million", action="store_true", help="1,000,000 analyses, the facet index scenario"
    )
    parser.add_argument(
        "--million-count", type=int, help="the number of analyses of --million (validation)"
    )
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="skip the traced second index build"
    )
    args = parser.parse_args()
    if args.quick:
        args.count, args.duration = 10_000, 5
        args.storm_duration = min(args.storm_duration, 20)
        args.recycling_duration = min(args.recycling_duration, 30)
    if args.million:
        args.count = args.million_count or 1_000_000
    only = args.only or ("million" if args.million else DEFAULT_SCENARIOS)
    args.only = [name.strip() for name in only.split(",") if name.strip()]
    unknown = set(args.only) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if args.outage_duration < 15:
        parser.error("--outage-duration: at least 15 s (Redis is down from 5 s to 5 s before)")
    return args


def checkout(app_dir):
    """The commit of the checkout under test (short, with "+changes" if its tree is dirty)."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(app_dir), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(app_dir), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+changes" if dirty else "")


def default_database_url(args, app_dir, commit):
    name = "pub_bench"
    if app_dir != ROOT:
        name += "_" + re.sub(r"\W", "_", commit.split("+")[0])
    if args.million:
        name += "_million"
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def count_analyses(url):
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SELECT count(*) FROM publications_analysispage").fetchone()[0]


def prepare_database(bench, args):
    """Migrate (always: a reused database may be behind the checkout), seed unless --reuse,
    collect the static files; the seconds the seeding took (nan: reused)."""
    env, app_dir = bench.env, bench.app_dir
    if not args.reuse:
        log(f"fresh database {urlsplit(args.database_url).path.lstrip('/')}")
        recreate_database(args.database_url)
    manage(env, app_dir, "migrate", "--noinput", "-v0")
    seed_seconds = float("nan")
    if not args.reuse:
        seed_env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "false"}
        own_seed = app_dir / "bench" / "seed.py"
        seed = own_seed if own_seed.exists() else ROOT / "bench" / "seed.py"
        started = time.monotonic()
        subprocess.run(
            [PYTHON, str(seed), "--count", str(args.count)],
            cwd=app_dir,
            env=seed_env,
            check=True,
        )
        seed_seconds = time.monotonic() - started
    manage(env, app_dir, "collectstatic", "--noinput", "-v0")
    return seed_seconds


def choose_pages(bench):
    """The table's pages (those that answer 200), the floor first; notes on those left out."""
    middle = max(1, bench.count // 2)
    pages = {
        "floor": None,
        "home": "/en/",
        "analysis": f"/en/analyses/analysis-{middle}/",
        "listing": "/en/analyses/?theme=theme-1&region=region-2",
        "search": "/en/search/?q=energy+security",
        # A misspelt query: found nothing, corrected ("enrgy securty" -> "energy security"),
        # searched again; never kept in the page cache.
        "search-typo": "/en/search/?q=enrgy+securty",
        # The search box's suggestions as one types (JSON).
        "suggest": "/en/search/suggest/?q=energ",
        "feed": "/en/feeds/analyses.rss",
        "centre": "/en/research/centre-1/",
        "expert": "/en/research/centre-1/expert-1/",
    }
    notes = []
    server = bench.server
    floor = "/robots.txt" if server.get("/robots.txt")[0] == 200 else "/healthz"
    pages["floor"] = floor
    notes.append(f"floor: {floor} (same middleware stack, no page cache, no SQL)")
    for name, path in list(pages.items()):
        status = server.get(path, bypass=True, timeout=900)[0]
        if status != 200:
            notes.append(f"{name}: {path} answered {status}, left out")
            del pages[name]
    return pages, notes


def pages_scenario(bench):
    """The table of pages, the new image, the cold figures and the PDF."""
    args, server, pages = bench.args, bench.server, bench.pages
    log("queries per page (test client, uncached)")
    queries = bench.django_script(DJANGO_PROBE, json.dumps(pages))

    results = {}
    for name, path in pages.items():
        for cached in (False, True):
            if name == "floor" and cached:
                continue
            log(f"load: {name} {'cached' if cached else 'uncached'} {path}")
            results[(name, cached)] = measure(bench.wrk_path, server, path, args, not cached)

    log("server time: uncached, one request at a time")
    serial = {
        name: statistics.median(timed_get(server, path) for _ in range(SERIAL_REQUESTS))
        for name, path in pages.items()
    }

    log("cold first hit after a new cover upload")
    cover = {}
    for label, kind, pregenerate, slug, url in (
        (
            "analysis cover, renditions made on upload",
            "cover",
            "yes",
            "analysis-3",
            "/en/analyses/analysis-3/",
        ),
        (
            "analysis cover, renditions left to the reader",
            "cover",
            "no",
            "analysis-4",
            "/en/analyses/analysis-4/",
        ),
        (
            "expert photo, renditions made on upload",
            "photo",
            "yes",
            "expert-2",
            "/en/research/centre-2/expert-2/",
        ),
        (
            "expert photo, renditions left to the reader",
            "photo",
            "no",
            "expert-3",
            "/en/research/centre-3/expert-3/",
        ),
    ):
        info = bench.django_script(COVER_PROBE, kind, slug, pregenerate)
        # The publish made a new content generation: let another page bring the facet index up
        # to date (see "Listing after a publish") so that the first hit below measures the
        # image, not the index.
        server.get(pages.get("listing", "/en/analyses/"), bypass=True, timeout=900)
        started = time.monotonic()
        status, _body = server.get(url, bypass=True, timeout=900)
        first = (time.monotonic() - started) * 1000
        started = time.monotonic()
        server.get(url, bypass=True, timeout=900)
        second = (time.monotonic() - started) * 1000
        cover[label] = (first, second, info["upload_s"], status)

    log("cold: new search queries, listings after a publish")
    cold_search, cold_typo, cold_listing = cold_figures(
        server, bench.django_script, pages.get("listing", "/en/analyses/")
    )

    log(f"{args.pdf_mb} MB PDF")
    pdf_path = bench.workdir / "media" / "documents" / "bench-big.pdf"
    size = make_big_pdf(pdf_path, args.pdf_mb)
    info = bench.django_script(PDF_PROBE, "documents/bench-big.pdf", str(size))
    growths = [download_peak_rss(server, info["url"]) for _ in range(3)]
    pdf_growth = statistics.median(g[0] for g in growths)
    pdf_received, pdf_seconds = growths[0][1], statistics.median(g[2] for g in growths)

    floor_rps = results[("floor", False)][0]
    lines = [
        "",
        "| page | URL | SQL queries | server ms | uncached req/s | p50 ms | p99 ms | % of floor "
        "| cached req/s | p50 ms | p99 ms | % of floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, path in pages.items():
        status, count = queries.get(name, ["?", "?"])
        rps, p50, p99 = results[(name, False)]
        row = (
            f"| {name} | `{path}` | {count} | {serial[name]:.1f} | {rps:,.0f} | {p50:.1f} "
            f"| {p99:.1f} | {100 * rps / floor_rps:.0f}% |"
        )
        if (name, True) in results:
            crps, cp50, cp99 = results[(name, True)]
            row += f" {crps:,.0f} | {cp50:.1f} | {cp99:.1f} | {100 * crps / floor_rps:.0f}% |"
        else:
            row += " – | – | – | – |"
        lines.append(row)
    lines.append("")
    for label, (first, second, upload, status) in cover.items():
        lines.append(
            f"New image, {label}: upload (save + renditions task) {upload * 1000:.0f} ms; "
            f"first uncached hit {first:.0f} ms (HTTP {status}), second {second:.0f} ms, "
            f"difference {first - second:.0f} ms"
        )
    lines.append(
        f"Search, a new query each request (30 two-word queries, one at a time, the ranking "
        f"not cached yet): p50 {statistics.median(cold_search):.0f} ms, "
        f"max {max(cold_search):.0f} ms"
    )
    lines.append(
        f"Search, a new misspelt query each request (30 two-word queries with a typo in each "
        f"word: nothing found, corrected, searched again; one at a time): p50 "
        f"{statistics.median(cold_typo):.0f} ms, max {max(cold_typo):.0f} ms"
    )
    lines.append(
        "Listing after a publish (one analysis published through Wagtail; one at a time; the "
        "first brings the facet index up to date, the next take it from the shared cache or "
        "the worker's memory): " + ", ".join(f"{ms:.0f} ms" for ms in cold_listing)
    )
    lines.append(
        f"{pdf_received / 1024 / 1024:.0f} MB PDF: peak RSS growth of the serving worker "
        f"{pdf_growth:.1f} MiB (median of 3 downloads, {pdf_seconds:.2f} s each)"
    )
    return lines


def run_scenario(name, function, *argv):
    """A scenario's lines; a scenario that fails says so in the report, the others go on."""
    import traceback

    log(f"scenario: {name}")
    try:
        lines = function(*argv)
    except Exception as error:  # noqa: BLE001 - reported, and the next scenario runs
        traceback.print_exc()
        lines = ["", f"{name}: FAILED: {type(error).__name__}: {str(error)[:2000]}"]
    sys.stderr.write("\n".join(lines) + "\n")
    return lines


def main():
    args = parse_args()
    app_dir = Path(args.app_dir).resolve()
    if not (app_dir / "manage.py").exists():
        sys.exit(f"{app_dir} has no manage.py")
    commit = checkout(app_dir)
    args.database_url = args.database_url or default_database_url(args, app_dir, commit)

    wrk_path = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="pub-bench-"))
    redis = scenarios.BenchRedis(workdir, args.redis_url)
    bench = None
    sections, notes = [], []
    try:
        bench = Bench(args, app_dir, workdir, wrk_path, redis)
        seed_seconds = prepare_database(bench, args)
        bench.count = count_analyses(args.database_url)
        flush_redis(redis.url)

        if "million" in args.only:
            log("facet index: build, memory, snapshot, update after a publish")
            sections += run_scenario("facet index", scenarios.index_memory, bench)
            flush_redis(redis.url)

        bench.server = bench.start_server()
        try:
            bench.pages, notes = choose_pages(bench)
            for name, function in (
                ("pages", pages_scenario),
                ("pollution", scenarios.pollution),
                ("storm", scenarios.storm),
                ("outage", scenarios.outage),
            ):
                if name in args.only:
                    sections += run_scenario(name, function, bench)
            if "million" in args.only:
                sections += run_scenario(
                    "million pages", scenarios.million_pages, bench, SERIAL_REQUESTS
                )
        finally:
            bench.server.stop()
        if "recycling" in args.only:
            sections += run_scenario("recycling", scenarios.recycling, bench)
    finally:
        redis.stop()

    cache = (
        f"the bench's own redis-server, maxmemory {redis.maxmemory}, allkeys-lru"
        if redis.own
        else redis.url
    )
    lines = [
        f"Benchmark: {bench.count:,} analyses; code under test: {app_dir} at {commit}; "
        f"scenarios: {', '.join(args.only)}; gunicorn 2 sync workers, production settings, "
        f"Redis cache ({cache}); "
        f"wrk -t2 -c{args.connections}, {args.duration} s per run, median of "
        f"{args.rounds} rounds; loopback.",
        f"Machine: {machine()}",
        f"Seeding: {seed_seconds:.0f} s" if seed_seconds == seed_seconds else "Seeding: reused",
        *sections,
        "",
    ]
    lines.extend(f"Note: {note}" for note in notes)
    print("\n".join(lines))
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
