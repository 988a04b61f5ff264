"""Image renditions made when an image is saved, so that the first reader of a page never waits
for them.

``RENDITION_SPECS`` lists every filter spec the public templates use with ``{% image %}`` (keep it
in step with them: ``tests/test_renditions.py`` checks). When an image is saved with a new file,
``generate_renditions`` is enqueued as a background task (django-tasks, ``TASKS`` in the settings)
once the transaction commits: on the immediate backend (the default, in development, tests and
production) it runs right after the upload, in the editor's request; a queue backend moves it to
a worker without any change here.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django_tasks import task
from wagtail.images import get_image_model

logger = logging.getLogger(__name__)

# The analysis cover (publications.metadata.COVER_FILTER), the expert photo on the expert's page
# and on a person card, a figure in an analysis body.
RENDITION_SPECS = ("width-800", "fill-320x320", "fill-160x160", "width-1200")


@task()
def generate_renditions(image_id):
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:  # deleted since
        return 0
    try:
        renditions = image.get_renditions(*RENDITION_SPECS)
    except Exception:  # noqa: BLE001 - a bad file: the page will show the error as it would anyway
        logger.exception("Could not generate the renditions of image %s", image_id)
        return 0
    return len(renditions)


def image_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and "file" not in update_fields:
        return
    image_id = instance.pk
    transaction.on_commit(lambda: generate_renditions.enqueue(image_id))


def connect():
    post_save.connect(image_saved, sender=get_image_model(), dispatch_uid="renditions_on_save")
