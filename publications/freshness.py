"""The content generation: which version of what readers can see the caches were made from.

It is the latest ``ContentChange`` row (``publications.models.changes``), written in the same
transaction as the change it records (``record_change``, called by ``publications.signals``).
The shared cache keeps a copy of it for at most ``GENERATION_TTL`` seconds, so that a cached page
costs no SQL; every app server reads it again from the database when the copy expires or is
dropped (``record_change`` drops it, at once and again after the commit). Hence:

- a change reaches every app server at once (the copy is dropped) or, should that drop be lost
  in a race with a reader, within ``GENERATION_TTL`` seconds;
- with the cache down, the generation is one indexed query per request: slower, not stale;
- after a database restore, the restored generation is the one the dump holds, different from
  every generation written since: everything cached after the dump is stale within
  ``GENERATION_TTL`` seconds, with no manual step.

A process that has recorded a change and not committed it yet (a publish runs in a transaction,
and the search index task runs inside it) sees its own new row: it never copies that generation
into the shared cache, where other processes would render the old content under it.
"""

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from wagtail.models import Site

from publications.memo import per_request
from publications.models.changes import ContentChange

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"
GENERATION_TTL = 5  # seconds the shared cache keeps the database's generation
KEEP_CHANGES = 10_000  # rows of the log kept; an app server further behind reads everything again
_MEMO_KEY = "content-generation"
_UNSET = object()


@dataclass(frozen=True)
class Generation:
    id: int  # the ContentChange row (0: none yet)
    token: str
    changed_at: float  # when, as a Unix timestamp

    @property
    def key(self):
        """What cached entries are stored with, and compared to."""
        return f"{self.id}.{self.token}"

    def as_tuple(self):
        return (self.id, self.token, self.changed_at)


NO_CHANGE_YET = Generation(0, "none", 0.0)


class _Seen:
    """The highest generation id this process has seen: a lower one later means the database
    was restored from a dump."""

    highest = 0


class _Uncommitted(threading.local):
    """The change this thread recorded and has not committed yet (0: none)."""

    change_id = 0


_uncommitted = _Uncommitted()


def forget_process_state():
    """Forget the generations seen and the change not committed (tests: each starts from a
    rolled-back database)."""
    _Seen.highest = 0
    _uncommitted.change_id = 0


def from_database():
    """The latest change, read from the database (one query)."""
    row = ContentChange.objects.order_by("-pk").values_list("pk", "token", "created_at").first()
    if row is None:
        return NO_CHANGE_YET
    pk, token, created_at = row
    return Generation(pk, token.hex, created_at.timestamp())


def current(request=None, cached=_UNSET):
    """The current generation: once per request; from the shared cache (``cached``: the value a
    caller already read from it, in the same round trip as something else), else from the
    database, which then refreshes the shared cache's copy."""

    def read():
        value = cache.get(GENERATION_KEY) if cached is _UNSET else cached
        if isinstance(value, tuple) and len(value) == 3:
            return Generation(*value)
        generation = from_database()
        if not _is_uncommitted(generation):
            cache.set(GENERATION_KEY, generation.as_tuple(), timeout=GENERATION_TTL)
            _notice_restore(generation)
        return generation

    return per_request(request, _MEMO_KEY, read)


def _is_uncommitted(generation):
    """Is ``generation`` (or a later one) this thread's own change, not committed yet?"""
    return (
        _uncommitted.change_id
        and generation.id >= _uncommitted.change_id
        and transaction.get_connection().in_atomic_block
    )


def _notice_restore(generation):
    """A generation older than one already seen: the database was restored from a dump. The
    caches under our own generation see it by themselves; Wagtail's cached site root paths
    (hosts and home pages) do not: drop them too."""
    if generation.id < _Seen.highest:
        logger.warning(
            "The content generation went back from %s to %s: the database was restored. "
            "Everything cached since is stale.",
            _Seen.highest,
            generation.id,
        )
        Site.clear_site_root_paths_cache()
    _Seen.highest = generation.id


class _Held(threading.local):
    changes = None  # within changes_recorded_once(): {(kind, translation_key)}, in order


_held = _Held()


@contextmanager
def changes_recorded_once():
    """Within this block, the changes recorded are held, and written when it ends, once each:
    an analysis added, its revision saved and published (three saves) is one change, not three.
    Use it inside the transaction that makes the changes; if the block raises, nothing is
    written (its changes roll back with it)."""
    outer = _held.changes
    _held.changes = {}
    try:
        yield
        held = _held.changes
    finally:
        _held.changes = outer
    for kind, translation_key in held:
        record_change(kind, translation_key)


def record_change(kind, translation_key=None):
    """Record a change readers can see (``ContentChange.kind``; ``translation_key`` for an
    analysis, an expert, a centre or a programme). Call it inside the transaction that makes the
    change: the row commits, or rolls back, with it. Within ``changes_recorded_once``, it is
    held (None is returned) and written when that block ends."""
    if _held.changes is not None:
        _held.changes[(kind, translation_key)] = None
        return None
    change = ContentChange.objects.create(kind=kind, translation_key=translation_key)
    if change.pk % 100 == 0:
        _prune(change.pk - KEEP_CHANGES)
    _uncommitted.change_id = change.pk
    # Drop the shared copy now and again after the commit: a reader in between may have copied
    # the generation from before this change into it.
    forget_cached_generation()
    transaction.on_commit(_committed)
    return change


def _prune(up_to):
    """Delete the log's rows up to ``up_to``, but those another transaction is deleting (or
    holds) now: two long transactions recording changes side by side (an import in several
    processes, a merge of terms beside a publish) would otherwise each wait for the rows the
    other deleted, a deadlock. What one skips, a later pruning deletes."""
    stale = ContentChange.objects.filter(pk__lte=up_to)
    if not transaction.get_connection().features.has_select_for_update_skip_locked:
        stale.delete()  # SQLite: one writer at a time, nothing to skip
        return
    with transaction.atomic():
        free = list(stale.select_for_update(skip_locked=True).values_list("pk", flat=True))
        ContentChange.objects.filter(pk__in=free).delete()


def _committed():
    _uncommitted.change_id = 0
    forget_cached_generation()


def forget_cached_generation():
    cache.delete(GENERATION_KEY)
