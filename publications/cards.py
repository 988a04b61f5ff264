"""Analysis cards: the public analyses with what a card shows, by id or newest first. The lists of
the site (listing, related analyses, centre and expert pages, feeds, search) find their ids on
the facet index or in the search backend, then read the cards here: one query per list."""

from publications.facet_index import NEWEST_FIRST
from publications.models import AnalysisPage
from publications.visibility import public


def analysis_cards(locale_id=None, request=None):
    """Public analyses with what a card shows (type, locale for the URL, cover) joined in, and
    without their body (the full text, never on a card); those of one language if ``locale_id``
    is given."""
    queryset = (
        public(AnalysisPage.objects.all(), request)
        .select_related("analysis_type", "locale", "cover_image")
        .defer("body")
    )
    if locale_id is not None:
        queryset = queryset.filter(locale_id=locale_id)
    return queryset


def newest_first(queryset):
    return queryset.order_by(*NEWEST_FIRST)


def cards_by_id(ids, request=None, prepare=None):
    """The public analyses among ``ids``, as cards, by id. One query (none for no ids).
    ``prepare``: a function that adds to the cards' queryset (more relations for a feed)."""
    ids = set(ids)
    if not ids:
        return {}
    queryset = analysis_cards(request=request).filter(pk__in=ids)
    if prepare is not None:
        queryset = prepare(queryset)
    return {card.pk: card for card in queryset}


def cards_in_order(ids, request=None, prepare=None):
    """The cards of ``ids``, in that order, leaving out any that is not public. One query."""
    cards = cards_by_id(ids, request, prepare)
    return [cards[pk] for pk in ids if pk in cards]
