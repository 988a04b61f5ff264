"""Read-side queries of the publications area, in one place, each a plain function that a test can
call and count queries on. Templates receive what these return and do no queries of their own.

Every list here shows public pages only (``publications.visibility.public``): a draft, an
expired, a not-yet-published or a private page is never shown to a reader, nor counted, nor
named. The page models get their contexts from here through ``publications.page_context``.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from pyroaring import BitMap
from wagtail.images import get_image_model
from wagtail.models import Page

from publications import facet_index
from publications.cards import analysis_cards, cards_by_id
from publications.facet_index import Term
from publications.listing import SORTS, ListingParams, build_listing, filter_chips
from publications.models import AnalysisAuthor, AnalysisIndexPage, AnalysisPage, HomePage
from publications.page_cache import cached, do_not_store
from publications.page_context import provides
from publications.renditions import CARD_SPECS, COVER_SPECS, FIGURE_SPECS, prefetch_renditions
from publications.site_names import site_name
from publications.visibility import is_public, public
from research_centers.models import ResearchCentersIndexPage

RELATED_LIMIT = 4
DISCOVER_LIMIT = 4
# Weights of what an analysis shares with the page (per shared term, centre or author), and the
# bonus of recent work (published within a year, within three years of today).
RELATED_WEIGHTS = {"themes": 3, "regions": 2, "units": 2, "authors": 4}
RECENCY_BONUS = ((365, 2), (3 * 365, 1))


# --- Pages of every kind ------------------------------------------------------------------------


def section_pages(locale_id, *page_classes, request=None):
    """The first public page of each given type in a locale (the analyses index, the centres
    index...), as a list in the order of ``page_classes`` (None where there is none). One query."""
    pages = (
        public(Page.objects.type(*page_classes), request)
        .filter(locale_id=locale_id)
        .select_related("locale", "content_type")
        .order_by("path")
    )
    first_of_type = {}
    for page in pages:
        first_of_type.setdefault(page.content_type.model_class(), page)
    return [first_of_type.get(page_class) for page_class in page_classes]


def analyses_index_pages(locale_id, request=None):
    """The analyses index and the research centres index of a language (None where there is
    none), from the shared cache under the content generation: no query until something changes."""
    return cached(
        request,
        ("section-pages", locale_id),
        lambda: section_pages(
            locale_id, AnalysisIndexPage, ResearchCentersIndexPage, request=request
        ),
    )


def public_translations(page, request=None):
    """Every public language version of a page, this one included, in LANGUAGES order."""
    return list(
        public(Page.objects.filter(translation_key=page.translation_key), request)
        .select_related("locale")
        .order_by("locale__language_code")
    )


def cached_translations(page, request=None):
    """public_translations() from the shared cache under the content generation."""
    return cached(
        request,
        ("translations", page.translation_key),
        lambda: public_translations(page, request),
    )


def _language_versions(page, request=None):
    """(pk, isbn, doi, pdf id, language code) of every language version of ``page``, from the
    shared cache under the content generation: no query until something changes."""
    return cached(
        request,
        ("edition-versions", page.translation_key),
        lambda: list(
            AnalysisPage.objects.filter(translation_key=page.translation_key).values_list(
                "pk", "isbn", "doi", "pdf_id", "locale__language_code"
            )
        ),
    )


def edition_identifiers(page, request=None):
    """The ISBN and DOI that are ``page``'s own, as {"isbn": ..., "doi": ...} ("" where none).

    An ISBN or a DOI names one edition, in one language. Translations made before "Translate"
    stopped copying them (AnalysisPage.exclude_fields_in_copy) still repeat their source's: an
    identifier that an older language version of the page (a lower id: a translation is always
    created after its source) also has belongs to that version, not to this one. The language
    versions' identifiers come from the shared cache under the content generation: no query
    until something changes."""
    own = {"isbn": page.isbn, "doi": page.doi}
    if not page.pk or not (page.isbn or page.doi):
        return own
    versions = [
        (pk, isbn, doi) for pk, isbn, doi, _pdf, _language in _language_versions(page, request)
    ]
    return _own_identifiers(page, versions)


def _own_identifiers(page, versions):
    """``page``'s ISBN and DOI less those an older language version (``versions``: (pk, isbn,
    doi) of every version) also has: the rule of ``edition_identifiers``."""
    own = {"isbn": page.isbn, "doi": page.doi}
    for pk, isbn, doi in versions:
        if pk < page.pk:
            if own["isbn"] and isbn == own["isbn"]:
                own["isbn"] = ""
            if own["doi"] and doi == own["doi"]:
                own["doi"] = ""
    return own


def editions_identifiers(pages):
    """{page pk: edition_identifiers(page)} for many analyses, in one query (none when no page
    has an ISBN or a DOI): for lists that give every page's identifiers (OAI-PMH, Crossref)."""
    keys = {page.translation_key for page in pages if page.isbn or page.doi}
    versions = {}
    if keys:
        for key, pk, isbn, doi in AnalysisPage.objects.filter(translation_key__in=keys).values_list(
            "translation_key", "pk", "isbn", "doi"
        ):
            versions.setdefault(key, []).append((pk, isbn, doi))
    return {
        page.pk: _own_identifiers(page, versions.get(page.translation_key, ())) for page in pages
    }


