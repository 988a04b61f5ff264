"""RSS 2.0 and Atom 1.0 feeds of analyses (django.contrib.syndication): all analyses of a language,
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

What readers and validators rely on:

- the language is the feed's own (``<language>``, Atom's ``xml:lang``);
- an item's date is the analysis' publication date (midnight, in the site's time zone), the date
  its page shows, and the items come newest first by that date; Atom's ``updated`` is the last
  time the page was published, if later;
- every absolute URL is on the site's one origin (publications.site_origin);
- a feed's Atom id is the feed's own URL (one per language and subject), an entry's id its
  page's URL;
- each author is an element of their own (``<dc:creator>`` in RSS, ``<author>`` in Atom, with the
  expert's page);
- a subject with no public analysis in the language has no feed (404), and pages advertise only
  feeds that have items.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from publications import facet_index, selectors
from publications.cards import cards_in_order
from publications.models import AnalysisAuthor, AnalysisIndexPage
from publications.site_names import site_name
from publications.site_origin import absolute_url, site_root_url
from publications.visibility import public
from research_centers.models import ExpertPage, ProgrammePage, ResearchCenterPage

FEED_LENGTH = 30
FEED_KINDS = ("all", "theme", "region", "unit", "expert")
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


def feed_url(kind, ident=None, feed_format="rss"):
    """The path of a feed in the active language (no query): ``ident`` is a theme's or region's
    slug, a centre's, programme's or expert's page id."""
    if kind == "all":
        return reverse(f"analyses_feed_{feed_format}")
    return reverse(f"analyses_feed_{feed_format}_by", kwargs={"kind": kind, "slug": ident})


def publication_datetime(date):
    """An analysis' publication date as the instant feeds give it: midnight in the site's time
    zone (settings.TIME_ZONE)."""
    return datetime.datetime.combine(
        date, datetime.time.min, tzinfo=timezone.get_default_timezone()
    )


class FeedSubject:
    def __init__(self, kind, ident, title, link, mask, description=""):
        self.kind, self.ident, self.title, self.link = kind, ident, title, link
        self.mask, self.description = mask, description


def _locale():
    try:
        return Locale.get_active()
    except Locale.DoesNotExist as exc:  # pragma: no cover - every language has a locale
        raise Http404 from exc


def _term(terms_by_slug, slug):
    """The term with this slug in the feed's language (or in another: the same term)."""
    term = terms_by_slug.get(slug)
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


# --- The writers: one element per author ------------------------------------------------------


class AnalysesRss(Rss201rev2Feed):
    """RSS 2.0, each author a Dublin Core ``<dc:creator>`` (RSS's own ``<author>`` must be an
    e-mail address, which the site does not publish)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("authors", ()):
            handler.addQuickElement("dc:creator", author["name"])


class AnalysesAtom(Atom1Feed):
    """Atom 1.0, each author an ``<author>`` of their own, with their expert page as ``<uri>``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            if author["uri"]:
                handler.addQuickElement("uri", author["uri"])
            handler.endElement("author")


# --- The feeds ----------------------------------------------------------------------------------


class AnalysesFeed(Feed):
    feed_type = AnalysesRss
    feed_format = "rss"

    def __call__(self, request, *args, **kwargs):
        # The URLconf holds one instance for every request; what a request finds (its language,
        # its authors) is kept on an instance of its own.
        return Feed.__call__(type(self)(), request, *args, **kwargs)

    def get_object(self, request, kind="all", slug=None):
        self.request = request
        self.locale = _locale()
        self.language = self.locale.language_code  # <language>, Atom's xml:lang
        self.root_url = site_root_url(request)
        index = self.index = facet_index.current(request)
        everything = index.of_locale(self.locale.pk)
        site = site_name(self.language, request)
        analyses_index = selectors.analyses_index_pages(self.locale.pk, request)[0]
        index_url = analyses_index.get_full_url(request) if analyses_index else None
        home_url = self.absolute(reverse("wagtail_serve", args=("",)))
        if kind == "all":
            return FeedSubject(
                kind,
                None,
                _("Analyses | %(site)s") % {"site": site},
                index_url or home_url,
                everything,
            )
        if kind in ("theme", "region"):
            term = _term(index.terms_by_slug(kind, self.locale.pk), slug)
            subject = FeedSubject(
                kind,
                term.slug,
                _("Analyses: %(name)s | %(site)s") % {"name": term.name, "site": site},
                (
                    f"{index_url}{AnalysisIndexPage.landing_path(kind, term.slug)}"
                    if analyses_index
                    else home_url
                ),
                index.mask(kind, term.pk) & everything,
                term.description,
            )
        elif kind in ("unit", "expert"):
            page = _research_page(kind, slug, request)
            facet = "author" if kind == "expert" else "unit"
            subject = FeedSubject(
                kind,
                str(page.pk),
                _("Analyses: %(name)s | %(site)s") % {"name": page.title, "site": site},
                page.get_full_url(request) or home_url,
                index.mask(facet, str(page.translation_key)) & everything,
            )
        else:
            raise Http404
        if not subject.mask:
            raise Http404  # nothing public of this subject in this language: no such feed
        return subject

    def absolute(self, url):
        return absolute_url(self.request, url, self.root_url)

    def title(self, subject):
        return subject.title

    def link(self, subject):
        return subject.link

    def description(self, subject):
        return subject.description or _("The latest analyses of %(site)s.") % {
            "site": site_name(request=self.request)
        }

    def feed_url(self, subject):
        return self.absolute(feed_url(subject.kind, subject.ident, self.feed_format))

    def feed_guid(self, subject):
        """Atom's feed id: the Atom feed's own URL, one per language and subject."""
        return self.absolute(feed_url(subject.kind, subject.ident, "atom"))

    def author_name(self, subject):
        """The institute, as the feed's author: Atom asks for one where an entry names none."""
        return site_name(request=self.request)

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
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_guid_is_permalink(self, item):
        return True

    def item_pubdate(self, item):
        return publication_datetime(item.publication_date)

    def item_updateddate(self, item):
        published = publication_datetime(item.publication_date)
        changed = item.last_published_at or item.first_published_at
        return max(published, changed) if changed else published

    def item_extra_kwargs(self, item):
        return {
            "authors": [
                {
                    "name": row["name"],
                    "uri": row["page"].get_full_url(self.request) if row["page"] else None,
                }
                for row in self.authors.get(item.pk, [])
            ]
        }

    def item_categories(self, item):
        # The themes in the feed's language (the facet index knows every version's name).
        return [
            term.name
            for term in self.index.localised_terms("theme", item.themes.all(), self.locale.pk)
        ]

    def item_enclosures(self, item):
        if not item.pdf_id:
            return []
        return [
            Enclosure(
                self.absolute(item.pdf.url),
                str(item.pdf.file_size or 0),
                "application/pdf",
            )
        ]


class AnalysesAtomFeed(AnalysesFeed):
    feed_type = AnalysesAtom
    feed_format = "atom"
    subtitle = AnalysesFeed.description
