"""The public read API (Wagtail's API, v2) at ``/api/v2/``: analyses, themes, regions, research
centres and experts, for partners who reuse the catalogue.

- Public items only, by the one rule (``publications.visibility``); a reader's session is never
  read (no draft through an editor's cookie), and nothing can be written.
- Analyses take the listing's filters, with the same names and values as the analyses index's URL
  (``theme``, ``region``, ``type``, ``series`` by slug; ``unit`` and ``author`` by page id;
  ``language`` for "available in"; ``year_from``, ``year_to``; ``q`` to search), worked out on the
  facet index as the listing does (``publications.listing.matching``); ``locale`` for the
  analyses of one language, ``order`` (``-publication_date``...), ``limit`` and ``offset``.
  Each analysis gives its authors (named as the page names them), themes, regions, centres and
  programmes, its own ISBN and DOI (a translation does not give its source's), and the PDF's
  absolute URL, size and page count.
- A list costs the same queries whatever its length: the page of items, one query each for their
  authors, themes, regions and centres, and the language versions' identifiers.
- Rate-limited per client address (``API_RATE_LIMIT``, DRF's throttling in the shared cache);
  read-only CORS (any origin, GET, HEAD and OPTIONS, no credentials).

Wagtail's v2 API describes itself in no OpenAPI document; README lists the endpoints and their
fields. Every absolute URL is on the site's origin: the Wagtail Site record, which Wagtail's API
reads when ``WAGTAILAPI_BASE_URL`` is not set (``publications.site_origin``).
"""

from django.conf import settings
from django.db.models import Prefetch
from django.utils.functional import cached_property
from rest_framework.fields import Field, ReadOnlyField
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle
from wagtail.api import APIField
from wagtail.api.v2.filters import LocaleFilter, OrderingFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.models import Locale, Page
from wagtail.rich_text import expand_db_html

from publications import facet_index, selectors, site_origin
from publications.facet_index import NEWEST_FIRST
from publications.listing import FACETS, ListingParams, matching
from publications.models import AnalysisAuthor, AnalysisPage, AnalysisResearchUnit, Region, Theme
from publications.visibility import is_public, public
from research_centers.models import ExpertPage, ProgrammePage, ResearchCenterPage

LISTING_PARAMETERS = frozenset([*(name for name, _label in FACETS), "year_from", "year_to", "q"])
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Type",
    "Access-Control-Max-Age": "86400",
}


class ApiThrottle(AnonRateThrottle):
    """Every client by its address (the API reads no session), at ``API_RATE_LIMIT``."""

    scope = "public_api"

    def get_rate(self):
        return settings.API_RATE_LIMIT


class PublicReadOnly:
    """What every endpoint shares: no session, no write, throttled, read-only CORS; fields are
    the endpoint's own (``fields_of_model``), not attributes added to the models."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ApiThrottle]
    http_method_names = ["get", "head", "options"]
    fields_of_model = []

    @classmethod
    def get_body_fields(cls, model):
        return cls._convert_api_fields(cls.body_fields + list(cls.fields_of_model))

    def check_query_parameters(self, queryset):
        """Only the parameters the endpoint reads: a field name is no filter here (the filters
        are the listing's), and a parameter nothing reads is an error, not silently ignored."""
        unknown = set(self.request.GET) - self.known_query_parameters
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a filter: " + ", ".join(sorted(unknown))
            )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response

    # Facts read once for a page of items (authors, identifiers...), by the item's pk.
    def paginate_queryset(self, queryset):
        items = list(super().paginate_queryset(queryset))
        self.facts = self.facts_for(items)
        return items

    def get_object(self):
        instance = super().get_object()
        if not hasattr(self, "facts"):
            self.facts = self.facts_for([instance])
        return instance

    def facts_for(self, items):
        return {}


class FactField(Field):
    """A field read from the view's facts about the item (``PublicReadOnly.facts``)."""

    def __init__(self, fact, **kwargs):
        self.fact = fact
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return self.context["view"].facts.get(instance.pk, {}).get(self.fact)

    def to_representation(self, value):
        return value


class RichTextHtml(Field):
    """Rich text as HTML with its links resolved (Wagtail's own expansion)."""

    def to_representation(self, value):
        return expand_db_html(value or "")


