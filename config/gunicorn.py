"""gunicorn's settings for the production image: ``gunicorn -c config/gunicorn.py
config.wsgi:application`` (Dockerfile, docker-compose.yml). Environment: ``WEB_CONCURRENCY``
(workers, about two per core), ``GUNICORN_BIND``.

Workers are replaced after ``max_requests`` requests (plus up to ``max_requests_jitter``), a guard
against slow memory growth in long-lived processes. A replacement must not stall the server:

- ``preload_app``: Django, Wagtail and the project are imported once, in the master; a new
  worker is a fork of it, ready in milliseconds instead of the seconds that importing them takes;
- a jitter half as wide as the interval, so that the workers of a server come up for replacement
  far apart, never together;
- ``post_worker_init`` warms a new worker before its first request: its database connection,
  Wagtail's site root paths, and the facet index (from the shared snapshot, brought up to date).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 60
graceful_timeout = 30
preload_app = True
max_requests = 10_000
max_requests_jitter = 5_000
# The app is only reachable through the TLS proxy / load balancer (docker-compose.yml publishes
# it on 127.0.0.1 only), which sets X-Forwarded-Proto.
forwarded_allow_ips = "*"
accesslog = "-"
control_socket_disable = True


def post_fork(server, worker):
    """A forked worker must not share the master's database connections (none are opened while
    the app is loaded, but a connection is a socket: never share one across processes)."""
    from django.db import connections  # Django is set up by then (preload_app)

    connections.close_all()


def post_worker_init(worker):
    """Warm the new worker before it takes requests. A failure here (the database or the cache
    unreachable) is left to the first request, which will report it."""
    from wagtail.models import Site  # the app is loaded: these imports are only warm look-ups

    from publications import facet_index

    try:
        Site.get_site_root_paths()
        facet_index.current()
    except Exception:  # noqa: BLE001 - warming is an optimisation, never a reason to fail
        worker.log.warning("Worker warm-up failed; the first request will do the work.")
