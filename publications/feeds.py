"""RSS 2.0 and Atom feeds of analyses (django.contrib.syndication): all analyses of a language,
and those of one theme, region, research centre or programme, or expert. Each item carries its
PDF as an enclosure. A fixed number of queries whatever the number of items: the subject, the
items (type, locale and PDF joined), their authors and their themes (one prefetch each).

URLs (under the language prefix): ``feeds/analyses.rss``, ``feeds/analyses.atom``,
``feeds/<kind>/<slug>.rss`` and ``.atom``, kind one of theme, region, unit, expert.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from publications import selectors
from publications.models import (
    AnalysisAuthor,
    AnalysisRegion,
    AnalysisResearchUnit,
    AnalysisTheme,
    Region,
    Theme,
)

FEED_LENGTH = 30
FEED_KINDS = ("all", "theme", "region", "unit", "expert")


def feed_url(kind, slug=None, feed_format="rss"):
    """The path of a feed in the active language (no query)."""
    if kind == "all":
        return reverse(f"analyses_feed_{feed_format}")
    return reverse(f"analyses_feed_{feed_format}_by", kwargs={"kind": kind, "slug": slug})


class FeedSubject:
    def __init__(self, kind, title, link, condition=None, description=""):
        self.kind, self.title, self.link = kind, title, link
        self.condition, self.description = condition, description


def _locale():
    try:
        return Locale.get_active()
    except Locale.DoesNotExist as exc:  # pragma: no cover - every language has a locale
        raise Http404 from exc


def _research_page(kind, slug):
    from research_centers.models import ExpertPage, ProgrammePage, ResearchCenterPage

    classes = (ExpertPage,) if kind == "expert" else (ResearchCenterPage, ProgrammePage)
    pages = selectors.live_public(Page.objects).type(*classes).filter(slug=slug)
    page = pages.filter(locale=_locale()).first() or pages.first()
    if page is None:
        raise Http404
    return page


class AnalysesFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, kind="all", slug=None):
        self.request = request
        site = settings.WAGTAIL_SITE_NAME
        if kind == "all":
            return FeedSubject(kind, _("Analyses | %(site)s") % {"site": site}, "/")
        if kind == "theme":
            term = get_object_or_404(Theme, slug=slug)
            condition = Exists(
                AnalysisTheme.objects.filter(content_object=OuterRef("pk"), tag=term)
            )
        elif kind == "region":
            term = get_object_or_404(Region, slug=slug)
            condition = Exists(
                AnalysisRegion.objects.filter(
                    content_object=OuterRef("pk"), tag_id__in=Region.descendant_ids([term.pk])
                )
            )
        elif kind in ("unit", "expert"):
            page = _research_page(kind, slug)
            if kind == "unit":
                # A centre's feed includes the analyses of its programmes.
                keys = Page.objects.descendant_of(page, inclusive=True).values("translation_key")
                condition = Exists(
                    AnalysisResearchUnit.objects.filter(
                        page=OuterRef("pk"), unit__translation_key__in=keys
                    )
                )
            else:
                condition = Exists(
                    AnalysisAuthor.objects.filter(
                        page=OuterRef("pk"), expert__translation_key=page.translation_key
                    )
                )
            return FeedSubject(
                kind,
                _("Analyses: %(name)s | %(site)s") % {"name": page.title, "site": site},
                page.get_url(request) or "/",
                condition,
            )
        else:
            raise Http404
        return FeedSubject(
            kind,
            _("Analyses: %(name)s | %(site)s") % {"name": term.name, "site": site},
            reverse("wagtail_serve", args=("",)),
            condition,
            term.description,
        )

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
        queryset = selectors.analysis_cards(locale_id=_locale().pk)
        if subject.condition is not None:
            queryset = queryset.filter(subject.condition)
        return list(
            selectors.newest_first(queryset)
            .select_related("pdf")
            .defer("pdf__text")
            .prefetch_related(
                Prefetch(
                    "authors",
                    queryset=AnalysisAuthor.objects.select_related("expert").order_by("sort_order"),
                ),
                "themes",
            )[:FEED_LENGTH]
        )

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
        names = [author.display_name for author in item.authors.all()]
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
