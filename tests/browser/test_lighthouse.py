"""Lighthouse on the production server: the home page, the analyses listing, an analysis, a
research centre, an expert and the search page must each score at least 95 in performance,
accessibility, best practices and SEO, as Lighthouse measures a phone by default (its mobile form
factor and simulated slow 4G), in the median of three runs. Search results are held to the same,
but for the one SEO audit they fail on purpose (they are kept out of search engines).

The server is the production one (tests/test_production_smoke.py): the production settings
(DEBUG off, the strict Content-Security-Policy, WhiteNoise's hashed and compressed static files)
under gunicorn, with the background worker, after ``migrate`` and ``collectstatic``, on a fresh
database (SQLite in a temporary directory, or ``<name>_lighthouse`` on the PostgreSQL server of
``DATABASE_URL``) loaded with the demo content. In front of it stands what stands in front of it in
production (the README's nginx): a proxy that sets ``X-Forwarded-Proto`` and serves the public
media (images), the only part of MEDIA_ROOT that is public, itself.

Lighthouse is the npm package (``npm ci``, pinned in package-lock.json), driving Debian's
Chromium (``$CHROME_PATH``, else ``/usr/bin/chromium``). Its reports, JSON and HTML, go to
``test-artifacts/lighthouse/`` (kept by CI with the other test artifacts), with ``scores.json``
(every run's scores) and, after a failure, the server's logs. A page below the threshold fails
with the audits it lost points on. Without Chromium or Lighthouse the test is skipped, with the
reason; with ``REQUIRE_BROWSER_TESTS=1`` (CI) it fails instead.
"""

import contextlib
import gzip
import http.client
import http.server
import json
import mimetypes
import os
import shutil
import subprocess
import threading
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser.conftest import REPO_ROOT, missing_prerequisite
from tests.live_server_support import ThrowAwayPostgresDatabase, free_port, is_postgres
from tests.test_production_smoke import (
    production_environment,
    run_manage,
    running_production_server,
)

pytestmark = pytest.mark.browser

LIGHTHOUSE = REPO_ROOT / "node_modules" / ".bin" / "lighthouse"
REPORTS_DIR = REPO_ROOT / "test-artifacts" / "lighthouse"
DEFAULT_CHROME = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
THRESHOLD = 0.95
LIGHTHOUSE_TIMEOUT = 180  # seconds for one page's run
RUNS = 3  # of each page, for the median
ATTEMPTS = 3  # of each run, when Lighthouse itself fails to complete one
PAGES = ("home", "listing", "analysis", "centre", "expert", "search")

# --- What stands in front of the app in production -------------------------------------------

# The README's nginx serves these from MEDIA_ROOT, with `expires 30d`; the rest of /media/ is not
# public (documents go through the app, which checks their privacy).
PUBLIC_MEDIA = ("/media/images/", "/media/original_images/")
MEDIA_CACHE_CONTROL = "max-age=2592000"
# ... and compresses the app's text answers (`gzip on` and `gzip_types`; WhiteNoise's static files
# come compressed already).
COMPRESSED_TYPES = {
    "text/html",
    "text/plain",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
}
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
}


