"""Keeping the harvest records (``publications.harvest``) in step, in the background: each change
readers can see (a ``ContentChange`` row, ``publications.freshness``) enqueues ``sync`` once its
transaction commits: one per commit, however many changes it holds. Bursts of commits (an import,
a merge of terms) enqueue many; each sync asked for before another leaves the work to it, and the
last one brings the records up to the latest change."""

import threading
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django_tasks import task

from publications import harvest
from publications.freshness import from_database
from publications.models import ContentChange

SYNCED_KEY = "harvest-records-synced-generation"
# How many syncs were asked for, counted in the shared cache: a sync asked for before a later one
# leaves the work to it.
REQUESTS_KEY = "harvest-records-sync-requests"


@task()
def sync(request=None):
    """Bring the harvest records up to date, unless a run since the latest change already has
    (the generation it started from is the latest one), or a later sync was asked for
    (``request``: this one's number among the requests): that one sees all this one would, since
    it was asked for after this one's commit. After a burst of commits (an import saves
    thousands of analyses, batch after batch), the last sync reads the records, not every one:
    each run reads every public analysis. A restored database has generations of its own
    (another token): the records are read again."""
    if request is not None and (cache.get(REQUESTS_KEY) or 0) > request:
        return "left to a later sync"
    latest = from_database().key  # read before: a change during the run enqueues its own
    if cache.get(SYNCED_KEY) == latest:
        return "up to date"
    counts = harvest.sync_records()
    cache.set(SYNCED_KEY, latest, timeout=None)
    return counts


def _request_number():
    """The number of a new request for a sync (None when the cache cannot count: the sync then
    does its work whatever came after)."""
    try:
        cache.add(REQUESTS_KEY, 0, timeout=None)
        return cache.incr(REQUESTS_KEY)
    except ValueError:  # dropped from the cache between the two calls
        return None


class _Pending(threading.local):
    """The changes recorded in this thread whose sync is not enqueued yet."""

    def __init__(self):
        self.change_ids = set()


_pending = _Pending()


def change_recorded(sender, instance, created=False, raw=False, **kwargs):
    if raw or not created:
        return
    _pending.change_ids.add(instance.pk)
    transaction.on_commit(partial(_enqueue_sync, instance.pk))


def _enqueue_sync(change_id):
    """Once the change is committed: one sync for all the changes of the commit (a publish
    records two, an import thousands), since a sync reads up to the latest change. The first
    of the commit's callbacks enqueues it; the others find their change already covered."""
    if change_id not in _pending.change_ids:
        return
    _pending.change_ids.clear()
    sync.enqueue(_request_number())


def connect():
    post_save.connect(change_recorded, sender=ContentChange, dispatch_uid="harvest_records_sync")
