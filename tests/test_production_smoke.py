"""The production stack, for real: the production settings under gunicorn (2 workers, loopback),
against a fresh PostgreSQL database and the machine's Redis, after ``migrate`` and
``collectstatic`` as the one-off deploy step runs them; then real HTTP requests, as a load
balancer and a reader's browser send them. Docker cannot run in CI; this is what stands in for
``docker compose up``.

It runs when ``DATABASE_URL`` is a PostgreSQL URL (the production engine) and gunicorn is
installed: a database ``<name>_smoke`` is created on that server and dropped after. Redis is
``SMOKE_REDIS_URL`` (default ``redis://127.0.0.1:6379/15``, flushed after). On SQLite it skips;
with ``REQUIRE_PRODUCTION_SMOKE=1`` (CI) a missing prerequisite fails instead of skipping.
"""

import contextlib
import http.client
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from tests.live_server_support import (
    ThrowAwayPostgresDatabase,
    free_port,
    is_postgres,
)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "publications.example.org"
START_TIMEOUT = 30  # seconds for gunicorn to answer /healthz
COMMAND_TIMEOUT = 600  # seconds for migrate and collectstatic each
REQUEST_TIMEOUT = 10


def missing_prerequisite(reason):
    if os.environ.get("REQUIRE_PRODUCTION_SMOKE", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (REQUIRE_PRODUCTION_SMOKE=1, so this is a failure, not a skip)")
    pytest.skip(reason)


def redis_answers(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def run_manage(args, env, log_dir):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    with open(os.path.join(log_dir, f"{args[0]}.log"), "w") as log:
        log.write(result.stdout + result.stderr)
    if result.returncode != 0:
        pytest.fail(
            f"`manage.py {' '.join(args)}` (production settings) exited with "
            f"{result.returncode}.\n--- stdout ---\n{result.stdout[-3000:]}\n"
            f"--- stderr ---\n{result.stderr[-6000:]}",
            pytrace=False,
        )


class Server:
    def __init__(self, port):
        self.port = port

    def request(self, path, method="GET", https=True, host=HOST, headers=None):
        """One request, redirects not followed. ``https`` adds the header that the TLS-terminating
        proxy in front of the app sets."""
        sent = {"Host": host, **(headers or {})}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, headers=sent)
            response = connection.getresponse()
            response.body = response.read()
            return response
        finally:
            connection.close()


def stop(process):
    """Stop gunicorn (the master and its workers: the session it leads)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def production_environment(database_url, redis_url, workdir):
    """The environment of the production settings, as the deploy's .env and compose give it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "DJANGO_", "SECURE_", "CSP_")) and key != "DEBUG"
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "WAGTAILADMIN_BASE_URL": f"https://{HOST}",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def production_prerequisites():
    """The outer PostgreSQL URL and the Redis URL, or a skip (a failure in CI)."""
    if importlib.util.find_spec("gunicorn") is None:
        missing_prerequisite("gunicorn is not installed (pip install -e '.[dev]')")
    outer_url = os.environ.get("DATABASE_URL", "")
    if not is_postgres(outer_url):
        missing_prerequisite(
            "the production smoke test needs PostgreSQL, the production database: run it with "
            "DATABASE_URL=postgres://... (CI does); skipped on SQLite"
        )
    redis_url = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not redis_answers(redis_url):
        missing_prerequisite(f"no Redis answers at {redis_url} (set SMOKE_REDIS_URL)")
    return outer_url, redis_url


@contextlib.contextmanager
def running_production_server(env, workdir):
    """gunicorn as the production image runs it (2 workers), with ``env``, on a free loopback
    port, once /healthz answers 200, and the background worker beside it; migrate and
    collectstatic first, as the one-off deploy step runs them."""
    (workdir / "media").mkdir(exist_ok=True)
    run_manage(["migrate", "--noinput"], env, workdir)
    run_manage(["collectstatic", "--noinput"], env, workdir)
    port = free_port()
    log_path = workdir / "gunicorn.log"
    process = None
    # The compose file's worker service: the background tasks (search indexing, PDF reading,
    # renditions).
    with (workdir / "worker.log").open("w") as worker_log:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"],
            cwd=REPO_ROOT,
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        with log_path.open("w") as log:
            # The production image's own command and settings (Dockerfile, config/gunicorn.py).
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"]
                + ["config.wsgi:application"],
                cwd=REPO_ROOT,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(port)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"gunicorn exited with {process.returncode}.\n{log_path.read_text()[-6000:]}",
                    pytrace=False,
                )
            with contextlib.suppress(OSError):
                if server.request("/healthz").status == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"gunicorn did not answer /healthz with 200 within {START_TIMEOUT} s.\n"
                    f"{log_path.read_text()[-6000:]}",
                    pytrace=False,
                )
            time.sleep(0.3)
        server.log_path = log_path
        yield server
    finally:
        if process is not None:
            stop(process)
        stop(worker)


