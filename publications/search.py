"""Site search: analyses (with the text of their PDFs), research centres and programmes, experts.
Wagtail search with its database backend, which is PostgreSQL full-text search on PostgreSQL and
SQLite FTS5 on SQLite (see ``search_backend_name``). A fixed number of queries per results page.
"""

import re

from django.core.paginator import Paginator
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from publications import selectors
from publications.listing import clean_query, search_ids

RESULTS_PER_PAGE = 10
OTHER_RESULTS = 5
SUGGESTIONS = 6


def search_backend_name():
    """The class Wagtail's database backend chose for this database (for the admin and tests)."""
    return type(get_search_backend()).__name__


def _research_classes():
    from research_centers.models import ExpertPage, ProgrammePage, ResearchCenterPage

    return ExpertPage, ProgrammePage, ResearchCenterPage


def site_search(query, locale_id, page_number):
    """The results of ``query`` in one language: a page of analyses (best first) and the best
    centres, programmes and experts (first page only). Raises Http404 for a page that does not
    exist."""
    from publications.models.analysis import page_or_404

    query = clean_query(query)
    analyses = selectors.analysis_cards(locale_id=locale_id)
    scope = selectors.AnalysisPage.objects.live().filter(locale_id=locale_id)
    ids = search_ids(scope, query) if query else []
    page = page_or_404(Paginator(ids, RESULTS_PER_PAGE), page_number) if ids else None
    cards = []
    if page is not None:
        by_id = {card.pk: card for card in analyses.filter(pk__in=list(page.object_list))}
        cards = [by_id[pk] for pk in page.object_list if pk in by_id]
    others = []
    if query and (page is None or page.number == 1):
        expert, programme, centre = _research_classes()
        ranked = []
        for model in (centre, programme, expert):
            scope = model.objects.live().filter(locale_id=locale_id)
            ranked += search_ids(scope, query, limit=OTHER_RESULTS)
        if ranked:
            by_id = {
                found.pk: found
                for found in selectors.live_public(Page.objects)
                .filter(pk__in=ranked)
                .select_related("locale", "content_type")
            }
            others = [by_id[pk] for pk in ranked if pk in by_id]
    return {"query": query, "page": page, "analyses": cards, "others": others}


def suggestions(query, locale_id, request):
    """Titles of analyses and names of experts that start like ``query`` (autocomplete), as
    [{"title", "url", "kind"}]. Falls back to a title prefix match where the backend has no
    autocomplete."""
    query = clean_query(query)[:100]
    if len(query) < 2:
        return []
    expert_model = _research_classes()[0]
    ranked = []
    for model, kind in ((selectors.AnalysisPage, "analysis"), (expert_model, "expert")):
        scope = model.objects.live().filter(locale_id=locale_id)
        try:
            ids = [r.pk for r in scope.autocomplete(query)[: SUGGESTIONS // 2]]
        except NotImplementedError:  # a backend without autocomplete: titles that start so
            ids = list(
                scope.filter(title__istartswith=query).values_list("pk", flat=True)[
                    : SUGGESTIONS // 2
                ]
            )
        ranked += [(pk, kind) for pk in ids]
    pages = {
        page.pk: page
        for page in selectors.live_public(Page.objects)
        .filter(pk__in=[pk for pk, _kind in ranked])
        .select_related("locale")
    }
    return [
        {"title": pages[pk].title, "url": pages[pk].get_url(request), "kind": kind}
        for pk, kind in ranked
        if pk in pages
    ]


def highlight(text, query, words=40):
    """``text`` shortened to ``words`` words, HTML-escaped, with the query's words in <mark>."""
    text = Truncator(" ".join((text or "").split())).words(words)
    terms = sorted({t for t in re.findall(r"\w{3,}", query or "")}, key=len, reverse=True)[:10]
    escaped = escape(text)
    if not terms:
        return mark_safe(escaped)
    pattern = re.compile("(" + "|".join(re.escape(escape(t)) for t in terms) + ")", re.I)
    return mark_safe(pattern.sub(r"<mark>\1</mark>", escaped))