def pdf_language(page, request=None):
    """The language code of ``page``'s PDF (None without one). As for the identifiers, a PDF
    that an older language version of the page also has is that version's: *Translate* copies
    the source's PDF, so a translation serves the source's file, in the source's language,
    until it is given one of its own. Otherwise the PDF is in the page's language."""
    if not page.pdf_id:
        return None
    own = page.locale.language_code if page.locale_id else settings.LANGUAGE_CODE
    if not page.pk:
        return own
    older = [
        (pk, language)
        for pk, _isbn, _doi, pdf_id, language in _language_versions(page, request)
        if pk < page.pk and pdf_id == page.pdf_id
    ]
    return min(older)[1] if older else own


def pdf_languages(pages):
    """{page pk: pdf_language(page)} for many analyses, in one query (none when no page has a
    PDF): for lists that give every page's PDF (OAI-PMH)."""
    keys = {page.translation_key for page in pages if page.pdf_id}
    versions = {}
    if keys:
        for key, pk, pdf_id, language in AnalysisPage.objects.filter(
            translation_key__in=keys
        ).values_list("translation_key", "pk", "pdf_id", "locale__language_code"):
            versions.setdefault(key, []).append((pk, pdf_id, language))
    languages = {}
    for page in pages:
        if not page.pdf_id:
            languages[page.pk] = None
            continue
        older = [
            (pk, language)
            for pk, pdf_id, language in versions.get(page.translation_key, ())
            if pk < page.pk and pdf_id == page.pdf_id
        ]
        languages[page.pk] = min(older)[1] if older else page.locale.language_code
    return languages


def prime_foreign_keys(instance, *names, defer=()):
    """Load several foreign keys of an instance that is already in memory in one query, so that
    templates read them without a query each (Wagtail loads the page being served itself).
    ``defer``: big columns of those relations the page does not show (the PDF's text)."""
    fields = ["pk"]
    for name in names:
        related = instance._meta.get_field(name).related_model
        skipped = {path.split("__", 1)[1] for path in defer if path.startswith(f"{name}__")}
        if skipped:
            fields += [
                f"{name}__{field.attname}"
                for field in related._meta.concrete_fields
                if field.name not in skipped
            ]
        else:
            fields.append(name)
    loaded = type(instance).objects.select_related(*names).only(*fields).get(pk=instance.pk)
    for name in names:
        field = instance._meta.get_field(name)
        field.set_cached_value(instance, getattr(loaded, name))


