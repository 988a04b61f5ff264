"""Anonymous full-page caching in the shared cache (Redis in production), and the content
"generation" that invalidates it.

One number, the *generation*, lives in the cache. Every cached page is stored with the
generation it was rendered under (and read together with the current one, in one round trip),
and every cached lookup (navigation, view restrictions, the site) has it in its key. Whenever
anything a public page may show changes (a page is published, unpublished, moved or deleted; a
taxonomy term, a document, an image, a locale, a site or a view restriction is saved or deleted:
see ``publications.signals``), the generation is bumped, and everything written before is stale
at once, on every app server; Redis evicts the old entries by their timeout. No list of "which
pages show this analysis" is needed, so no page can be forgotten.

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
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language_from_path

GENERATION_KEY = "content-generation"
KEY_PREFIX = "page:"
DEFAULT_CACHE_CONTROL = "public, max-age=60, s-maxage=300, stale-while-revalidate=60"
PRIVATE_CACHE_CONTROL = "private, no-cache"
# Headers never stored with a cached page: they belong to one response only.
UNCACHED_HEADERS = {"set-cookie", "x-page-cache", "date"}


# --- The content generation ---------------------------------------------------------------------


def current_generation(request=None):
    """The content generation (an int), read once per request. One cache read, no SQL."""
    if request is not None and hasattr(request, "_content_generation"):
        return request._content_generation
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            # A fresh (or flushed) cache: start from the clock, so that no key written before a
            # flush can match again.
            generation = time.time_ns() // 1000
            if not cache.add(GENERATION_KEY, generation, timeout=None):
                generation = cache.get(GENERATION_KEY, generation)
    except Exception:  # noqa: BLE001 - cache unreachable: a key that matches nothing, ever
        generation = f"down-{time.time_ns()}"
    if request is not None:
        request._content_generation = generation
    return generation


def bump_generation():
    """Make every cached page and navigation entry stale, on every app server at once."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (yet, or any more): any new value will do
        cache.set(GENERATION_KEY, time.time_ns() // 1000, timeout=None)


def generation_key(request, *parts):
    """A cache key that changes with the content generation: for cached lookups (navigation...)."""
    return ":".join(["gen", str(current_generation(request)), *map(str, parts)])


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


def response_is_cacheable(request, response):
    if response.status_code != 200 or response.streaming:
        return False
    if request.method != "GET" or response.cookies:
        return False
    if getattr(request, "is_preview", False) or getattr(request, "page_cache_skip", False):
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


def lookup(request, key):
    """The cached response for ``key`` if it was stored under the current generation, else None.
    One cache round trip for the generation and the entry together; the generation is kept on
    the request for the other lookups of this request (navigation...)."""
    try:
        values = cache.get_many([GENERATION_KEY, key])
    except Exception:  # noqa: BLE001 - cache down: render
        return None
    generation = values.get(GENERATION_KEY)
    if generation is None:
        return None  # a fresh cache: current_generation() will start one
    request._content_generation = generation
    entry = values.get(key)
    if entry is None or entry[0] != generation:
        return None
    return entry[1]


def store(request, key, response):
    """Store the response under the generation read when the request started: if content was
    published while it was rendered, the entry is already stale and never served."""
    cache_set(key, (current_generation(request), freeze(response)))


def freeze(response):
    """What is stored: status, headers (those of this response only left out), body."""
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in UNCACHED_HEADERS
    ]
    return (response.status_code, headers, response.content)


def thaw(entry):
    from django.http import HttpResponse

    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def timeout():
    return getattr(settings, "PAGE_CACHE_TIMEOUT", 300)


def cache_control():
    return getattr(settings, "PAGE_CACHE_CONTROL", DEFAULT_CACHE_CONTROL)


def cache_get(key):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage must not take the site down: render instead
        return None


def cache_set(key, entry, lifetime=None):
    """Store ``entry`` for ``lifetime`` seconds (default: PAGE_CACHE_TIMEOUT)."""
    try:
        cache.set(key, entry, timeout=timeout() if lifetime is None else lifetime)
    except Exception:  # noqa: BLE001 - same: the page was rendered, the reader gets it anyway
        pass


def cached(request, name, compute, timeout=3600):
    """``compute()``, kept in the shared cache under the content generation (``name`` is a tuple
    of key parts). For lookups that change only when content is published: navigation, view
    restrictions... If the cache is down, it is computed every time. Within one request (when
    ``request`` is given) a value is read from the shared cache once, however often it is asked
    for."""
    key = generation_key(request, *name)
    read = request.__dict__.setdefault("_generation_cached", {}) if request is not None else {}
    if key in read:
        return read[key]
    value = cache_get(key)
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=timeout)
        except Exception:  # noqa: BLE001 - see cache_get
            pass
    read[key] = value
    return value
