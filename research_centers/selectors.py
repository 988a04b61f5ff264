"""Read-side queries of the research centres area (see publications.selectors for the rules).

Each page context is built in a fixed number of queries, whatever the number of analyses,
members or programmes (tests/test_research_centers.py counts them).

Languages: an analysis, a team or a featured list points at the pages an editor chose, often in
the first language (a translation copies the links as they are). Pages are therefore matched by
``translation_key``: a French centre lists the French analyses of the centre, and a French team
shows the French pages of its experts where they exist, the original ones otherwise.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from wagtail.images import get_image_model
from wagtail.models import Page

from publications import facet_index
from publications.cards import analysis_cards
from publications.listing import Results, page_or_404
from publications.models import AnalysisPage
from publications.page_context import provides
from publications.renditions import EXPERT_CARD_SPECS
from publications.selectors import card_details, link_landing_pages, prime_foreign_keys
from publications.visibility import public
from research_centers.models import (
    ExpertPage,
    ProgrammePage,
    ResearchCenterPage,
    ResearchCentersIndexPage,
)

ANALYSES_PAGE_SIZE = 10


def _in_locale(pages_by_key, keys, locale_id):
    """For each translation key, in order, the version in ``locale_id``, or another one."""
    result = []
    for key in keys:
        versions = pages_by_key.get(key, [])
        chosen = next((p for p in versions if p.locale_id == locale_id), None) or next(
            iter(versions), None
        )
        if chosen is not None:
            result.append(chosen)
    return result


def _group_by_key(pages):
    grouped = {}
    for page in pages:
        grouped.setdefault(page.translation_key, []).append(page)
    return grouped


def expert_cards(expert_ids, locale_id):
    """The chosen experts, by the id an editor chose: {id: the live version of that expert in
    ``locale_id``, or in another language}, with photo and the card's renditions
    (publications.renditions.EXPERT_CARD_SPECS) joined in. A draft expert is left out. Three
    queries whatever the number (none without ids)."""
    expert_ids = [pk for pk in expert_ids if pk]
    if not expert_ids:
        return {}
    key_by_id = dict(
        ExpertPage.objects.filter(pk__in=expert_ids).values_list("pk", "translation_key")
    )
    card_photo_renditions = (
        get_image_model().get_rendition_model().objects.filter(filter_spec__in=EXPERT_CARD_SPECS)
    )
    experts = (
        public(ExpertPage.objects.all())
        .filter(translation_key__in=set(key_by_id.values()))
        .select_related("locale", "photo")
        .prefetch_related(Prefetch("photo__renditions", queryset=card_photo_renditions))
    )
    by_key = _group_by_key(experts)
    cards = {}
    for pk, key in key_by_id.items():
        found = _in_locale(by_key, [key], locale_id)
        if found:
            cards[pk] = found[0]
    return cards


def _people(cards, ids, exclude=None):
    """The cards of ``ids`` in order, each expert once, ``exclude`` (the head) left out."""
    seen = {exclude.pk} if exclude is not None else set()
    people = []
    for pk in ids:
        card = cards.get(pk)
        if card is not None and card.pk not in seen:
            seen.add(card.pk)
            people.append(card)
    return people


def featured_analyses(page, request=None):
    """The editor-pinned analyses of a centre or programme, in their order, each in the page's
    language where translated. Two queries (one when there are none)."""
    links = list(page.featured_analysis_links.all())
    ids = [link.analysis_id for link in links]
    if not ids:
        return []
    keys = dict(AnalysisPage.objects.filter(pk__in=ids).values_list("pk", "translation_key"))
    ordered_keys = list(dict.fromkeys(keys[pk] for pk in ids if pk in keys))
    cards = analysis_cards(request=request).filter(translation_key__in=ordered_keys)
    return _in_locale(_group_by_key(cards), ordered_keys, page.locale_id)


def unit_analyses(unit, request=None):
    """Analyses of a centre (its programmes' included) or of a programme, in the unit's language,
    newest first. Found on the facet index (publications.facet_index, where a centre's bitmap
    includes its programmes'): no query."""
    index = facet_index.current(request)
    if not unit.pk:  # a preview of a page not saved yet
        return Results(None, 0)
    mask = index.mask("unit", str(unit.translation_key)) & index.of_locale(unit.locale_id)
    return Results(index, mask, request=request)


def expert_analyses(expert, request=None):
    """Analyses an expert wrote, in the expert page's language, newest first. Found on the facet
    index: no query."""
    index = facet_index.current(request)
    if not expert.pk:
        return Results(None, 0)
    mask = index.mask("author", str(expert.translation_key)) & index.of_locale(expert.locale_id)
    return Results(index, mask, request=request)


def paginated(results, request):
    """One page of ``results`` (publications.listing.Results): its cards, read in one query when
    the paginator slices the results."""
    return page_or_404(Paginator(results, ANALYSES_PAGE_SIZE), request.GET.get("page"))


def _analyses(page, featured, results, request):
    """The featured analyses and one page of ``results(page, request)``, as cards with their
    authors and thumbnails (publications.selectors.card_details)."""
    analyses = paginated(results(page, request), request)
    card_details([*featured, *analyses.object_list], page.locale_id, request)
    return {"featured_analyses": featured, "analyses": analyses}


def _terms(page, request=None):
    """The page's themes and regions in its language, each once (the facet index names them),
    linked to their landing pages."""
    index = facet_index.current(request)
    links, index_page = link_landing_pages(
        page.locale_id,
        request,
        theme=index.localised_terms("theme", page.themes.all(), page.locale_id),
        region=index.localised_terms("region", page.regions.all(), page.locale_id),
    )
    return {"themes": links["theme"], "regions": links["region"], "terms_index": index_page}


def parent_center(page):
    """The public centre a programme or an expert sits under (None if it is not public)."""
    return (
        public(ResearchCenterPage.objects.all())
        .filter(path=page.path[: -Page.steplen])
        .select_related("locale")
        .first()
    )


@provides(ResearchCenterPage, "context")
def center_page_context(center, request, **kwargs):
    """Head, team, programmes, themes and regions, featured and latest analyses of a centre."""
    team_ids = [member.expert_id for member in center.team_members.all()]
    cards = expert_cards([center.head_id, *team_ids], center.locale_id)
    head = cards.get(center.head_id)
    programmes = list(public(ProgrammePage.objects.child_of(center)).select_related("locale"))
    return {
        "head": head,
        "team": _people(cards, team_ids, exclude=head),
        "programmes": [p for p in programmes if not p.is_archived],
        "archived_programmes": [p for p in programmes if p.is_archived],
        **_terms(center, request),
        **_analyses(center, featured_analyses(center, request), unit_analyses, request),
    }


@provides(ProgrammePage, "context")
def programme_page_context(programme, request, **kwargs):
    """Its centre, lead, members, partners, themes and regions, featured and latest analyses."""
    member_ids = [member.expert_id for member in programme.members.all()]
    cards = expert_cards([programme.lead_id, *member_ids], programme.locale_id)
    lead = cards.get(programme.lead_id)
    return {
        "center": parent_center(programme),
        "lead": lead,
        "members": _people(cards, member_ids, exclude=lead),
        "partners": list(programme.partners.all()),
        **_terms(programme, request),
        **_analyses(programme, featured_analyses(programme, request), unit_analyses, request),
    }


def expert_affiliations(expert):
    """The centre the expert's page is under (first), then the other centres chosen, each in the
    expert page's language where translated. Two queries."""
    other_keys = [center.translation_key for center in expert.other_centers.all()]
    parent_path = expert.path[: -Page.steplen]
    centers = list(
        public(ResearchCenterPage.objects.all())
        .filter(Q(path=parent_path) | Q(translation_key__in=other_keys))
        .select_related("locale")
    )
    primary = next((c for c in centers if c.path == parent_path), None)
    others = _in_locale(
        _group_by_key(c for c in centers if c is not primary),
        [key for key in dict.fromkeys(other_keys) if not primary or key != primary.translation_key],
        expert.locale_id,
    )
    return ([primary] if primary else []) + others


@provides(ExpertPage, "context")
def expert_context(expert, request, **kwargs):
    """Affiliations, links and analyses of an expert, and the photo loaded (its rendition comes
    from Wagtail's rendition cache, or one query)."""
    if expert.photo_id and expert.pk and not getattr(request, "is_preview", False):
        prime_foreign_keys(expert, "photo")
    return {
        "affiliations": expert_affiliations(expert),
        "links": list(expert.links.all()),
        **_analyses(expert, [], expert_analyses, request),
    }


@provides(ResearchCentersIndexPage, "context")
def centers_index_context(index_page, request=None, **kwargs):
    """Active centres with their active programmes; archived centres and programmes apart. Two
    queries."""
    centers = list(public(ResearchCenterPage.objects.child_of(index_page)).select_related("locale"))
    programmes = public(ProgrammePage.objects.descendant_of(index_page)).select_related("locale")
    active_by_parent, archived = {}, []
    for programme in programmes:
        if programme.is_archived:
            archived.append(programme)
        else:
            active_by_parent.setdefault(programme.path[: -Page.steplen], []).append(programme)
    return {
        "centers": [
            (center, active_by_parent.get(center.path, []))
            for center in centers
            if not center.is_archived
        ],
        "archived_centers": [center for center in centers if center.is_archived],
        "archived_programmes": archived,
    }
