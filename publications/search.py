"""Site search: analyses (with the text of their PDFs), research centres and programmes, experts.
Wagtail search with its database backend, which is PostgreSQL full-text search on PostgreSQL and
SQLite FTS5 on SQLite (see ``search_backend_name``). A fixed number of queries per results page.

A query that finds nothing is searched again as corrected (``publications.spelling``), and the
page says so; one that finds little offers its correction as a link ("Did you mean ...?"):
``search_page``.
"""

import hashlib
import re

from django.core.paginator import Paginator
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from publications import facet_index, spelling
from publications.cards import cards_in_order
from publications.listing import SEARCH_CACHE_TIMEOUT, clean_query, page_or_404, search_ids
from publications.models import AnalysisPage
from publications.page_cache import cached
from publications.visibility import public
from research_centers.models import ExpertPage, ProgrammePage, ResearchCenterPage

RESULTS_PER_PAGE = 10
OTHER_RESULTS = 5
SUGGEST_QUERY_MAX_LENGTH = 100
# A search that finds fewer analyses, centres and experts than this is offered its correction.
FEW_RESULTS = 3


def search_backend_name():
    """The class Wagtail's database backend chose for this database (for the admin and tests)."""
    return type(get_search_backend()).__name__


def search_page(query, locale_id, page_number, request=None):
    """``site_search``, then, for a query that found nothing or little, its correction
    (``publications.spelling``, from public words only):

    - nothing found: the results of the correction instead, if it finds anything; then
      ``corrected_from`` is the query as typed (and ``query`` the correction);
    - fewer than ``FEW_RESULTS`` found: ``suggestion``, the correction, if it finds more analyses.

    A search that finds enough costs nothing more. One that finds little: the correction's query
    and the count of its analyses (both kept under the content generation once found). One that
    finds nothing: the correction's query and a second ``site_search``."""
    results = site_search(query, locale_id, page_number, request)
    results.update(suggestion="", corrected_from="")
    query = results["query"]
    found = len(results["ids"]) + len(results["others"])
    if not query or found >= FEW_RESULTS:
        return results
    correction = spelling.correction(query, locale_id, facet_index.current(request), request)
    if not correction:
        return results
    if not found:
        corrected = site_search(correction, locale_id, page_number, request)
        if corrected["ids"] or corrected["others"]:
            corrected.update(suggestion="", corrected_from=query)
            return corrected
        return results
    if len(_analysis_ids(correction, locale_id, request)) > len(results["ids"]):
        results["suggestion"] = correction
    return results


def _analysis_ids(query, locale_id, request=None):
    """The ids of the public analyses of one language that match ``query``, best first."""
    scope = AnalysisPage.objects.live().filter(locale_id=locale_id)
    found = facet_index.current(request).of_locale(locale_id)
    return [pk for pk in search_ids(scope, query) if pk in found] if query else []


def site_search(query, locale_id, page_number, request=None):
    """The results of ``query`` in one language: a page of analyses (best first) and the best
    centres, programmes and experts (first page only). Only public pages are found, counted or
    shown: the search backend's matches are kept only if the facet index holds them (public
    analyses) or ``public`` says so. Raises Http404 for a page that does not exist."""
    query = clean_query(query)
    ids = _analysis_ids(query, locale_id, request)
    page = page_or_404(Paginator(ids, RESULTS_PER_PAGE), page_number) if ids else None
    cards = cards_in_order(list(page.object_list), request) if page is not None else []
    others = []
    if query and (page is None or page.number == 1):
        ranked = []
        for model in (ResearchCenterPage, ProgrammePage, ExpertPage):
            scope = model.objects.live().filter(locale_id=locale_id)
            ranked += search_ids(scope, query, limit=OTHER_RESULTS)
        if ranked:
            by_id = {
                found.pk: found
                for found in public(Page.objects.filter(pk__in=ranked), request).select_related(
                    "locale", "content_type"
                )
            }
            others = [by_id[pk] for pk in ranked if pk in by_id]
    return {"query": query, "ids": ids, "page": page, "analyses": cards, "others": others}


# What the search box suggests as one types: (models, kind, at most so many).
SUGGESTION_KINDS = (
    ((AnalysisPage,), "analysis", 4),
    ((ResearchCenterPage, ProgrammePage), "centre", 2),
    ((ExpertPage,), "expert", 2),
)


def suggestions(query, locale_id, request=None):
    """The public analyses, centres and programmes, and experts whose title has a word that
    starts like the query's last word (and contains the others): Wagtail's autocomplete, as
    [{"title", "url", "kind"}], analyses first, at most eight. A backend without autocomplete
    gives titles that start like the query. Four queries (one per kind, then the public pages),
    and none once found: a list found is kept under the content generation (an empty one is
    not, as with searches)."""
    query = clean_query(query)[:SUGGEST_QUERY_MAX_LENGTH]
    if len(query) < 2:
        return []

    def compute():
        ranked = []
        for models, kind, limit in SUGGESTION_KINDS:
            scope = Page.objects.live().type(*models).filter(locale_id=locale_id)
            try:
                ids = [page.pk for page in scope.autocomplete(query)[:limit]]
            except NotImplementedError:  # a backend without autocomplete: titles that start so
                ids = list(
                    scope.filter(title__istartswith=query).values_list("pk", flat=True)[:limit]
                )
            ranked += [(pk, kind) for pk in ids]
        pages = {
            page.pk: page
            for page in public(
                Page.objects.filter(pk__in=[pk for pk, _kind in ranked]), request
            ).select_related("locale")
        }
        found = [
            {"title": pages[pk].title, "url": pages[pk].get_url(request), "kind": kind}
            for pk, kind in ranked
            if pk in pages
        ]
        return found or None

    digest = hashlib.sha256(f"{locale_id}:{query}".encode("utf-8", "surrogateescape")).hexdigest()
    return cached(request, ("suggest", digest), compute, timeout=SEARCH_CACHE_TIMEOUT) or []


def highlight(text, query, words=40):
    """``text`` shortened to ``words`` words, HTML-escaped, with the query's words in <mark>."""
    text = Truncator(" ".join((text or "").split())).words(words)
    terms = sorted({t for t in re.findall(r"\w{3,}", query or "")}, key=len, reverse=True)[:10]
    escaped = escape(text)
    if not terms:
        return mark_safe(escaped)
    pattern = re.compile("(" + "|".join(re.escape(escape(t)) for t in terms) + ")", re.I)
    return mark_safe(pattern.sub(r"<mark>\1</mark>", escaped))
