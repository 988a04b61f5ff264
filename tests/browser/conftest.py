"""Fixtures of the browser tests: one Chromium and one real server per session.

The site under test is not Django's test database: a fresh database is migrated and loaded with
``manage.py load_demo_content`` (what a newcomer sees after ``make run``), then served by
``manage.py runserver`` in a subprocess, with the development settings. These tests never touch
the ORM, so they need neither pytest-django's ``db`` fixture nor a ``django_db`` mark.

What they need from the machine:

- Chromium at ``$CHROMIUM_PATH`` or ``/usr/bin/chromium`` (Debian: ``apt-get install chromium``);
  Playwright's own browser downloads are never used.
- axe-core at ``node_modules/axe-core/axe.min.js`` (``npm ci``), for the accessibility tests.

When one of them is missing the tests that need it are skipped, with the reason; when the
environment sets ``REQUIRE_BROWSER_TESTS=1`` (CI does) they fail instead, so that a broken CI image
cannot turn the browser suite into a row of silent skips.

``DATABASE_URL`` of the outer environment chooses the database engine: SQLite in a temporary
directory by default; with a PostgreSQL URL, a separate database ``<name>_browser`` on the same
server, dropped and created before the run and dropped after it.

When a test fails, its screenshot and HTML go to ``test-artifacts/browser/`` (git-ignored), with
the logs of migrate, load_demo_content and the server.
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.live_server_support import (
    ThrowAwayPostgresDatabase,
    free_port,
    is_postgres,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts" / "browser"
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_TIMEOUT = 60  # seconds until runserver must answer
COMMAND_TIMEOUT = 600  # seconds for migrate and load_demo_content each
DEFAULT_TIMEOUT_MS = 10_000  # Playwright: actions and expectations

SEED_TITLE = "The Influence of Strategic Subnational Diplomacy in International Relations"

_report_key = pytest.StashKey[dict]()
# The environment and work directory of the server under test, for ``site_manage``.
_site_key = pytest.StashKey[tuple]()


# --- Prerequisites: skip, or fail when REQUIRE_BROWSER_TESTS=1 --------------------------------


def browser_tests_required():
    return os.environ.get("REQUIRE_BROWSER_TESTS", "").strip().lower() in {"1", "true", "yes"}


def missing_prerequisite(reason):
    """Skip the test, or fail it when the environment says the browser tests must run."""
    if browser_tests_required():
        pytest.fail(f"{reason} (REQUIRE_BROWSER_TESTS=1, so this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_executable():
    """The Chromium binary, after checking that it and Playwright are there."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing_prerequisite(
            "the Playwright Python package is not installed (pip install -e '.[dev]')"
        )
    path = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        missing_prerequisite(
            f"Chromium not found at {path} (apt-get install chromium, or set CHROMIUM_PATH)"
        )
    return path


@pytest.fixture(scope="session")
def axe_script():
    """The path of axe-core's browser build, installed from package-lock.json by ``npm ci``."""
    if not AXE_PATH.is_file():
        missing_prerequisite(f"axe-core not found at {AXE_PATH} (run `npm ci` at the repo root)")
    return AXE_PATH


# --- The server: a fresh database, the demo content, runserver on a free port -----------------


def run_manage(args, env, log_dir):
    """Run a management command; on failure, stop the session with its output. Returns what
    the command printed."""
    name = args[0]
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"`manage.py {' '.join(args)}` took more than {exc.timeout} s", pytrace=False)
    (log_dir / f"{name}.log").write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        pytest.fail(
            f"`manage.py {' '.join(args)}` exited with {result.returncode} after "
            f"{time.monotonic() - started:.0f} s.\n--- stdout ---\n{result.stdout[-5000:]}\n"
            f"--- stderr ---\n{result.stderr[-10000:]}",
            pytrace=False,
        )
    return result.stdout


