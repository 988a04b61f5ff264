"""Signal handlers: invalidate the page cache when anything a public page shows changes, purge the
CDN when one is configured, and generate image renditions in the background when an image is
saved. Connected in ``PublicationsConfig.ready()``."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from publications import page_cache

logger = logging.getLogger(__name__)


def _bump(**kwargs):
    # Now, and again after the commit: a reader in between may have cached the old content under
    # the new generation. (Outside a transaction, on_commit runs at once.)
    page_cache.bump_generation()
    transaction.on_commit(page_cache.bump_generation)


def content_changed(sender, **kwargs):
    if kwargs.get("raw"):  # fixtures
        return
    _bump()


def page_changed(sender, instance=None, **kwargs):
    _bump()
    if instance is not None and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        transaction.on_commit(lambda: purge_cdn(instance))


def purge_cdn(page):
    """The pages that list this one: its parents up to the home page (the analyses index, a
    centre). Wagtail's frontend_cache purges the page itself; other pages expire from the CDN
    after ``s-maxage``."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    try:
        batch = PurgeBatch()
        batch.add_pages(list(page.get_ancestors().filter(depth__gt=1).specific()))
        batch.purge()
    except Exception:  # noqa: BLE001 - the CDN being down must not block a publish
        logger.exception("Purging the CDN for page %s failed", page.pk)


def invalidating_models():
    """Everything besides pages that a public page may show or depend on."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import (
        Collection,
        CollectionViewRestriction,
        Locale,
        PageViewRestriction,
        Site,
    )

    from publications.models import AnalysisType, Region, Series, Theme

    return [
        Theme,
        Region,
        AnalysisType,
        Series,
        get_document_model(),
        get_image_model(),
        Locale,
        Site,
        PageViewRestriction,
        CollectionViewRestriction,
        Collection,
    ]


def connect():
    page_published.connect(page_changed, dispatch_uid="page_cache_published")
    page_unpublished.connect(page_changed, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(page_changed, dispatch_uid="page_cache_moved")
    # Any page saved outside the publishing workflow (scripts, imports, the tree's bookkeeping)
    # or deleted (with its subtree); not a draft saved in the editor (DRAFT_BOOKKEEPING_FIELDS).
    post_save.connect(_page_saved, dispatch_uid="page_cache_any_save")
    post_delete.connect(_page_deleted, dispatch_uid="page_cache_any_delete")
    for model in invalidating_models():
        post_save.connect(content_changed, sender=model, dispatch_uid=f"page_cache_{model}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"page_cache_d_{model}")

    from publications.renditions import connect as connect_renditions

    connect_renditions()


# What Wagtail writes on a page when a draft is saved (Page.save_revision) or the page is locked:
# nothing a reader sees. Such a save leaves the public caches (and the listing's facet index) be.
DRAFT_BOOKKEEPING_FIELDS = {
    "comments",
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
}


def _page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    from wagtail.models import Page

    if raw or not isinstance(instance, Page):
        return
    if update_fields and set(update_fields) <= DRAFT_BOOKKEEPING_FIELDS:
        return
    _bump()


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        _bump()