class FrontProxy(http.server.ThreadingHTTPServer):
    """The TLS proxy of the README's deployment, without the TLS: it tells the app the request
    came over HTTPS (``X-Forwarded-Proto``, overwriting any the client sent), passes the client's
    address on, and serves the public media itself. ``upstream``: the app's port."""

    daemon_threads = True

    def __init__(self, media_root):
        super().__init__(("127.0.0.1", free_port()), FrontProxyHandler)
        self.media_root = Path(media_root).resolve()
        self.upstream = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class FrontProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        if path.startswith("/media/"):
            self.serve_media(path)
        else:
            self.forward()

    do_HEAD = do_GET

    def do_POST(self):
        self.forward()

    def send_body(self, status, headers, body):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def serve_media(self, path):
        media_root = self.server.media_root
        file = (media_root / path.removeprefix("/media/")).resolve()
        if (
            not path.startswith(PUBLIC_MEDIA)
            or not file.is_relative_to(media_root)
            or not file.is_file()
        ):
            self.send_body(404, [("Content-Type", "text/plain")], b"Not found")
            return
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        headers = [("Content-Type", content_type), ("Cache-Control", MEDIA_CACHE_CONTROL)]
        self.send_body(200, headers, file.read_bytes())

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {
            name: value
            for name, value in self.headers.items()
            if name.lower() not in HOP_BY_HOP and not name.lower().startswith("x-forwarded-")
        }
        headers["X-Forwarded-Proto"] = "https"
        headers["X-Forwarded-For"] = self.client_address[0]
        connection = http.client.HTTPConnection("127.0.0.1", self.server.upstream, timeout=60)
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            kept = [
                (name, value)
                for name, value in response.getheaders()
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length"
            ]
            content_type = (response.getheader("Content-Type") or "").split(";")[0].strip()
            if (
                content_type in COMPRESSED_TYPES
                and "gzip" in self.headers.get("Accept-Encoding", "")
                and not response.getheader("Content-Encoding")
            ):
                content = gzip.compress(content, compresslevel=1)
                kept += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
            self.send_body(response.status, kept, content)
        finally:
            connection.close()


@contextlib.contextmanager
def front_proxy(media_root):
    proxy = FrontProxy(media_root)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()


# --- Prerequisites ----------------------------------------------------------------------------


def chrome_path():
    path = os.environ.get("CHROME_PATH") or os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROME
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        missing_prerequisite(
            f"Chromium not found at {path} (apt-get install chromium, or set CHROME_PATH)"
        )
    return path


def lighthouse_command():
    if shutil.which("node") is None:
        missing_prerequisite("Node.js is not installed: Lighthouse runs on it")
    if not LIGHTHOUSE.is_file():
        missing_prerequisite(f"Lighthouse not found at {LIGHTHOUSE} (`npm ci` at the repo root)")
    return str(LIGHTHOUSE)


# --- The site ---------------------------------------------------------------------------------


class Links(HTMLParser):
    """The href of every link in a page, with the classes of the elements it is in."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__()
        self.stack, self.links = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag == "a" and attrs.get("href"):
            self.links.append((attrs["href"], set().union(*self.stack, classes)))
        if tag not in self.VOID:
            self.stack.append(classes)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def first_link(base_url, path, css_class):
    """The path of the first link inside an element of ``css_class`` on the page at ``path``."""
    parser = Links()
    parser.feed(fetch(base_url + path))
    for href, classes in parser.links:
        if css_class in classes:
            return urlsplit(href).path
    pytest.fail(f"no link inside .{css_class} on {path}", pytrace=False)


def find_pages(base_url):
    """The path of each page under test: the analyses index from the home page's navigation, the
    seed analysis in it, the centre and the expert from that analysis' links."""
    from publications.demo import content

    pages = {"home": "/en/", "search": "/en/search/", "search results": "/en/search/?q=diplomacy"}
    pages["listing"] = first_link(base_url, "/en/", "site-nav")
    pages["analysis"] = f"{pages['listing']}{content.SUBNATIONAL_SLUG}/"
    pages["centre"] = first_link(base_url, pages["analysis"], "analysis__units")
    pages["expert"] = first_link(base_url, pages["analysis"], "analysis__authors")
    return pages


