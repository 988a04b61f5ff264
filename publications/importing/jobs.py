"""What an import leaves to the background worker: the search index and Wagtail's reference
index of the analyses it saved, in bulk.

Saved one by one, each analysis enqueues its own index task (``publications.models.analysis
.reindex``) and a reference-index task per row it writes (the page, its authors, themes, regions,
centres); each index write costs Wagtail's PostgreSQL backend a pass over the whole index table
(its title norms). An import saves its rows with both deferred
(``indexing_deferred``, Wagtail's ``disable_reference_index_auto_update``) and enqueues one
``index_imported`` per batch of rows, once the batch is committed: the batch is written into the
search index in one statement and one pass, and its references recorded.
"""

from django.db import transaction
from django_tasks import task
from modelsearch.backends import get_search_backends
from wagtail.models import ReferenceIndex

from publications.models import AnalysisPage


@task()
def index_imported(page_ids):
    """Index the analyses ``page_ids`` (those still there) for search and in the reference
    index. Returns how many."""
    pages = list(AnalysisPage.get_indexed_objects().filter(pk__in=page_ids).order_by("pk"))
    if not pages:
        return 0
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(AnalysisPage, pages)
    for page in pages:
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(page)
    return len(pages)
