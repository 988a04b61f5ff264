"""Anonymous full-page caching in the shared cache (Redis in production), and the lookups kept
under the content generation (``publications.freshness``).

Every cached page is stored with the generation it was rendered under. A page stored under the
current generation is served as it is (``X-Page-Cache: hit``): one cache round trip, no SQL.
After a change, every page is *stale*, and is refreshed one URL at a time, when asked for:

- the first reader to ask for a stale page takes a short lock on it (``RENDER_LOCK_SECONDS``)
  and gets the stale copy (``stale``) while the page is rendered again in a thread of the same
  process (``revalidate_in_background``); other readers of the same URL get the stale copy too
  until the new one is stored: one re-render per URL, whatever the load, and no reader waits for
  it;
- a stale copy is served only within ``STALE_GRACE_SECONDS`` of the change. Later than that
  (nobody asked for the page meanwhile, or its renderer died), readers render it themselves: no
  reader sees a page older than that after a change, and a page that was unpublished, deleted or
  made private stops being served at once, at the latest after that grace;
- a page that is no longer cacheable when rendered again (unpublished: 404; made private) is
  dropped from the cache.

What is cached (``PageCacheMiddleware`` in ``config.middleware``): GET and HEAD requests under a
language prefix (/en/..., /fr/...), from readers without a session cookie, answered 200 with no
Set-Cookie, no CSRF token in the page, and no ``Cache-Control: private/no-store/no-cache``. Never
the admin, documents, /healthz, previews (they are served by the admin's URLs) or private pages (a
reader who may see one has a session). Settings:

- ``PAGE_CACHE_ENABLED`` (default True; the test settings turn it off, except in the tests of the
  cache itself, so that query counts measure the uncached page);
- ``PAGE_CACHE_TIMEOUT`` (seconds an entry lives, default 300);
- ``PAGE_CACHE_CONTROL`` (the ``Cache-Control`` of a cacheable anonymous page, for browsers and
  a CDN in front);
- ``PAGE_CACHE_BYPASS_HEADER`` (benchmarks only: when set, e.g. to ``X-Bench-No-Cache``, a
  request carrying that header is neither served from nor stored in the cache).

The cache is an accelerator, never a dependency: the production backend ignores a Redis outage
(``IGNORE_EXCEPTIONS``), so every read here is then a miss and every write is lost, and pages are
rendered as if nothing were cached.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse
from django.utils.translation import get_language_from_path

from publications import freshness
from publications.memo import per_request

logger = logging.getLogger(__name__)

KEY_PREFIX = "page:"
DEFAULT_CACHE_CONTROL = "public, max-age=60, s-maxage=300, stale-while-revalidate=60"
PRIVATE_CACHE_CONTROL = "private, no-cache"
STALE_CACHE_CONTROL = "public, max-age=0, s-maxage=0"
# Headers never stored with a cached page: they belong to one response only.
UNCACHED_HEADERS = {"set-cookie", "x-page-cache", "date"}
# A stale page may be served, while one reader renders it again, this long after a change.
STALE_GRACE_SECONDS = 10
# The lock of the reader who renders a stale page again expires after this (should it die).
RENDER_LOCK_SECONDS = 10
# How many lookups kept under the generation each process also holds in its own memory.
RECENT_LOOKUPS = 1000

HIT, MISS, STALE = "hit", "miss", "stale"
_RENDERED_FROM = "page-cache:rendered-from"


# --- Which requests and responses are cacheable --------------------------------------------------


def enabled():
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def _bypass_requested(request):
    header = getattr(settings, "PAGE_CACHE_BYPASS_HEADER", "")
    if not header:
        return False
    meta_name = "HTTP_" + header.upper().replace("-", "_")
    return meta_name in request.META


def has_session(request):
    """A reader with a session (logged in, or through a password-protected page) may see what
    others may not: never cache for them, never serve them from the cache."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def is_public_path(request):
    """Public pages live under a language prefix (/en/, /fr/). The admin, documents, /healthz,
    static and media files do not."""
    return get_language_from_path(request.path_info) is not None


def request_is_cacheable(request):
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and is_public_path(request)
        and not has_session(request)
        and not _bypass_requested(request)
    )


def do_not_store(request):
    """Keep this response out of the cache (a search that found nothing: a random query string
    must not take room in the cache)."""
    per_request(request, "page-cache:do-not-store", lambda: True)


def _store_refused(request):
    return per_request(request, "page-cache:do-not-store", lambda: False)


def response_is_cacheable(request, response):
    if response.status_code != 200 or response.streaming:
        return False
    if request.method != "GET" or response.cookies:
        return False
    if getattr(request, "is_preview", False) or _store_refused(request):
        return False
    # A page with a CSRF token in it (a form) is personal to the reader's CSRF cookie.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    # Authenticated in some other way than the session cookie (a header, a test client force_login
    # always has the cookie): never.
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


# --- Keys and entries ----------------------------------------------------------------------------