def localized(pages, locale_id, request=None):
    """{translation key: the public version of each page in ``locale_id``, else another public
    version}, in the order of ``pages``; a page with no public version is left out. So a French
    analysis links to the French page of its expert or centre, and never to a draft. One query
    at most (none when every page is already a public page of that language)."""
    pages = [page for page in pages if page is not None]
    chosen = {
        page.translation_key: page
        for page in pages
        if page.locale_id == locale_id and is_public(page, request)
    }
    missing = {page.translation_key for page in pages} - set(chosen)
    if missing:
        versions = (
            public(Page.objects.filter(translation_key__in=missing), request)
            .select_related("locale")
            .order_by("locale__language_code")
            .specific(defer=True)
        )
        for version in versions:
            key = version.translation_key
            if key not in chosen or version.locale_id == locale_id:
                chosen[key] = version
    keys = dict.fromkeys(page.translation_key for page in pages)
    return {key: chosen[key] for key in keys if key in chosen}


@provides(AnalysisPage, "author names")
def author_names(page):
    """The names of an analysis' authors as readers see them, for the search index (a draft
    expert's name is not searchable until their page is public)."""
    links = page.authors.select_related("expert__locale").order_by("sort_order")
    return [row["name"] for row in author_rows({page.pk: list(links)}, page.locale_id)[page.pk]]


def author_rows(authors, locale_id, request=None):
    """{analysis pk: its authors in order, as {"name", "affiliation", "page"}}, from ``authors``:
    {analysis pk: its AnalysisAuthor links, their experts loaded}. An expert is named and linked
    through their public page in ``locale_id`` (else in another language); an expert with no
    public page is left out, their name included (it is not public yet); an outside co-author is
    named as typed. One query at most, for any number of analyses. The analysis page, its
    citation files and the feeds all name authors through here."""
    experts = localized(
        [author.expert for rows in authors.values() for author in rows if author.expert_id],
        locale_id,
        request,
    )
    rows = {}
    for pk, links in authors.items():
        rows[pk] = []
        for author in sorted(links, key=lambda link: link.sort_order or 0):
            if author.expert_id:
                expert = experts.get(author.expert.translation_key)
                if expert is None:
                    continue
                name, page = expert.title, expert
            else:
                name, page = author.name, None
            rows[pk].append({"name": name, "affiliation": author.affiliation, "page": page})
    return rows


# --- What a card shows beyond its own row --------------------------------------------------------


def card_details(cards, locale_id, request=None):
    """Give each analysis card its ``author_list`` (the names readers see, in order: see
    author_rows) and its cover's thumbnail renditions, made in advance by the worker
    (publications.renditions.CARD_SPECS; ``{% picture %}`` then finds them). Three queries for any
    number of cards (none for none): the authors, their public pages, the renditions. Returns
    the cards."""
    cards = [card for card in cards if card is not None]
    if not cards:
        return cards
    links = {card.pk: [] for card in cards}
    for link in AnalysisAuthor.objects.filter(page_id__in=links).select_related("expert__locale"):
        links[link.page_id].append(link)
    rows = author_rows(links, locale_id, request)
    for card in cards:
        card.author_list = [row["name"] for row in rows[card.pk]]
    with_cover = [card for card in cards if card.cover_image_id]
    prefetch_related_objects(
        with_cover,
        Prefetch(
            "cover_image__renditions",
            queryset=get_image_model()
            .get_rendition_model()
            .objects.filter(filter_spec__in=CARD_SPECS),
        ),
    )
    return cards


def figure_renditions(page):
    """Load the renditions of the figures in the page's body (publications.renditions.FIGURE_SPECS)
    in one query, none without a figure: ``{% picture %}`` in the figure's template then finds
    them. The figures' images themselves are one query, which rendering the body makes anyway."""
    figures = [block.value for block in page.body if block.block_type == "figure"]
    prefetch_renditions([figure["image"] for figure in figures], FIGURE_SPECS)


