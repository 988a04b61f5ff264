"""Where the language switcher takes a reader: to the same place in the other language.

- A page with a public version in the other language: that version. On the analyses index and
  a theme's or region's landing page, the filters and the search query come along, each term
  and each centre, programme or author named by its version in that language (the facet index
  knows them all: no query); a landing page whose term has no public analysis in that language
  leads to that language's index.
- A page without one: the closest ancestor that has one, with a notice there ("This analysis is
  not available in French"). The switcher links to ``switch/<page id>/`` below the other
  language's prefix, which finds that ancestor when followed (so rendering a page costs no
  query for it) and redirects to it with ``?untranslated=<page id>``.
- The search page: the search page of the other language, with the query.
"""

from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from wagtail.models import Page

from publications import facet_index
from publications.listing import QUERY_PARAMETERS
from publications.models import AnalysisIndexPage
from publications.visibility import public

UNTRANSLATED_PARAMETER = "untranslated"
TERM_PARAMETERS = ("theme", "region", "type", "series")
CARRIED_AS_IS = ("q", "sort", "language", "year_from", "year_to")


def _in_language(language_code, name, *args):
    with translation.override(language_code):
        return reverse(name, args=args)


def search_url(request, language_code):
    """The search page of ``language_code`` with the reader's query."""
    url = _in_language(language_code, "search")
    query = request.GET.get("q", "") if request is not None else ""
    return f"{url}?{urlencode({'q': query})}" if query else url


def untranslated_url(page, language_code):
    """The switcher's link for a page without a public version in ``language_code``."""
    return _in_language(language_code, "language_switch", page.pk)


def listing_url(request, version, landing=None, landing_kind=None, carry_query=True):
    """The URL of ``version`` (the analyses index in the other language) for a reader of the
    listing or of a landing page: the landing page of the same term there, and (``carry_query``)
    the same filters, in that language's slugs and page ids. None for a landing page whose term
    has no public analysis in that language. No query."""
    index = facet_index.current(request)
    locale_id = version.locale_id
    url = version.get_url(request=request) or ""
    if landing is not None:
        term = index.term(landing_kind, landing.pk, locale_id)
        if term is None or not index.mask(landing_kind, term.pk).intersection_cardinality(
            index.of_locale(locale_id)
        ):
            return None
        url += AnalysisIndexPage.landing_path(landing_kind, term.slug)
    if not carry_query:
        return url
    query = QueryDict(mutable=True)
    params = request.GET if request is not None else QueryDict()
    for name in TERM_PARAMETERS:
        by_slug = index.terms_by_slug(name, locale_id)
        slugs = []
        for slug in params.getlist(name):
            term = by_slug.get(slug)
            if term is not None and term.slug not in slugs:
                if landing is None or name != landing_kind:
                    slugs.append(term.slug)
        if slugs:
            query.setlist(name, slugs)
    for name, pages in (("unit", index.units), ("author", index.experts)):
        ids = []
        for value in params.getlist(name):
            key = index.key_of_page(pages, int(value)) if value.isdigit() else None
            label = index.page_label(pages, key, locale_id) if key is not None else None
            if label is not None and str(label.pk) not in ids:
                ids.append(str(label.pk))
        if ids:
            query.setlist(name, ids)
    for name in CARRIED_AS_IS:
        if name in QUERY_PARAMETERS and params.getlist(name):
            query.setlist(name, params.getlist(name))
    encoded = query.urlencode()
    return f"{url}?{encoded}" if encoded else url


def closest_translated_ancestor(page, locale, request=None):
    """The deepest ancestor of ``page`` with a public version in ``locale``: that version (None
    if not even the home page has one). Two queries."""
    keys = list(page.get_ancestors().filter(depth__gt=1).values_list("translation_key", flat=True))
    versions = public(
        Page.objects.filter(translation_key__in=keys, locale=locale), request
    ).order_by("-depth")
    return versions.first()
