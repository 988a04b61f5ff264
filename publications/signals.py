"""Signal handlers: record every change readers can see in the content change log
(``publications.freshness.record_change``: the caches and the facet index follow it), purge the
CDN when one is configured, generate image renditions in the background when an image is saved,
and read a document's page count and text in the background when it gets a new file. Connected in
``PublicationsConfig.ready()``.

What is a change: a page saved with anything but draft bookkeeping (publishing, unpublishing,
scheduled publishing and expiry all save the page), moved or deleted; a taxonomy term, a locale,
a site, a view restriction, a document, an image or a collection saved or deleted. Saving a draft
is not one: readers see nothing of it.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from modelsearch.index import remove_object
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.signals import page_published, page_unpublished, post_page_move

from publications.document_jobs import connect as connect_document_jobs
from publications.freshness import record_change
from publications.models import AnalysisPage, AnalysisType, ContentChange, Region, Series, Theme
from publications.models.analysis import reindex
from publications.models.changes import is_draft_bookkeeping
from publications.renditions import connect as connect_renditions
from research_centers.models import ExpertPage, ProgrammePage, ResearchCenterPage

logger = logging.getLogger(__name__)

# Models whose changes may change what any page shows, and which pages are public: the facet
# index is read again.
EVERYTHING_MODELS = (Theme, Region, AnalysisType, Series, Locale, Site, PageViewRestriction)
# Models that pages show, but the facet index does not hold.
FILE_MODELS = (get_document_model(), get_image_model(), Collection, CollectionViewRestriction)


def record_page_change(page, moved=False):
    """Record a change of ``page``: an analysis, or an expert, centre or programme, names itself
    (the facet index reads its language versions again); moving any other page (a section, with
    the analyses and people below it), or a centre, programme or expert (a programme's centre
    counts its analyses) needs everything read again."""
    page_class = page.specific_class or Page
    if issubclass(page_class, AnalysisPage):
        record_change(ContentChange.ANALYSIS, page.translation_key)
    elif moved:
        record_change(ContentChange.EVERYTHING)
    elif issubclass(page_class, (ExpertPage, ResearchCenterPage, ProgrammePage)):
        record_change(ContentChange.PERSON_OR_UNIT, page.translation_key)
        if issubclass(page_class, ExpertPage):
            # Their analyses are searched by the names of their public authors.
            reindex_analyses_of(page)
    else:
        record_change(ContentChange.PAGES)


def reindex_analyses_of(expert):
    """Index again the analyses an expert (in any language) wrote, once the change commits."""
    analyses = AnalysisPage.objects.filter(
        authors__expert__translation_key=expert.translation_key
    ).distinct()

    def reindex_all():
        for analysis in analyses.only("pk"):
            reindex(analysis)

    transaction.on_commit(reindex_all)


def page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, Page):
        return
    if is_draft_bookkeeping(update_fields):
        return
    record_page_change(instance)


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        record_page_change(instance)


def analysis_deleted(sender, instance, **kwargs):
    """Analyses are indexed by their own save() (search_auto_update is off for them): take them
    out of the search index here."""
    remove_object(instance)


def page_moved(sender, instance, **kwargs):
    record_page_change(instance, moved=True)
    purge_cdn_after_commit(instance)


def model_changed(sender, raw=False, **kwargs):
    if raw:  # fixtures
        return
    kind = ContentChange.EVERYTHING if sender in EVERYTHING_MODELS else ContentChange.PAGES
    record_change(kind)


def purge_cdn_after_commit(page):
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        transaction.on_commit(lambda: purge_cdn(page))


def page_published_or_unpublished(sender, instance, **kwargs):
    purge_cdn_after_commit(instance)


def purge_cdn(page):
    """The pages that list this one: its parents up to the home page (the analyses index, a
    centre). Wagtail's frontend_cache purges the page itself; other pages expire from the CDN
    after ``s-maxage``."""
    try:
        batch = PurgeBatch()
        batch.add_pages(list(page.get_ancestors().filter(depth__gt=1).specific()))
        batch.purge()
    except Exception:  # noqa: BLE001 - the CDN being down must not block a publish
        logger.exception("Purging the CDN for page %s failed", page.pk)


def connect():
    post_save.connect(page_saved, dispatch_uid="content_change_page_saved")
    post_delete.connect(page_deleted, dispatch_uid="content_change_page_deleted")
    post_delete.connect(
        analysis_deleted, sender=AnalysisPage, dispatch_uid="search_analysis_deleted"
    )
    post_page_move.connect(page_moved, dispatch_uid="content_change_page_moved")
    page_published.connect(page_published_or_unpublished, dispatch_uid="cdn_purge_published")
    page_unpublished.connect(page_published_or_unpublished, dispatch_uid="cdn_purge_unpublished")
    for model in (*EVERYTHING_MODELS, *FILE_MODELS):
        post_save.connect(model_changed, sender=model, dispatch_uid=f"content_change_{model}")
        post_delete.connect(model_changed, sender=model, dispatch_uid=f"content_change_d_{model}")
    connect_renditions()
    connect_document_jobs()