# --- Landing pages of themes and regions ----------------------------------------------------


@dataclass(frozen=True)
class TermLink:
    """A theme or region as a page lists it: the term in the page's language (a
    publications.facet_index.Term) and the path of its landing page below the analyses index of
    the language ("themes/<slug>/"), or "" when that page does not exist (no public analysis of
    the language has the term: it would be a 404)."""

    term: Term
    landing_path: str

    @property
    def pk(self):
        return self.term.pk

    @property
    def name(self):
        return self.term.name

    @property
    def slug(self):
        return self.term.slug


def link_landing_pages(locale_id, request=None, **terms):
    """({kind: [TermLink]} for ``terms`` (``theme=[Term]``, ``region=[Term]``), the analyses
    index of the language (None if it has none)), for the template to put the two together
    (``{% pageurl index %}{{ term.landing_path }}``). No query: the index page comes from the
    shared cache, the check from the facet index."""
    index_page = analyses_index_pages(locale_id, request)[0]
    index = facet_index.current(request)
    in_language = index.of_locale(locale_id)

    def path(kind, term):
        exists = index_page is not None and index.mask(kind, term.pk).intersection_cardinality(
            in_language
        )
        return AnalysisIndexPage.landing_path(kind, term.slug) if exists else ""

    links = {
        kind: [TermLink(term, path(kind, term)) for term in values]
        for kind, values in terms.items()
    }
    return links, index_page


def landing_translations(index_page, kind, term, request=None):
    """The language versions of a theme's or region's landing page (``term``: a
    publications.facet_index.Term): [(language code, absolute URL)] for each public translation
    of the analyses index whose language has a public analysis with the term (elsewhere the
    landing page is a 404, and no hreflang may point at it)."""
    index = facet_index.current(request)
    term_mask = index.mask(kind, term.pk)
    return [
        (
            version.locale.language_code,
            version.get_full_url(request)
            # Under the slug of the term's version in that language.
            + AnalysisIndexPage.landing_path(
                kind, index.term(kind, term.pk, version.locale_id).slug
            ),
        )
        for version in cached_translations(index_page, request)
        if term_mask.intersection_cardinality(index.of_locale(version.locale_id))
    ]


# --- The home page and the listing --------------------------------------------------------------


HOME_BY_TYPE = 3  # the newest analyses of each type on the home page
HOME_ENTRY_POINTS = 8  # themes, and regions, to start from


@provides(HomePage, "context")
def home_page_context(home, request=None, **kwargs):
    """The home page: the analyses editors feature (the first one leads, with its cover), the
    latest, the latest of each type, and the themes and regions to start from (those with the
    most public analyses of the language; regions at their top level). Two queries (the
    features, then every other card at once), the lead's cover renditions (one, when it has a
    cover) and the cards' details; the rest is read on the facet index."""
    locale_id = home.locale_id
    featured = list(
        analysis_cards(request=request)
        .filter(featured_links__page=home)
        .order_by("featured_links__sort_order")
    )
    index = facet_index.current(request)
    in_language = index.of_locale(locale_id)
    shown = {card.pk for card in featured}
    newest = [
        pk
        for pk in index.ids_at(in_language, 0, HomePage.LATEST_COUNT + len(shown) + 1)
        if pk not in shown
    ]
    by_type_ids = []
    for term in index.terms("type", locale_id):
        ids = index.ids_at(index.mask("type", term.pk) & in_language, 0, HOME_BY_TYPE)
        if ids:
            by_type_ids.append((term, ids))
    cards = cards_by_id([*newest, *(pk for _term, ids in by_type_ids for pk in ids)], request)
    lead = featured[0] if featured else cards.get(newest[0]) if newest else None
    latest = [cards[pk] for pk in newest if pk in cards and cards[pk] is not lead]
    latest = latest[: HomePage.LATEST_COUNT]
    by_type = [
        {"type": term, "cards": [cards[pk] for pk in ids if pk in cards]}
        for term, ids in by_type_ids
    ]
    if lead is not None and lead.cover_image_id:
        # The lead shows its cover larger than a card's thumbnail (COVER_SPECS), and may show
        # up again as a card: its renditions of both, before card_details() loads the others'.
        prefetch_renditions([lead.cover_image], (*COVER_SPECS, *CARD_SPECS))
    card_details(
        [lead, *featured, *latest, *(card for group in by_type for card in group["cards"])],
        locale_id,
        request,
    )
    analyses_index = analyses_index_pages(locale_id, request)[0]
    return {
        "lead_analysis": lead,
        "lead_is_featured": bool(featured),
        "featured_analyses": featured[1:] if featured else [],
        "latest_analyses": latest,
        "latest_by_type": [group for group in by_type if group["cards"]],
        "theme_entries": _entry_points(
            index, "theme", index.terms("theme", locale_id), in_language
        ),
        "region_entries": _entry_points(
            index,
            "region",
            [r for r in index.terms("region", locale_id) if r.parent_id is None],
            in_language,
        ),
        "analyses_index": analyses_index,
    }


