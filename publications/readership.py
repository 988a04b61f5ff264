"""Readership counting: how many times each analysis is read, and its PDF downloaded, per day.

On the request path, counting is one addition to a dictionary in the process's memory, keyed by
(what, which, language, day): no database, no cache, no network, so a slow or absent database or
Redis never slows or breaks a page or a download for it. The counts are added to the
``DailyReadership`` rows in batches, off the request path:

- the first count after a flush starts a timer thread, which flushes ``READERSHIP_FLUSH_SECONDS``
  later (one thread per process at a time, so at most one flush per interval per process, and
  none while nobody reads);
- at process exit (gunicorn replacing a worker after ``max_requests``, a deploy, a stop), what is
  left is flushed (``atexit``); a process killed outright (SIGKILL) loses at most one interval;
- a flush adds the counts to the rows (an insert that ignores existing rows, then
  ``views = views + n``: atomic under concurrent flushes of several processes, on SQLite and
  PostgreSQL) in one transaction. If it fails (database down, slow, locked), the counts go back
  into memory for the next flush, and the failure is logged: nothing is lost silently.

What counts (``is_reader``): a GET, from a client without a session cookie (editors signed in to
the admin, and readers of password-protected pages, are not counted), whose User-Agent is not on
the list of known bots, crawlers and scripts (the ``crawler-user-agents`` package, a maintained
list of about 1,500 patterns; an empty User-Agent counts as a script). A view is counted by
``config.middleware.ReadershipMiddleware`` for an analysis page that is public, answered 200 (and
served from the page cache as much as rendered); not HEAD requests, previews, drafts or private
pages. A download is counted by ``publications.views.serve_document``: a public PDF answered 200,
not a range request that does not start at the first byte (a viewer fetching the rest of the
file). It is counted against the analysis whose PDF it is (``AnalysisPage.pdf``), resolved at
flush time: when several analyses share the file (a translation that kept its source's PDF), the
one in the reader's language, else the oldest.

Nothing about a reader is read or kept besides these rules: no address, no cookie, no
User-Agent (it is only matched against the list, and the last few thousand verdicts are
remembered by the string), no time of day.

With a CDN or a browser cache in front, pages and PDFs served from there never reach the app and
are not counted (pages say ``max-age=60``, public PDFs ``max-age=300``).

Settings: ``READERSHIP_ENABLED`` (default True), ``READERSHIP_FLUSH_SECONDS`` (default 30; 0: no
background flush and no flush at exit: tests call ``flush()`` themselves).
"""

import atexit
import functools
import logging
import threading
from collections import defaultdict

from crawleruseragents import is_crawler
from django.conf import settings
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language

from publications.models import AnalysisPage, DailyReadership

logger = logging.getLogger(__name__)

VIEW, DOWNLOAD = "view", "download"
# The response header that carries the id of the analysis a page shows, from the view to
# config.middleware.ReadershipMiddleware (through the page cache, which stores it with the page);
# the middleware removes it from every response.
HEADER = "X-Readership-Analysis"
DEFAULT_FLUSH_SECONDS = 30
# User-Agent strings longer than this are matched on their beginning only.
USER_AGENT_LENGTH = 512


# --- Who is a reader ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def is_bot(user_agent):
    """Is this User-Agent a known bot, crawler, feed reader, link checker or script? Matching
    the whole list takes about 0.1 ms; a User-Agent seen lately is answered from memory."""
    if not user_agent.strip():
        return True
    return is_crawler(user_agent)


def is_reader(request):
    """A GET from someone without a session, whose User-Agent is not a known bot."""
    if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return not is_bot(request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH])


def starts_the_file(request):
    """No Range header, or one whose first range starts at the first byte: the start of a
    download, not a viewer fetching the rest of a file it already counted."""
    value = request.META.get("HTTP_RANGE", "")
    if not value:
        return True
    unit, _, ranges = value.partition("=")
    return unit.strip().lower() == "bytes" and ranges.split(",")[0].strip().startswith("0-")


def enabled():
    return getattr(settings, "READERSHIP_ENABLED", True)


# --- Counting, in memory -----------------------------------------------------------------------


