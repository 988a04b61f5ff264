"""RSS 2.0 and Atom feeds of analyses (django.contrib.syndication): all analyses of a language,
and those of one theme, region, research centre or programme, or expert. Each item carries its
PDF as an enclosure. The items are found on the facet index (publications.facet_index: public
analyses only, a region with its parts, a centre with its programmes, an author through a public
expert page), then read in a fixed number of queries whatever their number: the cards (type,
locale and PDF joined), their authors and their themes (one prefetch each), the authors' public
pages.

URLs (under the language prefix): ``feeds/analyses.rss``, ``feeds/analyses.atom``,
``feeds/theme/<slug>.rss``, ``feeds/region/<slug>.rss`` (themes and regions have unique slugs),
``feeds/unit/<page id>.rss`` and ``feeds/expert/<page id>.rss`` (two experts may share a slug,
never an id); ``.atom`` for each as well.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from publications import facet_index, selectors
from publications.cards import cards_in_order
from publications.models import AnalysisAuthor
from publications.visibility import public
from research_centers.models import ExpertPage, ProgrammePage, ResearchCenterPage

FEED_LENGTH = 30
FEED_KINDS = ("all", "theme", "region", "unit", "expert")


def feed_url(kind, ident=None, feed_format="rss"):
    """The path of a feed in the active language (no query): ``ident`` is a theme's or region's
    slug, a centre's, programme's or expert's page id."""
    if kind == "all":
        return reverse(f"analyses_feed_{feed_format}")
    return reverse(f"analyses_feed_{feed_format}_by", kwargs={"kind": kind, "slug": ident})


class FeedSubject:
    def __init__(self, kind, title, link, mask, description=""):
        self.kind, self.title, self.link = kind, title, link
        self.mask, self.description = mask, description


def _locale():
    try:
        return Locale.get_active()
    except Locale.DoesNotExist as exc:  # pragma: no cover - every language has a locale
        raise Http404 from exc


def _term(terms, slug):
    term = next((term for term in terms if term.slug == slug), None)
    if term is None:
        raise Http404
    return term


def _research_page(kind, ident, request):
    """The public centre, programme or expert page with this id (any language)."""
    classes = (ExpertPage,) if kind == "expert" else (ResearchCenterPage, ProgrammePage)
    if not ident.isdigit():
        raise Http404
    page = public(Page.objects.type(*classes).filter(pk=int(ident)), request).first()
    if page is None:
        raise Http404
    return page


class AnalysesFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, kind="all", slug=None):
        self.request = request
        self.locale = _locale()
        index = facet_index.current(request)
        everything = index.of_locale(self.locale.pk)
        site = settings.WAGTAIL_SITE_NAME
        if kind == "all":
            return FeedSubject(kind, _("Analyses | %(site)s") % {"site": site}, "/", everything)
        if kind in ("theme", "region"):
            term = _term(index.themes if kind == "theme" else index.regions, slug)
            subject = FeedSubject(
                kind,
                _("Analyses: %(name)s | %(site)s") % {"name": term.name, "site": site},
                reverse("wagtail_serve", args=("",)),
                index.mask(kind, term.pk) & everything,
                term.description,
            )
        elif kind in ("unit", "expert"):
            page = _research_page(kind, slug, request)
            facet = "author" if kind == "expert" else "unit"
            subject = FeedSubject(
                kind,
                _("Analyses: %(name)s | %(site)s") % {"name": page.title, "site": site},
                page.get_url(request) or "/",
                index.mask(facet, str(page.translation_key)) & everything,
            )
        else:
            raise Http404
        if not subject.mask:
            raise Http404  # nothing public of this subject in this language: no such feed
        return subject

    def title(self, subject):
        return subject.title

    def link(self, subject):
        return subject.link

    def description(self, subject):
        return subject.description or _("The latest analyses of %(site)s.") % {
            "site": settings.WAGTAIL_SITE_NAME
        }

    def feed_url(self, subject):
        return self.request.path

    def language(self, subject):
        return translation.get_language()

    def items(self, subject):
        index = facet_index.current(self.request)
        ids = index.ids_at(subject.mask, 0, FEED_LENGTH)
        cards = cards_in_order(
            ids,
            self.request,
            prepare=lambda queryset: (
                queryset.select_related("pdf")
                .defer("pdf__text")
                .prefetch_related(
                    Prefetch(
                        "authors",
                        queryset=AnalysisAuthor.objects.select_related("expert__locale").order_by(
                            "sort_order"
                        ),
                    ),
                    "themes",
                )
            ),
        )
        self.authors = selectors.author_rows(
            {card.pk: list(card.authors.all()) for card in cards}, self.locale.pk, self.request
        )
        return cards

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.teaser

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return self.request.build_absolute_uri(item.get_url(self.request))

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item):
        names = [row["name"] for row in self.authors.get(item.pk, [])]
        return ", ".join(names) or None

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]

    def item_enclosures(self, item):
        if not item.pdf_id:
            return []
        return [
            Enclosure(
                self.request.build_absolute_uri(item.pdf.url),
                str(item.pdf.file_size or 0),
                "application/pdf",
            )
        ]


class AnalysesAtomFeed(AnalysesFeed):
    feed_type = Atom1Feed
    subtitle = AnalysesFeed.description