def _entry_points(index, kind, terms, in_language):
    """[{"term", "path", "count"}]: the terms with the most public analyses of the language (the
    landing page path below the analyses index), most first, then by name."""
    counted = [
        (term, index.mask(kind, term.pk).intersection_cardinality(in_language)) for term in terms
    ]
    counted = sorted(
        ((term, n) for term, n in counted if n), key=lambda item: (-item[1], item[0].name.lower())
    )
    return [
        {"term": term, "path": AnalysisIndexPage.landing_path(kind, term.slug), "count": n}
        for term, n in counted[:HOME_ENTRY_POINTS]
    ]


def analysis_listing(index_page, params, page_number, request=None):
    """The faceted listing of an analyses index (see publications.listing): one page of cards,
    the facets and their counts, over the public analyses of the index's language. One query
    for the cards (and one for a search); the filtering and counting on the facet index."""
    return build_listing(
        facet_index.current(request),
        index_page.locale_id,
        params,
        page_number,
        index_page.PAGE_SIZE,
        search_scope=AnalysisPage.objects.live().filter(locale_id=index_page.locale_id),
        request=request,
    )


@provides(AnalysisIndexPage, "context")
def analysis_index_context(index_page, request, fixed=None, landing=None, landing_kind=None):
    """The listing, or a theme or region landing page (``fixed``: its filter). The landing page
    of a term that no public analysis of the language has is not found: it would list nothing
    (and name a term that only private analyses use)."""
    params = ListingParams.from_querydict(request.GET, **(fixed or {}))
    if landing is not None:
        index = facet_index.current(request)
        # The term in the page's language: its name, description and slug there.
        landing = index.term(landing_kind, landing.pk, index_page.locale_id)
        if landing is None or not index.mask(landing_kind, landing.pk).intersection_cardinality(
            index.of_locale(index_page.locale_id)
        ):
            raise Http404("No public analysis of this language has this term.")
    listing = analysis_listing(index_page, params, request.GET.get("page"), request)
    if (
        params.malformed
        or listing.params != params
        or (params.q and not listing.page.paginator.count)
    ):
        # Junk in the URL (dropped), or a search that found nothing: not worth a place in the
        # page cache, where random query strings would otherwise pile up.
        do_not_store(request)
    card_details(listing.page.object_list, index_page.locale_id, request)
    index_url = index_page.get_url(request=request)
    landing_path = (
        # "themes/<slug>/", below the index page's own URL (the canonical URL is made of both).
        index_page.landing_path(landing_kind, landing.slug) if landing is not None else ""
    )
    listing_url = index_url + landing_path

    def landing_url(kind, slug):
        return index_url + index_page.landing_path(kind, slug)

    translations = (
        landing_translations(index_page, landing_kind, landing, request)
        if landing is not None
        else None
    )

    return {
        "listing": listing,
        "analyses": listing.page,
        "active_filters": filter_chips(
            listing, listing_url, index_url=index_url, fixed=fixed, landing_url=landing_url
        ),
        "listing_url": listing_url,
        "landing": landing,
        "landing_kind": landing_kind,
        "landing_path": landing_path,
        "landing_translations": translations,
        # The landing page in the default language, where it exists, for hreflang="x-default".
        "landing_x_default": next(
            (url for code, url in translations or () if code == settings.LANGUAGE_CODE), None
        ),
        "sorts": SORTS,
    }


