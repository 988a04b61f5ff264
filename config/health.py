"""``/healthz``: is this app server able to serve? For load balancers and container healthchecks.

It checks the database (``SELECT 1``) and the shared cache (a write and a read):

- both answer: 200 ``{"database": "ok", "cache": "ok"}``;
- the cache does not: 200 ``{"database": "ok", "cache": "down"}``. The site works without it
  (slower: every page is rendered), so a load balancer must not take this server out of service
  for it: with one shared Redis, that would take every server out at once;
- the database does not: 503 ``{"database": "error", ...}``: nothing can be served.

The reason of a failure goes to the log, not to the anonymous caller. No login, never cached, and
exempt from the HTTPS redirect (``SECURE_REDIRECT_EXEMPT``) so that a load balancer can probe the
app over plain HTTP inside the private network.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

CACHE_KEY_PREFIX = "healthz:"


def check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")


def check_cache():
    """The production cache ignores a Redis outage (reads miss, writes are lost): a value
    written and not read back is how an outage shows."""
    key = f"{CACHE_KEY_PREFIX}{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return the value just written")
    finally:
        cache.delete(key)


@never_cache
@require_safe
def healthz(request):
    results = {}
    try:
        check_database()
    except Exception:  # noqa: BLE001 - any failure means "cannot serve", whatever raised it
        logger.exception("Health check: the database does not answer")
        results["database"] = "error"
    else:
        results["database"] = "ok"
    try:
        check_cache()
    except Exception:  # noqa: BLE001 - same; the site goes on without the cache
        logger.warning("Health check: the shared cache does not answer; pages are not cached")
        results["cache"] = "down"
    else:
        results["cache"] = "ok"
    return JsonResponse(results, status=200 if results["database"] == "ok" else 503)
