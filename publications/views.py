"""Public views outside the page tree: search, autocomplete, robots.txt, documents."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext, ngettext, pgettext
from django.views.decorators.http import require_GET, require_safe
from django.views.defaults import page_not_found
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.models import Locale, Page

from publications import language_switch, readership, search
from publications.page_cache import do_not_store
from publications.selectors import analyses_index_pages
from publications.site_origin import absolute_url
from publications.visibility import document_is_public, public

PRIVATE_NO_STORE = "private, no-store"


def _locale():
    return Locale.get_active()


@require_GET
def search_view(request):
    locale = _locale()
    results = search.search_page(
        request.GET.get("q", ""), locale.pk, request.GET.get("page"), request
    )
    if results["corrected_from"] or (
        results["query"] and results["page"] is None and not results["others"]
    ):
        # A search that found nothing (as typed): not worth a place in the cache.
        do_not_store(request)
    if results["suggestion"]:
        results["suggestion_url"] = f"{reverse('search')}?{urlencode({'q': results['suggestion']})}"
    results["analyses_index"] = analyses_index_pages(locale.pk, request)[0]
    results["raw_query_truncated"] = len(request.GET.get("q", "")) > len(results["query"]) + 50
    if not results["query"]:  # the search page itself, which search engines may index
        results["canonical_url"] = absolute_url(request, reverse("search"))
    return TemplateResponse(request, "pages/search_results.html", results)


@require_GET
def language_switch_view(request, page_id):
    """``/<language>/switch/<page id>/``: where the language switcher sends a reader of a page
    that has no public version in this language (publications.language_switch): that version
    if it has one by now, else the closest ancestor that has one, with a notice there."""
    locale = _locale()
    page = public(Page.objects.filter(pk=page_id), request).first()
    if page is None:
        raise Http404
    if page.locale_id == locale.pk:
        return HttpResponseRedirect(page.get_url(request) or "/")
    version = public(
        Page.objects.filter(translation_key=page.translation_key, locale=locale), request
    ).first()
    if version is not None:
        return HttpResponseRedirect(version.get_url(request))
    ancestor = language_switch.closest_translated_ancestor(page, locale, request)
    target = ancestor.get_url(request) if ancestor is not None else None
    if not target:
        target = reverse("wagtail_serve", args=("",))
    return HttpResponseRedirect(
        f"{target}?{urlencode({language_switch.UNTRANSLATED_PARAMETER: page.pk})}"
    )


@require_GET
def suggest_view(request):
    """The search box's suggestions (static/js/discovery.js): {"results": [{"title", "url",
    "kind", "kind_label"}], "status": what a screen reader hears}. Cached like a page, except
    when nothing is suggested (random prefixes must not fill the cache)."""
    found = search.suggestions(request.GET.get("q", ""), _locale().pk, request)
    if not found:
        do_not_store(request)
    labels = {
        "analysis": pgettext("suggestion kind", "Analysis"),
        "centre": pgettext("suggestion kind", "Centre or programme"),
        "expert": pgettext("suggestion kind", "Expert"),
    }
    status = (
        ngettext(
            "%(count)d suggestion. Use the up and down arrow keys to choose.",
            "%(count)d suggestions. Use the up and down arrow keys to choose.",
            len(found),
        )
        % {"count": len(found)}
        if found
        else gettext("No suggestions.")
    )
    response = JsonResponse(
        {
            "results": [{**item, "kind_label": labels[item["kind"]]} for item in found],
            "status": status,
        }
    )
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
        "Disallow: /*/switch/",
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

    A public PDF answered 200 is counted as a download of its analysis
    (``publications.readership``: in memory, no query added).
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
    if public and response.status_code == 200:
        readership.count_download(request, document_id)
    return response
