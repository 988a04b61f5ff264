"""``/healthz``: is this app server able to serve? For load balancers and container healthchecks.

It checks what every page needs: the database (``SELECT 1``) and the shared cache (a write and a
read). 200 with ``{"database": "ok", "cache": "ok"}`` when both answer; 503 with the failing part
set to ``"error"`` otherwise (the reason goes to the log, not to the anonymous caller). No login,
never cached, and exempt from the HTTPS redirect (``SECURE_REDIRECT_EXEMPT``) so that a load
balancer can probe the app over plain HTTP inside the private network.
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
    key = f"{CACHE_KEY_PREFIX}{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return the value just written")
    finally:
        cache.delete(key)


CHECKS = {"database": check_database, "cache": check_cache}


@never_cache
@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure means "not healthy", whatever raised it
            logger.exception("Health check %r failed", name)
            results[name] = "error"
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(results, status=200 if healthy else 503)
