"""Security headers that Django and django-csp do not set by themselves, and the client address
used to throttle admin logins.

- ``ContentSecurityPolicyMiddleware``: django-csp's middleware with one addition: requests whose
  path starts with one of ``CONTENT_SECURITY_POLICY_ADMIN["PATH_PREFIXES"]`` (the Wagtail admin)
  get ``CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]`` instead of the site's strict policy. The
  admin needs it: Wagtail 8 still renders executable inline ``<script>`` blocks (InlinePanel,
  date/time pickers, chooser widgets) and inline ``style`` attributes, and its preview panel frames
  admin URLs. Every other response, the public site first, gets the strict policy; so does a page
  preview, which may only be framed by the admin.
- ``PermissionsPolicyMiddleware``: the ``Permissions-Policy`` header (``PERMISSIONS_POLICY``).
- ``MalformedPostMiddleware``: a POST whose form data a form cannot read answers 400, not 500.
- ``LocaleMiddleware``: Django's, except that a 404 of the machine interfaces outside the
  language tree (``/api/``, ``/oai/``) stays a 404 instead of a redirect to ``/en/...``.
- ``PageCacheMiddleware``: anonymous full-page caching in the shared cache (see
  ``publications.page_cache`` for what is cached and how it is invalidated).
- ``ReadershipMiddleware``: counts readers' views of analyses, served from the page cache or
  rendered (``publications.readership``).
- ``client_ip_address``: the reader's address behind ``TRUSTED_PROXY_COUNT`` reverse proxies.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpResponsePermanentRedirect, QueryDict
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

from publications import page_cache, readership
from publications.language_switch import UNTRANSLATED_PARAMETER
from publications.listing import QUERY_PARAMETERS
from publications.models import AnalysisPage
from publications.visibility import is_public


def _admin_policy_for(request):
    policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None) or {}
    prefixes = tuple(policy.get("PATH_PREFIXES", ()))
    if prefixes and request.path_info.startswith(prefixes):
        return default_config(policy.get("DIRECTIVES", {}))
    return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own (enforced) policy for the admin's paths.

    A page preview in the admin is rendered by Wagtail through a dummy request for the page's
    public URL (``request.is_dummy``), which passes through this middleware too: it gets the public
    policy, so that the editor sees what readers will get, except that the admin may frame it."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if getattr(request, "is_dummy", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        elif parts.config is None:
            # A view's own @csp_replace/@csp_update still wins over the per-path policy.
            parts.config = _admin_policy_for(request)
        return parts


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy: <settings.PERMISSIONS_POLICY>`` to every response that does not
    already carry one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


class MalformedPostMiddleware:
    """A POST that lacks the data its form always sends (a StreamField's ``body-count``, a
    block's ``-deleted`` flag) or has it in the wrong shape (``body-count=abc``) makes a widget's
    ``value_from_datadict`` raise: Wagtail's StreamField and list widgets index the posted data
    directly. Such a request did not come from the form the admin rendered; it is the client's
    error, answered 400 (Django's ``BadRequest``), not a server error.

    Only exceptions raised inside a ``value_from_datadict`` (the one place where a form reads the
    raw POST) are turned into 400: an error of the view or the models stays a 500."""

    READ_ERRORS = (KeyError, ValueError, TypeError, IndexError)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method == "POST" and isinstance(exception, self.READ_ERRORS):
            if _raised_in(exception, "value_from_datadict"):
                raise BadRequest("The posted form data is incomplete or malformed.") from exception
        return None


def _raised_in(exception, function_name):
    traceback = exception.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_name == function_name:
            return True
        traceback = traceback.tb_next
    return False


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware answers a 404 outside the language prefixes with a redirect to
    the same path under /en/ whenever that path resolves, and Wagtail's pages resolve every path:
    an API client asking for an analysis that is not public would be sent to a page instead of
    being told 404. Paths of the machine interfaces keep their own answers."""

    OWN_ANSWERS = ("/api/", "/oai/")

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(self.OWN_ANSWERS):
            return response
        return super().process_response(request, response)


class PageCacheMiddleware:
    """Serves anonymous readers' GET and HEAD requests for public pages from the shared cache, and
    stores the cacheable responses (``publications.page_cache``: fresh pages, and stale ones
    refreshed one URL at a time after a change).

    It sits after the security, CSP and Permissions-Policy middleware, so that those headers are
    added to every response, a cached one included, and before the session, locale, CSRF and
    authentication middleware, whose work a cached page does not need: a hit costs one cache
    round trip (the generation and the page, read together) and no SQL. Responses say
    ``X-Page-Cache: hit``, ``stale`` or ``miss``.

    A public URL with query parameters no page reads (``KNOWN_QUERY_PARAMETERS``) is redirected
    to the same URL without them, before anything is cached: random query strings cannot fill
    the cache with copies of one page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and page_cache.is_public_path(request):
            canonical = _without_unknown_parameters(request)
            if canonical is not None:
                return HttpResponsePermanentRedirect(canonical)

        cacheable = page_cache.request_is_cacheable(request)
        if not cacheable:
            response = self.get_response(request)
            if page_cache.is_public_path(request) and page_cache.has_session(request):
                # A reader with a session (an editor): never in a shared cache, browser or CDN.
                if "Cache-Control" not in response:
                    response["Cache-Control"] = page_cache.PRIVATE_CACHE_CONTROL
            return response

        key = page_cache.page_key(request)
        found = page_cache.lookup(request, key)
        if found.locked and page_cache.revalidate_in_background():
            # This reader gets the stale copy; the page is rendered again once it is answered.
            page_cache.in_background(lambda: self.render_and_store(request, key, found))
            return self.served(found.stale, page_cache.STALE)
        if found.response is not None:
            return self.served(found.response, found.state)
        return self.render_and_store(request, key, found)

    def render_and_store(self, request, key, found):
        try:
            response = self.get_response(request)
            if page_cache.response_is_cacheable(request, response):
                response["Cache-Control"] = page_cache.cache_control()
                page_cache.store(request, key, response)
                response["X-Page-Cache"] = page_cache.MISS
            else:
                page_cache.drop(key)  # no longer cacheable (unpublished, private...)
            return response
        finally:
            if found.locked:
                page_cache.release(key)

    @staticmethod
    def served(response, state):
        response["X-Page-Cache"] = state
        if state == page_cache.STALE:
            # Not for a CDN or a browser to keep: the fresh page is being rendered.
            response["Cache-Control"] = page_cache.STALE_CACHE_CONTROL
        return response


class ReadershipMiddleware:
    """Counts a reader's view of a public analysis page (``publications.readership``), whether
    the page is rendered or served from the page cache.

    It sits just outside ``PageCacheMiddleware``. When an analysis page is rendered,
    ``process_template_response`` (which Django runs for every middleware, inside the view's
    call) marks the response with the analysis's id (``readership.HEADER``), before the page
    cache stores it: a page served from the cache carries the mark too. On the way out, the mark
    is taken off every response, and counted if the response is a 200 to a reader. Previews,
    drafts (a 404 for readers) and private pages (their login or password form, or a page only
    some may see) are never marked. Counting is an addition in memory: nothing here waits on the
    database or the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        page_id = response.get(readership.HEADER)
        if page_id is not None:
            del response[readership.HEADER]
            if response.status_code == 200:
                readership.count_view(request, page_id)
        return response

    def process_template_response(self, request, response):
        page = (response.context_data or {}).get("page")
        if (
            readership.enabled()
            and isinstance(page, AnalysisPage)
            and not getattr(request, "is_preview", False)
            and is_public(page, request)
        ):
            response[readership.HEADER] = str(page.pk)
        return response


# Every query parameter a public page reads: the listing's filters and sort, the search query,
# the page number; where Wagtail's login form for a private page sends the reader back to; and
# the page a reader of another language came from, which has no version in this one.
KNOWN_QUERY_PARAMETERS = frozenset([*QUERY_PARAMETERS, "next", UNTRANSLATED_PARAMETER])


def _without_unknown_parameters(request):
    """The request's URL without the query parameters no page reads, or None if it has none."""
    if not request.GET or all(name in KNOWN_QUERY_PARAMETERS for name in request.GET):
        return None
    kept = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name in KNOWN_QUERY_PARAMETERS:
            kept.setlist(name, values)
    query = kept.urlencode()
    return f"{request.path}?{query}" if query else request.path


def client_ip_address(request):
    """The client's IP address, for django-axes (``AXES_CLIENT_IP_CALLABLE``).

    With ``TRUSTED_PROXY_COUNT = 0`` (the default) it is ``REMOTE_ADDR``. Behind N reverse proxies
    (load balancer, nginx...), each of which appends the address it received the request from to
    ``X-Forwarded-For``, it is the N-th address from the right: addresses further left were written
    by the client and cannot be trusted (a client could otherwise pick a new address for every
    attempt and never be throttled)."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote_addr
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        # The request did not come through every proxy: nothing in the header can be trusted.
        return remote_addr
    return forwarded[-count]
