"""Reading an uploaded PDF, in the background: its page count and its text for search.

When a document is saved with a new file (``PublicationDocument._set_document_file_metadata``
marks it "being read"), ``read_document`` is enqueued once the transaction commits (django-tasks:
the database backend in production and development, run by the ``db_worker`` process). It reads the
file in a bounded child process (``publications.bounded``: a time and a memory limit), so a hostile
PDF costs the child its life and nothing else. The document is usable from the start (readers can
download it as soon as a public page links to it); the task then records the facts, or that the
text could not be read, which the admin shows to the editor.
"""

import logging
from contextlib import contextmanager

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
    Document = get_document_model()
    document = Document.objects.filter(pk=document_id, file=file_name).first()
    if document is None:
        return "gone"  # deleted, or given another file since (a newer task reads that one)
    try:
        with file_on_disk(document) as path:
            facts = run_python(
                "publications.pdf:read_facts",
                {"path": path},
                time_limit=settings.BACKGROUND_JOB_TIME_LIMIT,
                memory_mb=settings.BACKGROUND_JOB_MEMORY_MB,
            )
    except (JobFailed, OSError) as failure:
        logger.warning("Could not read document %s (%s): %s", document_id, file_name, failure)
        outcome, facts = getattr(failure, "reason", "error"), None
    else:
        outcome = "read"
    with transaction.atomic():
        current = Document.objects.select_for_update().filter(pk=document_id, file=file_name)
        document = current.first()
        if document is None:
            return "gone"
        document.record_reading(facts)
    return outcome


def document_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not instance.needs_reading():
        return
    if update_fields is not None and "file" not in update_fields:
        return
    document_id, file_name = instance.pk, instance.file.name
    transaction.on_commit(lambda: read_document.enqueue(document_id, file_name))


def connect():
    post_save.connect(document_saved, sender=get_document_model(), dispatch_uid="read_on_save")
