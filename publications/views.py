"""Public views outside the page tree: search, autocomplete, robots.txt."""

from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from publications import search
from publications.page_cache import do_not_store
from publications.selectors import analyses_index_pages
from publications.site_origin import absolute_url


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
    return TemplateResponse(request, "pages/search_results.html", results)


@require_GET
def suggest_view(request):
    data = search.suggestions(request.GET.get("q", ""), _locale().pk, request)
    response = JsonResponse({"results": data})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def robots_txt(request):
    # On the site's one origin (the Wagtail Site record), as the sitemap's own URLs are.
    sitemap = absolute_url(request, reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /*/search/",
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