def _term(term):
    """A term (publications.facet_index.Term) in an analysis's language: ``id`` is the term's
    identity, the id of its first version, whatever the language (the ``/themes/`` item of that
    id); ``slug`` and ``name`` are those of its version in the analysis's language."""
    return {"id": term.pk, "slug": term.slug, "name": term.name}


def _page_link(page, request):
    return {"id": page.pk, "title": page.title, "html_url": page.get_full_url(request)}


class PublicPagesViewSet(PublicReadOnly, PagesAPIViewSet):
    filter_backends = [OrderingFilter, LocaleFilter]
    known_query_parameters = BaseAPIViewSet.known_query_parameters.union(["locale"]) - {
        "search",
        "search_operator",
    }
    model = None
    page_models = ()

    def get_base_queryset(self):
        return public(Page.objects.all(), self.request)

    def get_queryset(self):
        queryset = public(self.model.objects.all(), self.request)
        if len(self.page_models) > 1:
            queryset = queryset.type(*self.page_models)
        return self.prepare(queryset.select_related("locale")).order_by("pk")

    def prepare(self, queryset):
        return queryset

    def find_object(self, queryset, request):
        if "html_path" in request.GET:
            return None  # pages are found by id here
        return super().find_object(queryset, request)


class AnalysesViewSet(PublicPagesViewSet):
    name = "analyses"
    model = AnalysisPage
    known_query_parameters = PublicPagesViewSet.known_query_parameters | LISTING_PARAMETERS
    fields_of_model = [
        "title",
        "subtitle",
        "publication_date",
        APIField("teaser", serializer=ReadOnlyField()),
        APIField("summary", serializer=RichTextHtml(read_only=True)),
        APIField("analysis_type", serializer=FactField("analysis_type")),
        APIField("series", serializer=FactField("series")),
        APIField("authors", serializer=FactField("authors")),
        APIField("themes", serializer=FactField("themes")),
        APIField("regions", serializer=FactField("regions")),
        APIField("research_units", serializer=FactField("research_units")),
        APIField("identifiers", serializer=FactField("identifiers")),
        APIField("pdf", serializer=FactField("pdf")),
    ]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "publication_date",
        "authors",
        "pdf",
    ]

    def prepare(self, queryset):
        return (
            queryset.select_related("analysis_type", "series", "pdf")
            .defer("body", "pdf__text")
            .prefetch_related(
                Prefetch(
                    "authors",
                    queryset=AnalysisAuthor.objects.select_related("expert__locale"),
                ),
                "themes",
                "regions",
                Prefetch(
                    "research_units",
                    queryset=AnalysisResearchUnit.objects.select_related("unit").order_by(
                        "sort_order"
                    ),
                ),
            )
        )

    def get_queryset(self):
        queryset = super().get_queryset()
        if LISTING_PARAMETERS & set(self.request.GET):
            params = ListingParams.from_querydict(self.request.GET)
            if params.malformed:
                raise BadRequestError("a filter has a value that is not a slug, id or year")
            found = matching(
                facet_index.current(self.request),
                params,
                self.slug_locale_id(),
                search_scope=AnalysisPage.objects.live(),
            )
            queryset = queryset.filter(pk__in=list(found))
        if "order" not in self.request.GET:
            queryset = queryset.order_by(*NEWEST_FIRST)  # as the listing
        return queryset

    def slug_locale_id(self):
        """The language whose slug wins when two terms share one across languages: the
        ``locale`` asked for, else the default language."""
        code = self.request.GET.get("locale", "")
        locale = Locale.objects.filter(language_code=code).first() if code else None
        return (locale or Locale.get_default()).pk

    @cached_property
    def root_url(self):
        return site_origin.site_root_url(self.request)

    def facts_for(self, items):
        request = self.request
        index = facet_index.current(request)

        def term(kind, pk, locale_id):
            return index.term(kind, pk, locale_id) if pk else None

        by_locale = {}
        for item in items:
            by_locale.setdefault(item.locale_id, {})[item.pk] = list(item.authors.all())
        authors = {}
        for locale_id, links in by_locale.items():
            authors.update(selectors.author_rows(links, locale_id, request))
        identifiers = selectors.editions_identifiers(items)
        facts = {}
        for item in items:
            pdf = item.pdf if item.pdf_id else None
            analysis_type = term("type", item.analysis_type_id, item.locale_id)
            series = term("series", item.series_id, item.locale_id)
            facts[item.pk] = {
                "analysis_type": _term(analysis_type) if analysis_type else None,
                "series": (
                    {
                        **_term(series),
                        "number": item.series_number,
                        "issn": item.issn_display,
                    }
                    if series
                    else None
                ),
                "authors": [
                    {
                        "name": row["name"],
                        "affiliation": row["affiliation"],
                        "expert": _page_link(row["page"], request) if row["page"] else None,
                    }
                    for row in authors.get(item.pk, [])
                ],
                "themes": [
                    _term(theme)
                    for theme in index.localised_terms("theme", item.themes.all(), item.locale_id)
                ],
                "regions": [
                    _term(region)
                    for region in index.localised_terms(
                        "region", item.regions.all(), item.locale_id
                    )
                ],
                "research_units": [
                    _page_link(link.unit, request)
                    for link in item.research_units.all()
                    if is_public(link.unit, request)
                ],
                "identifiers": {
                    "isbn": item.isbn_display if identifiers[item.pk]["isbn"] else "",
                    "doi": identifiers[item.pk]["doi"],
                    "issn": item.issn_display,
                },
                "pdf": (
                    {
                        "url": site_origin.absolute_url(request, pdf.url, self.root_url),
                        "size": pdf.file_size,
                        "pages": pdf.page_count,
                    }
                    if pdf
                    else None
                ),
            }
        return facts