# --- Related analyses -------------------------------------------------------------------------


def related_analysis_ids(
    page,
    index,
    themes=None,
    regions=None,
    unit_keys=None,
    expert_keys=None,
    limit=RELATED_LIMIT,
):
    """The ids behind "Related analyses", before the cards are loaded: the editor picks in their
    order, and the best-scored public analyses of the page's language on the facet index
    (``index``): shared themes, regions (or a part of them), centres or programmes and
    authors, each weighted by RELATED_WEIGHTS, plus a bonus for recent work; newest first at
    equal scores. Never this page, never an analysis the editors excluded, never one that shares
    nothing. Two queries (the picks, the exclusions); the scoring is done in memory. Pass the
    page's themes, regions, and the translation keys of its units and experts when they are
    already loaded."""
    # Read from the page's own links (not a join in the database), so that a preview shows the
    # picks and exclusions of the draft being edited.
    pick_ids = [
        link.analysis_id
        for link in page.related_analysis_links.all()
        if link.analysis_id and link.analysis_id != page.pk
    ]
    excluded = [link.analysis_id for link in page.excluded_related_links.all()]
    themes = page.themes.all() if themes is None else themes
    regions = page.regions.all() if regions is None else regions
    themes = {index.term_identity("theme", theme.pk) for theme in themes}
    regions = {index.term_identity("region", region.pk) for region in regions}
    shared = [
        *((index.mask("theme", theme), RELATED_WEIGHTS["themes"]) for theme in themes),
        *((index.mask("region", region), RELATED_WEIGHTS["regions"]) for region in regions),
        *((index.mask("unit", str(key)), RELATED_WEIGHTS["units"]) for key in unit_keys or ()),
        *(
            (index.mask("author", str(key)), RELATED_WEIGHTS["authors"])
            for key in expert_keys or ()
        ),
    ]
    within = BitMap.union(*(mask for mask, _weight in shared)) if shared else BitMap()
    within = within & index.of_locale(page.locale_id)
    within = within - BitMap([page.pk or 0, *pick_ids, *excluded])
    if not within:
        return pick_ids, []
    # The recency bonus, as bitmaps of the analyses published since each date (the newest
    # band gets every band's share).
    today = datetime.date.today()
    bonuses = [bonus for _days, bonus in RECENCY_BONUS] + [0]
    recency = [
        (index.published_since(today - datetime.timedelta(days=days)), bonus - bonuses[at + 1])
        for at, (days, bonus) in enumerate(RECENCY_BONUS)
    ]
    return pick_ids, index.best_scored(shared + recency, within, limit)


def choose_related(pick_ids, candidate_ids, cards, limit=RELATED_LIMIT):
    """The public picks first, in their order, topped up with the candidates; no duplicates."""
    chosen = []
    for pk in [*pick_ids, *candidate_ids]:
        if pk in cards and cards[pk] not in chosen:
            chosen.append(cards[pk])
    return chosen[:limit]