class _Tally:
    """The counts of this process since its last flush, and the timer of the next flush."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.timer = None
        self.exit_flush_registered = False

    def add(self, key):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            scheduled = self.timer is not None
        if not scheduled:
            self.schedule()

    def schedule(self):
        """Start the timer of the next flush, unless one is running or flushing is manual."""
        seconds = flush_seconds()
        if seconds <= 0:
            return
        with self.lock:
            if self.timer is not None:
                return
            self.timer = timer = threading.Timer(seconds, _flush_in_background)
            timer.name, timer.daemon = "readership-flush", True
            if not self.exit_flush_registered:
                atexit.register(flush_at_exit)
                self.exit_flush_registered = True
        timer.start()

    def take(self):
        with self.lock:
            counts, self.counts = self.counts, {}
        return counts

    def give_back(self, counts):
        with self.lock:
            for key, number in counts.items():
                self.counts[key] = self.counts.get(key, 0) + number

    def pending(self):
        with self.lock:
            return dict(self.counts)


_tally = _Tally()


def flush_seconds():
    return getattr(settings, "READERSHIP_FLUSH_SECONDS", DEFAULT_FLUSH_SECONDS)


def count_view(request, page_id):
    """Count a reader's view of the analysis ``page_id`` (already known to be public and
    answered 200)."""
    try:
        if enabled() and is_reader(request):
            _tally.add((VIEW, int(page_id), "", timezone.localdate()))
    except Exception:  # noqa: BLE001 - counting never breaks a page
        logger.exception("Counting a view failed")


def count_download(request, document_id):
    """Count a reader's download of the document ``document_id`` (already known to be public
    and answered 200)."""
    try:
        if enabled() and is_reader(request) and starts_the_file(request):
            key = (DOWNLOAD, int(document_id), get_language() or "", timezone.localdate())
            _tally.add(key)
    except Exception:  # noqa: BLE001 - counting never breaks a download
        logger.exception("Counting a download failed")


def pending():
    """The counts not flushed yet: {(kind, page or document id, language, date): number}."""
    return _tally.pending()


def forget():
    """Drop the counts not flushed yet (tests)."""
    _tally.take()


# --- Flushing to the database ------------------------------------------------------------------


def flush():
    """Add the counts kept in memory to the database, in one transaction. Returns how many
    (analysis, day) rows were written, or None when the database refused: the counts are then
    kept for the next flush, and the failure is logged."""
    counts = _tally.take()
    if not counts:
        return 0
    try:
        rows = _rows(counts)
        _write(rows)
    except Exception:  # noqa: BLE001 - whatever the cause, nothing is lost: retried next time
        _tally.give_back(counts)
        logger.exception(
            "Could not write the readership figures; %d counts are kept for the next try",
            sum(counts.values()),
        )
        return None
    return len(rows)


def _rows(counts):
    """{(analysis id, date): [views, downloads]} from the counts: documents resolved to the
    analysis whose PDF they are, analyses deleted since left out."""
    documents = {ident for kind, ident, _language, _day in counts if kind == DOWNLOAD}
    owners = _pdf_owners(documents)
    totals = defaultdict(lambda: [0, 0])
    for (kind, ident, language, day), number in counts.items():
        if kind == VIEW:
            totals[(ident, day)][0] += number
            continue
        page_id = _owner(owners.get(ident, ()), language)
        if page_id is not None:
            totals[(page_id, day)][1] += number
    pages = {page_id for page_id, _day in totals}
    existing = set(AnalysisPage.objects.filter(pk__in=pages).values_list("pk", flat=True))
    return {key: value for key, value in totals.items() if key[0] in existing}


def _pdf_owners(document_ids):
    """{document id: [(analysis id, language code, live), ...]} for the analyses whose PDF each
    document is."""
    owners = defaultdict(list)
    if document_ids:
        rows = AnalysisPage.objects.filter(pdf_id__in=document_ids).values_list(
            "pk", "pdf_id", "locale__language_code", "live"
        )
        for pk, pdf_id, language, live in rows:
            owners[pdf_id].append((pk, language, live))
    return owners


def _owner(candidates, language):
    """The analysis a download counts against: live before not, the reader's language first,
    then the oldest."""
    if not candidates:
        return None
    return min(candidates, key=lambda c: (not c[2], c[1] != language, c[0]))[0]


def _write(rows):
    """Add ``rows`` to the table: create the missing (analysis, day) rows, then add to each.
    In a fixed order, so that two processes flushing at once never wait on each other's rows
    in a cycle."""
    ordered = sorted(rows.items())
    with transaction.atomic():
        DailyReadership.objects.bulk_create(
            [DailyReadership(page_id=page_id, date=day) for (page_id, day), _ in ordered],
            ignore_conflicts=True,
        )
        for (page_id, day), (views, downloads) in ordered:
            DailyReadership.objects.filter(page_id=page_id, date=day).update(
                views=F("views") + views, downloads=F("downloads") + downloads
            )


def _flush_in_background():
    """The timer thread's work: flush, close this thread's connection, and start the next timer
    if counts came in meanwhile (or stayed, the database being down)."""
    try:
        flush()
    finally:
        connections.close_all()
        with _tally.lock:
            _tally.timer = None
            again = bool(_tally.counts)
        if again:
            _tally.schedule()


def flush_at_exit():
    """Flush what is left when the process ends: the pending timer is cancelled (or, flushing,
    waited for), then the rest is written. Not where flushing is manual (the tests: their
    database is gone by then)."""
    if flush_seconds() <= 0:
        return
    timer = _tally.timer
    if timer is not None:
        timer.cancel()
        if timer.is_alive() and timer is not threading.current_thread():
            timer.join(timeout=10)
    if _tally.pending():
        flush()