class CentresViewSet(PublicPagesViewSet):
    """Research centres, and their programmes (``type=research_centers.ProgrammePage``...)."""

    name = "centres"
    model = Page
    page_models = (ResearchCenterPage, ProgrammePage)
    fields_of_model = [
        "title",
        APIField("introduction", serializer=FactField("introduction")),
        APIField("is_archived", serializer=FactField("is_archived")),
    ]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + ["introduction"]

    def prepare(self, queryset):
        return queryset.specific()

    def facts_for(self, items):
        return {
            item.pk: {"introduction": item.introduction, "is_archived": item.is_archived}
            for item in items
        }

    def get_object(self):
        return super().get_object().specific


class ExpertsViewSet(PublicPagesViewSet):
    name = "experts"
    model = ExpertPage
    fields_of_model = [
        "title",
        "role",
        APIField("bio", serializer=RichTextHtml(read_only=True)),
        "languages",
    ]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + ["role"]


class TermsViewSet(PublicReadOnly, BaseAPIViewSet):
    """The terms at least one public analysis has (those the listing and the sitemap show), each
    language version an item (``locale`` for one language); the versions of a term share its
    ``translation_key``, and an analysis names the term by the id of its first version."""

    filter_backends = [OrderingFilter, LocaleFilter]
    known_query_parameters = BaseAPIViewSet.known_query_parameters.union(["locale"])
    fields_of_model = [
        "name",
        "slug",
        "description",
        APIField("locale", serializer=ReadOnlyField(source="locale.language_code")),
        "translation_key",
    ]
    listing_default_fields = BaseAPIViewSet.listing_default_fields + ["name", "slug", "locale"]
    facet = None

    def get_queryset(self):
        index = facet_index.current(self.request)
        used = [pk for pk, found in index.masks[self.facet].items() if found]
        keys = self.model.objects.filter(pk__in=used).values("translation_key")
        return (
            self.model.objects.filter(translation_key__in=keys)
            .select_related("locale")
            .order_by("name", "pk")
        )


class ThemesViewSet(TermsViewSet):
    name = "themes"
    model = Theme
    facet = "theme"


class RegionsViewSet(TermsViewSet):
    name = "regions"
    model = Region
    facet = "region"
    fields_of_model = TermsViewSet.fields_of_model + ["parent_id"]


api_router = WagtailAPIRouter("public_api")
# Experts before centres: the router names a page's endpoint by the first whose model it is.
for viewset in (AnalysesViewSet, ThemesViewSet, RegionsViewSet, ExpertsViewSet, CentresViewSet):
    api_router.register_endpoint(viewset.name, viewset)