def wait_until_answering(url, process, stderr_path, timeout=SERVER_START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"runserver exited with {process.returncode} before answering {url}.\n"
                f"--- stderr ---\n{stderr_path.read_text()[-10000:]}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers; what it answers is for the tests to judge
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.2)
    pytest.fail(
        f"runserver did not answer {url} within {timeout} s.\n"
        f"--- stderr ---\n{stderr_path.read_text()[-10000:]}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def site_url(request, chromium_executable):
    """The base URL (``http://127.0.0.1:<port>``) of a development server loaded with the demo
    content. It needs Chromium only in that without it nobody would browse it: asking for it first
    means a machine without Chromium skips before paying for migrations."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        shutil.rmtree(ARTIFACTS_DIR, ignore_errors=True)  # the previous run's
    workdir = Path(tempfile.mkdtemp(prefix="publications-browser-"))
    media_root = workdir / "media"
    media_root.mkdir()
    outer_url = os.environ.get("DATABASE_URL", "")
    postgres = ThrowAwayPostgresDatabase(outer_url, "browser") if is_postgres(outer_url) else None
    if postgres:
        postgres.create()
        database_url = postgres.url
    else:
        database_url = f"sqlite:///{workdir / 'browser.sqlite3'}"

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "true",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "SITE_BASE_URL": base_url,
        "WAGTAILADMIN_BASE_URL": base_url,
        "PYTHONUNBUFFERED": "1",
    }
    process = None
    stderr_path = workdir / "runserver.log"
    try:
        run_manage(["migrate", "--noinput"], env, workdir)
        run_manage(["load_demo_content"], env, workdir)
        with stderr_path.open("w") as stderr:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=REPO_ROOT,
                env=env,
                stdout=stderr,
                stderr=subprocess.STDOUT,
            )
        wait_until_answering(f"{base_url}/en/", process, stderr_path)
        request.config.stash[_site_key] = (env, workdir)
        yield base_url
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if request.session.testsfailed:
            # The server's log (requests, tracebacks) and the commands' output, for CI artefacts.
            ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
            for log in workdir.glob("*.log"):
                shutil.copy(log, ARTIFACTS_DIR / log.name)
        shutil.rmtree(workdir, ignore_errors=True)
        if postgres:
            postgres.drop()


@pytest.fixture
def site_manage(request, site_url):
    """Run a management command against the server's database, as its operator would:
    ``site_manage(["shell", "-c", "..."])``; it returns what the command printed."""
    env, workdir = request.config.stash[_site_key]
    return lambda args: run_manage(args, env, workdir)


# --- The browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, site_url):
    """A fresh browser context per test (no shared cookies), that only talks to the site under
    test: any other request is aborted, so that the tests never depend on the network."""
    context = browser.new_context(base_url=site_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    site_origin = urlsplit(site_url).netloc

    def only_the_site(route):
        parts = urlsplit(route.request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc != site_origin:
            route.abort()
        else:
            route.continue_()

    context.route("**/*", only_the_site)
    yield context
    context.close()


@pytest.fixture
def page(request, context):
    page = context.new_page()
    yield page
    report = request.node.stash.get(_report_key, {}).get("call")
    if report is not None and report.failed:
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"), full_page=True)
            (ARTIFACTS_DIR / f"{name}.html").write_text(page.content())
    page.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so that fixtures can tell a failure at teardown."""
    report = yield
    item.stash.setdefault(_report_key, {})[report.when] = report
    return report


# --- Finding the pages under test -------------------------------------------------------------


def log_in(page, username):
    """Sign in to the admin as one of the demo accounts (publications.demo.content)."""
    from playwright.sync_api import expect

    from publications.demo import content

    password = next(user["password"] for user in content.DEMO_USERS if user["username"] == username)
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def main_navigation_link(page, name):
    """A link of the site's navigation, by its accessible name."""
    return page.get_by_role("navigation").get_by_role("link", name=name, exact=True).first


def follow(page, link):
    """Click a link like a reader, and wait until its page is the one shown."""
    href = link.evaluate("a => a.href")
    link.click()
    page.wait_for_url(href)


def find_analysis_link(page, title, max_pages=10):
    """On an analyses listing, the link to an analysis by title, following "Next" pagination.
    Returns None when the title is on none of the pages."""
    for _ in range(max_pages):
        link = page.get_by_role("link", name=title)
        if link.count():
            return link.first
        next_link = page.get_by_role("link", name=re.compile(r"\bnext\b|suivant", re.I))
        if not next_link.count():
            return None
        follow(page, next_link.first)
    return None


@pytest.fixture(scope="session")
def site_pages(browser, site_url):
    """The URLs (paths) of the pages under test, in both languages, found as a reader finds them:
    the analyses index from each home's navigation, the seed analysis from the English index, its
    French version from the English page's hreflang="fr" link."""
    from playwright.sync_api import expect

    context = browser.new_context(base_url=site_url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        pages = {"en": {"home": "/en/"}, "fr": {"home": "/fr/"}}
        for language in ("en", "fr"):
            page.goto(pages[language]["home"])
            link = main_navigation_link(page, "Analyses")
            expect(link).to_be_attached()
            pages[language]["index"] = urlsplit(link.get_attribute("href")).path
        page.goto(pages["en"]["index"])
        link = find_analysis_link(page, SEED_TITLE)
        assert link is not None, f"{SEED_TITLE!r} is not listed on the English analyses index"
        follow(page, link)
        pages["en"]["analysis"] = urlsplit(page.url).path
        # "Available in" lists the translations; the header's language switcher is outside <main>.
        french = {
            urlsplit(href).path
            for href in page.locator('main a[hreflang="fr"]').evaluate_all(
                "links => links.map(link => link.href)"
            )
        }
        assert len(french) == 1, f'the English seed analysis has hreflang="fr" links to {french}'
        pages["fr"]["analysis"] = french.pop()
        return pages
    finally:
        context.close()