@pytest.fixture(scope="module")
def production_site(request, tmp_path_factory):
    """The base URL of the production server (behind its front proxy) with the demo content,
    and the path of each page under test."""
    chrome_path()
    lighthouse_command()
    shutil.rmtree(REPORTS_DIR, ignore_errors=True)  # the previous run's
    workdir = tmp_path_factory.mktemp("lighthouse")
    (workdir / "media").mkdir()
    outer_url = os.environ.get("DATABASE_URL", "")
    postgres = None
    if is_postgres(outer_url):
        postgres = ThrowAwayPostgresDatabase(outer_url, "lighthouse")
        postgres.create()
        database_url = postgres.url
    else:
        database_url = f"sqlite:///{workdir / 'lighthouse.sqlite3'}"
    try:
        with front_proxy(workdir / "media") as proxy:
            env = production_environment(database_url, "", workdir)  # no Redis: one server
            env.update(
                {
                    "ALLOWED_HOSTS": f"{env['ALLOWED_HOSTS']},127.0.0.1",
                    "SITE_BASE_URL": proxy.base_url,
                    "WAGTAILADMIN_BASE_URL": proxy.base_url,
                }
            )
            run_manage(["migrate", "--noinput"], env, workdir)
            # The renditions and the search index are made as the demo is loaded, instead of by
            # the worker while Lighthouse measures.
            immediate = {"TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
            run_manage(["load_demo_content"], {**env, **immediate}, workdir)
            with running_production_server(env, workdir) as server:
                proxy.upstream = server.port
                pages = find_pages(proxy.base_url)
                for path in pages.values():  # a reader has been there before: the page cache
                    fetch(proxy.base_url + path)
                yield proxy.base_url, pages
    finally:
        if request.session.testsfailed:
            # migrate, load_demo_content, collectstatic, gunicorn and the worker: for CI artefacts
            REPORTS_DIR.mkdir(parents=True, exist_ok=True)
            for log in workdir.glob("*.log"):
                shutil.copy(log, REPORTS_DIR / log.name)
        if postgres:
            postgres.drop()


# --- Lighthouse -------------------------------------------------------------------------------


def report_path(name, extension):
    """``test-artifacts/lighthouse/<name>.report.<json|html>``."""
    return REPORTS_DIR / f"{name.replace(' ', '-')}.report.{extension}"


def run_lighthouse(url, name):
    """One Lighthouse run of ``url``: its report (a dict), kept as ``<name>.report.json`` and
    ``.html``. A run that Lighthouse itself could not complete (it happens on a busy machine:
    "Something went wrong with recording the trace... Please run Lighthouse again") is run again,
    up to ATTEMPTS times in all; then the test fails with Lighthouse's message."""
    REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    json_path = report_path(name, "json")
    command = [
        lighthouse_command(),
        url,
        "--output=json",
        "--output=html",
        f"--output-path={str(json_path).removesuffix('.report.json')}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": chrome_path()}
    for _attempt in range(ATTEMPTS):
        json_path.unlink(missing_ok=True)
        try:
            result = subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=LIGHTHOUSE_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            error = f"it took more than {LIGHTHOUSE_TIMEOUT} s"
            continue
        if not json_path.is_file():
            error = f"it exited with {result.returncode}.\n{result.stderr[-5000:]}"
            continue
        report = json.loads(json_path.read_text())
        if not report.get("runtimeError"):
            return report
        error = report["runtimeError"]["message"]
    pytest.fail(f"Lighthouse failed {ATTEMPTS} times on {url}: {error}", pytrace=False)


def median_report(url, name):
    """The median of RUNS runs of Lighthouse on ``url`` by performance score, as Lighthouse's
    documentation advises against its variance (the simulated throttling scales the main-thread
    work it observes, which other processes on the machine slow down). The median run's reports
    are ``<name>.report.*``, the others ``<name> run <n>.report.*``."""
    reports = [run_lighthouse(url, f"{name} run {number}") for number in range(1, RUNS + 1)]
    ranked = sorted(
        range(RUNS), key=lambda run: reports[run]["categories"]["performance"]["score"] or 0
    )
    median = ranked[RUNS // 2]
    for extension in ("json", "html"):
        shutil.copyfile(
            report_path(f"{name} run {median + 1}", extension), report_path(name, extension)
        )
    scores = {
        run: {category: reports[run]["categories"][category]["score"] for category in CATEGORIES}
        for run in range(RUNS)
    }
    summary_path = REPORTS_DIR / "scores.json"
    summary = json.loads(summary_path.read_text()) if summary_path.is_file() else {}
    summary[name] = {
        "url": url,
        "median": scores[median],
        "runs": [scores[run] for run in range(RUNS)],
    }
    summary_path.write_text(json.dumps(summary, indent=2))
    return reports[median]


def lost_points(report, category, ignore=()):
    """The audits of ``category`` that count towards its score and did not get full marks (an
    audit that could not run counts as 0), each as "title (id): score, what Lighthouse shows",
    the heaviest first; for performance, then the audits that say what would improve it."""
    audits = report["audits"]
    refs = sorted(
        (ref for ref in report["categories"][category]["auditRefs"] if ref["weight"] > 0),
        key=lambda ref: -ref["weight"],
    )
    lines = []
    for ref in refs:
        audit = audits[ref["id"]]
        if ref["id"] in ignore or audit["scoreDisplayMode"] in {"notApplicable", "manual"}:
            continue
        if audit["scoreDisplayMode"] == "error":
            error = audit.get("errorMessage", "")
            lines.append(f"  {audit['title']} ({ref['id']}): could not run: {error}")
        elif audit["score"] is not None and audit["score"] < 1:
            shown = f", {audit['displayValue']}" if audit.get("displayValue") else ""
            lines.append(f"  {audit['title']} ({ref['id']}): {audit['score']:.2f}{shown}")
    if category == "performance" and lines:
        for audit in audits.values():
            savings = audit.get("metricSavings") or {}
            if audit["score"] is not None and audit["score"] < 1 and any(savings.values()):
                lines.append(f"  to improve: {audit['title']} ({audit['id']})")
    return lines


def below_threshold(report, categories):
    """{category: (score, lost points)} of the categories below THRESHOLD."""
    failing = {}
    for category in categories:
        score = report["categories"][category]["score"]
        if score is None or score < THRESHOLD:
            failing[category] = (score, lost_points(report, category))
    return failing


def failure_message(name, path, failing):
    lines = [f"Lighthouse on {path} ({name}), below {round(THRESHOLD * 100)}:"]
    for category, (score, lost) in failing.items():
        lines.append(f"{category}: {'no score' if score is None else round(score * 100)}")
        lines += lost
    lines.append(f"Report: {report_path(name, 'html')} (the median of {RUNS} runs)")
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_each_page_type_scores_at_least_95_in_every_category(production_site, name):
    base_url, pages = production_site
    report = median_report(base_url + pages[name], name)
    failing = below_threshold(report, CATEGORIES)
    if failing:
        pytest.fail(failure_message(name, pages[name], failing), pytrace=False)


def test_search_results_score_at_least_95_and_stay_out_of_search_engines(production_site):
    """Search results are kept from search engines on purpose (``noindex``, and robots.txt; the
    search page itself is not): Google's guidelines ask sites not to let their internal search
    results be crawled. Lighthouse's SEO category counts that against them, so it is checked
    audit by audit here: every one passes but "Page isn't blocked from indexing", which must
    fail, and for the noindex reason."""
    base_url, pages = production_site
    name = "search results"
    report = median_report(base_url + pages[name], name)
    failing = below_threshold(report, [c for c in CATEGORIES if c != "seo"])
    lost = lost_points(report, "seo", ignore={"is-crawlable"})
    if lost:
        failing["seo"] = (report["categories"]["seo"]["score"], lost)
    if failing:
        pytest.fail(failure_message(name, pages[name], failing), pytrace=False)
    crawlable = report["audits"]["is-crawlable"]
    assert crawlable["score"] == 0, "search results must not be indexed"
    blocking = json.dumps(crawlable["details"])
    assert "noindex" in blocking, blocking