def related_analyses(
    page, themes=None, regions=None, unit_keys=None, expert_keys=None, limit=RELATED_LIMIT
):
    """The "Related analyses" cards of ``page`` (see related_analysis_ids)."""
    pick_ids, candidate_ids = related_analysis_ids(
        page, facet_index.current(), themes, regions, unit_keys, expert_keys, limit
    )
    return choose_related(pick_ids, candidate_ids, cards_by_id([*pick_ids, *candidate_ids]), limit)


# --- The analysis page ------------------------------------------------------------------------


def citation_names(page, request=None):
    """The names a citation of ``page`` gives, in the page's language: its type ("genre"), its
    series ("collection-title") and the publisher. No query (the facet index and settings)."""
    index = facet_index.current(request)
    language = page.locale.language_code if page.locale_id else None
    names = {"publisher": site_name(language, request)}
    if page.analysis_type_id:
        term = index.term("type", page.analysis_type_id, page.locale_id)
        if term is not None:
            names["genre"] = term.name
    if page.series_id:
        term = index.term("series", page.series_id, page.locale_id)
        if term is not None:
            names["collection-title"] = term.name
    return names


def analysis_page_context(page, request):
    """Everything the analysis page shows beyond its own fields, in a fixed number of queries.
    It also serves previews, where ``page`` is the draft being edited (maybe not yet saved).

    The related analyses are scored, and the newest ones found, on the facet index
    (publications.facet_index); the section pages and the page's language versions come from the
    shared cache under the content generation: no query until something changes."""
    is_preview = getattr(request, "is_preview", False)
    if page.pk and not is_preview:
        prime_foreign_keys(
            page, "locale", "analysis_type", "series", "pdf", "cover_image", defer=["pdf__text"]
        )
    locale_id = page.locale_id
    links = page.authors.select_related("expert__locale").order_by("sort_order")
    authors = author_rows({page.pk: list(links)}, locale_id, request)[page.pk]
    units = list(
        localized(
            [
                link.unit
                for link in page.research_units.select_related("unit__locale", "unit__content_type")
            ],
            locale_id,
            request,
        ).values()
    )
    index = facet_index.current(request)
    # The terms in the page's language (the facet index knows every version's name), each once.
    themes = index.localised_terms("theme", page.themes.all(), locale_id)
    regions = index.localised_terms("region", page.regions.all(), locale_id)
    analyses_index, centers_index = analyses_index_pages(locale_id, request)
    pick_ids, candidate_ids = related_analysis_ids(
        page,
        index,
        themes,
        regions,
        unit_keys={unit.translation_key for unit in units},
        expert_keys={row["page"].translation_key for row in authors if row["page"] is not None},
    )
    # Enough of the newest analyses of the language to fill "Discover" even when the related
    # ones and this page are among them.
    newest_ids = index.ids_at(index.of_locale(locale_id), 0, DISCOVER_LIMIT + RELATED_LIMIT + 1)
    # One query for the cards of both lists.
    cards = cards_by_id([*pick_ids, *candidate_ids, *newest_ids], request)
    related = choose_related(pick_ids, candidate_ids, cards)
    shown = {page.pk, *(card.pk for card in related)}
    discover = [cards[pk] for pk in newest_ids if pk in cards and pk not in shown][:DISCOVER_LIMIT]
    card_details([*related, *discover], locale_id, request)
    links, _index_page = link_landing_pages(locale_id, request, theme=themes, region=regions)
    figure_renditions(page)
    return {
        "author_rows": authors,
        "themes": links["theme"],
        "regions": links["region"],
        "terms_index": analyses_index,
        "analysis_type": (
            index.term("type", page.analysis_type_id, locale_id) if page.analysis_type_id else None
        ),
        "series": index.term("series", page.series_id, locale_id) if page.series_id else None,
        "research_units": units,
        "related_analyses": related,
        "discover_analyses": discover,
        "analyses_index": analyses_index,
        "centers_index": centers_index,
        "translations": cached_translations(page, request) if page.pk else [page],
        "identifiers": edition_identifiers(page, request),
        "pdf_language": pdf_language(page, request),
    }
