"""Public views outside the page tree: search, autocomplete, robots.txt, documents."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_safe
from django.views.defaults import page_not_found
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.models import Locale

from publications import search
from publications.page_cache import do_not_store
from publications.selectors import analyses_index_pages
from publications.site_origin import absolute_url
from publications.visibility import document_is_public

PRIVATE_NO_STORE = "private, no-store"


def _locale():
    return Locale.get_active()


@require_GET
def search_view(request):
    locale = _locale()
    results = search.site_search(
        request.GET.get("q", ""), locale.pk, request.GET.get("page"), request
    )
    if results["query"] and results["page"] is None and not results["others"]:
        do_not_store(request)  # a search that found nothing: not worth a place in the cache
    results["analyses_index"] = analyses_index_pages(locale.pk, request)[0]
    results["raw_query_truncated"] = len(request.GET.get("q", "")) > len(results["query"]) + 50
    if not results["query"]:  # the search page itself, which search engines may index
        results["canonical_url"] = absolute_url(request, reverse("search"))
    return TemplateResponse(request, "pages/search_results.html", results)


@require_GET
def suggest_view(request):
    data = search.suggestions(request.GET.get("q", ""), _locale().pk, request)
    response = JsonResponse({"results": data})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page's <link rel="icon">
    says: the icon among the static files (under its hashed name in production). A temporary
    redirect, kept a day, so that a new icon reaches readers."""
    response = HttpResponseRedirect(static("img/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def legal_notice(request):
    """Who publishes the site, how to reach them, what a visit records (nothing: no cookie, no
    tracker), accessibility. One page per language, linked from every footer."""
    return TemplateResponse(
        request,
        "pages/legal_notice.html",
        {"contact_email": settings.SITE_CONTACT_EMAIL},
    )


@require_GET
def robots_txt(request):
    # On the site's one origin (the Wagtail Site record), as the sitemap's own URLs are.
    sitemap = absolute_url(request, reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # Search results are not for search engines (endless, thin pages: Google's guidelines);
        # the search page itself, without a query, is (the longer rule wins).
        "Allow: /*/search/$",
        "Disallow: /*/search/",
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (it applies the privacy of the collection and the
    ``before_serve_document`` hooks), with the headers a PDF needs:

    - no ``Content-Encoding`` when the file has none (Wagtail's file sender writes the literal
      "None", which tells clients the body is encoded in a coding that does not exist);
    - ``Cache-Control``: ``DOCUMENT_CACHE_CONTROL`` (a CDN may keep it) for a PDF anyone may read,
      ``private, no-store`` for one only some may (a restricted collection, or not yet published:
      served to editors only) and for every answer that is not the file (a login or password form,
      a 404).
    """
    try:
        response = wagtail_serve_document(request, document_id, document_filename)
    except Http404 as exception:
        response = page_not_found(request, exception)
    if response.get("Content-Encoding") == "None":
        del response["Content-Encoding"]
    if response.status_code in (200, 206, 304):
        document = get_document_model().objects.select_related("collection").get(pk=document_id)
        public = document_is_public(document)
    else:
        public = False
    response["Cache-Control"] = settings.DOCUMENT_CACHE_CONTROL if public else PRIVATE_NO_STORE
    return response
