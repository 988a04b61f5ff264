"""What an import leaves to the background worker, in bulk: reading its new PDFs, then the
search index and Wagtail's reference index of the analyses it saved.

Saved one by one, each analysis enqueues its own index task (``publications.models.analysis
.reindex``) and a reference-index task per row it writes (the page, its authors, themes, regions,
centres); each new PDF its own reading task, in a child process of its own, which then indexes
its analysis again; and each index write costs Wagtail's PostgreSQL backend a pass over the whole
index table (its title norms). An import saves its rows with all three deferred
(``indexing_deferred``, ``reading_deferred``, Wagtail's ``disable_reference_index_auto_update``)
and enqueues one ``index_imported`` per batch of rows, once the batch is committed: its PDFs are
read a few dozen per child process, then the batch is written into the search index in one
statement and one pass (with the text of its PDFs), and its references recorded.
"""

import logging

from django.db import transaction
from django_tasks import task
from modelsearch.backends import get_search_backends
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from publications.document_jobs import read_documents
from publications.models import AnalysisPage
from publications.models.analysis import indexing_deferred

logger = logging.getLogger(__name__)

# PDFs read by one child process: small enough that a batch of long reports stays well within
# BACKGROUND_JOB_TIME_LIMIT.
READ_BATCH = 20


@task()
def index_imported(page_ids, documents=()):
    """Read the new PDFs ``documents`` ([id, file name] each), then index the analyses
    ``page_ids`` (those still there) for search and in the reference index. Returns how many
    analyses."""
    documents = [tuple(document) for document in documents]
    # A PDF read asks for its analyses to be indexed again (they are, below), and recording its
    # page count and text changes none of its references.
    with indexing_deferred() as also, disable_reference_index_auto_update():
        for start in range(0, len(documents), READ_BATCH):
            try:
                read_documents(documents[start : start + READ_BATCH])
            except Exception:  # the analyses are indexed all the same (without that text)
                batch = documents[start : start + READ_BATCH]
                logger.exception("Could not read the imported documents %s", batch)
    pages = list(
        AnalysisPage.get_indexed_objects().filter(pk__in={*page_ids, *also}).order_by("pk")
    )
    if not pages:
        return 0
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(AnalysisPage, pages)
    for page in pages:
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(page)
    return len(pages)