def page_key(request):
    """The full URL (scheme, host, path and query string) and the language. The generation is
    stored in the entry, not in the key, so that one round trip reads both (``lookup``)."""
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    language = get_language_from_path(request.path_info) or ""
    digest = hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()
    return f"{KEY_PREFIX}{language}:{digest}"


def _lock_key(key):
    return f"{key}:rendering"


@dataclass
class Lookup:
    state: str  # HIT, STALE or MISS
    response: HttpResponse | None = None  # what to serve at once (HIT, STALE)
    locked: bool = False  # this request renders the page again and must release the lock
    stale: HttpResponse | None = None  # with ``locked``: the stale copy it may serve meanwhile


def lookup(request, key):
    """What the cache has for ``key``: a fresh page (HIT), a stale page another reader is
    rendering again (STALE), or nothing to serve (MISS: render it, and with ``locked``, this
    request is the one that renders a stale page again). One round trip reads the generation and
    the entry together; a stale entry costs one more (the lock)."""
    values = cache.get_many([freshness.GENERATION_KEY, key])
    generation = freshness.current(request, cached=values.get(freshness.GENERATION_KEY))
    entry = values.get(key)
    if entry is None:
        return Lookup(MISS)
    made_under, frozen = entry
    if made_under == generation.key:
        return Lookup(HIT, thaw(frozen))
    if time.time() - generation.changed_at >= STALE_GRACE_SECONDS:
        return Lookup(MISS)  # too old to serve while someone renders it: render it here
    if cache.add(_lock_key(key), 1, timeout=RENDER_LOCK_SECONDS):
        return Lookup(MISS, locked=True, stale=thaw(frozen))
    return Lookup(STALE, thaw(frozen))


def revalidate_in_background():
    """Does the reader who takes the lock of a stale page get the stale copy too, the page being
    rendered again in a thread of the same process once it is answered? (Production: yes, no
    reader waits for a render after a change. The test settings render in the request, on the
    test's own database connection.)"""
    return getattr(settings, "PAGE_CACHE_REVALIDATE_IN_BACKGROUND", True)


def in_background(work):
    """Run ``work()`` in a thread of its own, with its own database connection, closed after."""

    def run():
        try:
            work()
        except Exception:  # noqa: BLE001 - a failed refresh leaves the stale page to expire
            logger.exception("Rendering a stale page again failed")
        finally:
            connections.close_all()

    threading.Thread(target=run, name="page-cache-refresh", daemon=True).start()


def rendered_from(request, generation_key):
    """Say that this request renders from data older than the current generation (a facet index
    being rebuilt elsewhere): its page is stored as stale, and rendered again later."""
    per_request(request, _RENDERED_FROM, lambda: generation_key)


def store(request, key, response):
    """Store the response under the generation read when the request started (or the older
    one its data came from): if content changed while it was rendered, the entry is already
    stale."""
    made_under = per_request(request, _RENDERED_FROM, lambda: freshness.current(request).key)
    cache.set(key, (made_under, freeze(response)), timeout=timeout())


def drop(key):
    """Forget a page that is no longer cacheable (unpublished, made private...)."""
    cache.delete(key)


def release(key):
    cache.delete(_lock_key(key))


def freeze(response):
    """What is stored: status, headers (those of this response only left out), body."""
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in UNCACHED_HEADERS
    ]
    return (response.status_code, headers, response.content)


def thaw(frozen):
    status, headers, content = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def timeout():
    return getattr(settings, "PAGE_CACHE_TIMEOUT", 300)


def cache_control():
    return getattr(settings, "PAGE_CACHE_CONTROL", DEFAULT_CACHE_CONTROL)


# --- Lookups kept under the generation ----------------------------------------------------------


def generation_key(request, *parts):
    """A cache key that changes with the content generation."""
    return ":".join(["gen", freshness.current(request).key, *map(str, parts)])


class _RecentLookups:
    """The lookups this process read or computed lately, by their key (which names one
    generation: an entry is never stale, an old one merely falls out). They cost no round trip
    to Redis, and keep the site fast when Redis is down."""

    def __init__(self, size):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


recent_lookups = _RecentLookups(RECENT_LOOKUPS)


def cached(request, name, compute, timeout=3600):
    """``compute()``, kept under the content generation (``name`` is a tuple of key parts): for
    lookups that change only when content changes (the navigation, the restricted sections, the
    section pages, search rankings...). Read once per request, however often it is asked for:
    from this process's recent lookups, else from the shared cache, else computed and kept in
    both. A ``compute()`` that returns None is not kept."""
    key = generation_key(request, *name)

    def read():
        value = recent_lookups.get(key)
        if value is None:
            value = cache.get(key)
            if value is None:
                value = compute()
                if value is not None:
                    cache.set(key, value, timeout=timeout)
            if value is not None:
                recent_lookups.put(key, value)
        return value

    return per_request(request, ("cached", key), read)
