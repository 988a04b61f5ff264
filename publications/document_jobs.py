"""Reading an uploaded PDF, in the background: its page count and its text for search.

When a document is saved with a new file (``PublicationDocument._set_document_file_metadata``
marks it "being read"), ``read_document`` is enqueued once the transaction commits (django-tasks:
the database backend in production and development, run by the ``db_worker`` process). It reads the
file in a bounded child process (``publications.bounded``: a time and a memory limit), so a hostile
PDF costs the child its life and nothing else. The document is usable from the start (readers can
download it as soon as a public page links to it); the task then records the facts, or that the
text could not be read, which the admin shows to the editor. Many documents saved at once (an
import) are read together instead (``reading_deferred``, ``read_documents``): one child process
for a batch of files.
"""

import logging
import threading
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django_tasks import task
from wagtail.documents import get_document_model

from publications.bounded import JobFailed, run_python
from publications.pdf import local_path

logger = logging.getLogger(__name__)


@contextmanager
def file_on_disk(document):
    """A local path of the document's file: the file itself on local storage, a temporary copy
    when it lives elsewhere (S3)."""
    try:
        path = document.file.path
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    with document.open_file() as handle, local_path(handle) as copy:
        yield copy


@task()
def read_document(document_id, file_name):
    """Read the page count and text of a document's file, within the job limits
    (``BACKGROUND_JOB_TIME_LIMIT``, ``BACKGROUND_JOB_MEMORY_MB``). Returns what happened."""
    return read_documents([(document_id, file_name)])[0]


def read_documents(pairs):
    """``read_document`` for many documents, (id, file name) each: their files are read in one
    bounded child process (one start of Python for all; an import reads thousands), and if it
    fails, each file is read again in a child of its own, within the same limits, so that only
    the file at fault fails. Returns each one's outcome: "read", "gone", or why the text could
    not be read ("time", "memory", "error")."""
    Document = get_document_model()
    found = Document.objects.in_bulk([document_id for document_id, _name in pairs])
    # Deleted, or given another file since (a newer task reads that one): "gone".
    readable = [
        (pair, found[pair[0]])
        for pair in pairs
        if pair[0] in found and found[pair[0]].file.name == pair[1]
    ]
    read = {}
    with ExitStack() as stack:
        opened = []
        for pair, document in readable:
            try:
                opened.append((pair, stack.enter_context(file_on_disk(document))))
            except OSError as failure:
                read[pair] = (None, "error", failure)
        answers = _read_paths([path for _pair, path in opened])
        for (pair, _path), (facts, outcome) in zip(opened, answers, strict=True):
            read[pair] = (facts, outcome, outcome)
    outcomes = {}
    with transaction.atomic():  # one commit for the batch (one change for the caches to follow)
        for pair, _document in readable:
            facts, outcome, failure = read[pair]
            if facts is None:
                logger.warning("Could not read document %s (%s): %s", *pair, failure)
            document = Document.objects.select_for_update().filter(pk=pair[0], file=pair[1])
            document = document.first()
            if document is None:
                outcome = "gone"
            else:
                document.record_reading(facts)
            outcomes[pair] = outcome
    return [outcomes.get(pair, "gone") for pair in pairs]


def _read_paths(paths):
    """(facts or None, outcome) of each PDF at ``paths``, read in one bounded child process,
    or one each if that fails."""
    if not paths:
        return []
    try:
        answers = run_python(
            "publications.pdf:read_facts_many",
            {"paths": paths},
            time_limit=settings.BACKGROUND_JOB_TIME_LIMIT,
            memory_mb=settings.BACKGROUND_JOB_MEMORY_MB,
        )
    except (JobFailed, OSError) as failure:  # OSError: the child could not be started
        if len(paths) == 1:
            return [(None, getattr(failure, "reason", "error"))]
        return [answer for path in paths for answer in _read_paths([path])]
    return [(facts, "read" if facts is not None else "error") for facts in answers]


class _DeferredReading(threading.local):
    """The documents (id, file name) saved in this thread with a new file while their reading
    is deferred (None: it is not)."""

    documents = None


_deferred = _DeferredReading()


@contextmanager
def reading_deferred():
    """Within this block, a document saved with a new file is not queued for reading on its
    own: (its id, its file name) joins the set yielded, for the caller to have them read
    together (``read_documents``; an import: ``publications.importing.jobs``)."""
    previous = _deferred.documents
    _deferred.documents = set()
    try:
        yield _deferred.documents
    finally:
        _deferred.documents = previous


def document_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not instance.needs_reading():
        return
    if update_fields is not None and "file" not in update_fields:
        return
    document_id, file_name = instance.pk, instance.file.name
    if _deferred.documents is not None:
        _deferred.documents.add((document_id, file_name))
        return
    transaction.on_commit(lambda: read_document.enqueue(document_id, file_name))


def connect():
    post_save.connect(document_saved, sender=get_document_model(), dispatch_uid="read_on_save")