def flush_redis(url):
    with contextlib.suppress(Exception):
        import redis

        redis.Redis.from_url(url).flushdb()


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """A production server on 127.0.0.1:<free port>; yields (Server, STATIC_ROOT)."""
    outer_url, redis_url = production_prerequisites()
    workdir = tmp_path_factory.mktemp("production-smoke")
    database = ThrowAwayPostgresDatabase(outer_url, "smoke")
    database.create()
    env = production_environment(database.url, redis_url, workdir)
    try:
        with running_production_server(env, workdir) as server:
            yield server, workdir / "static"
    finally:
        database.drop()
        flush_redis(redis_url)


def csp_directives(header):
    return {words[0]: words[1:] for words in (part.split() for part in header.split(";")) if words}


def test_healthz_for_the_load_balancer(production_server):
    server, _ = production_server
    response = server.request("/healthz")
    assert response.status == 200
    assert json.loads(response.body) == {"database": "ok", "cache": "ok"}
    assert "no-store" in response.getheader("Cache-Control", "")
    # A load balancer probes over plain HTTP inside the private network: no HTTPS redirect.
    assert server.request("/healthz", https=False).status == 200


def test_plain_http_is_redirected_to_https(production_server):
    server, _ = production_server
    response = server.request("/en/", https=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/en/"


def test_an_unknown_host_is_refused(production_server):
    server, _ = production_server
    assert server.request("/en/", host="attacker.example.com").status == 400


def test_a_public_page_carries_the_security_headers(production_server):
    server, _ = production_server
    response = server.request("/en/")
    assert response.status in (200, 404), response.body[:2000]
    csp = csp_directives(response.getheader("Content-Security-Policy", ""))
    assert csp.get("script-src") == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert csp.get("frame-ancestors") == ["'none'"]
    assert csp.get("object-src") == ["'none'"]
    hsts = response.getheader("Strict-Transport-Security", "")
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert "camera=()" in response.getheader("Permissions-Policy", "")
    assert response.getheader("Cross-Origin-Opener-Policy") == "same-origin"
    assert response.getheader("X-Frame-Options") == "DENY"


def test_static_files_have_hashed_names_compression_and_a_far_future_cache(production_server):
    server, static_root = production_server
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    name = "css/site.css" if "css/site.css" in manifest else "wagtailadmin/css/core.css"
    hashed = manifest[name]
    assert hashed != name
    response = server.request(f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.body  # the gzip-compressed file itself
    cache_control = response.getheader("Cache-Control", "")
    assert "max-age=315360000" in cache_control and "immutable" in cache_control
    assert response.getheader("Content-Encoding") == "gzip"


def test_the_admin_login_works_under_its_policy_with_secure_cookies(production_server):
    server, _ = production_server
    response = server.request("/admin/login/")
    assert response.status == 200
    csp = csp_directives(response.getheader("Content-Security-Policy", ""))
    assert csp.get("default-src") == ["'self'"]
    assert "'unsafe-eval'" not in csp.get("script-src", [])
    cookies = response.headers.get_all("Set-Cookie") or []
    csrf = next(cookie for cookie in cookies if cookie.startswith("csrftoken="))
    assert "Secure" in csrf and "HttpOnly" in csrf and "SameSite=Lax" in csrf


def test_media_files_are_not_served_by_the_app(production_server):
    server, _ = production_server
    assert server.request("/media/documents/analysis.pdf").status == 404
