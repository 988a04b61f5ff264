"""Image renditions made when an image is saved, in the background, so that neither the first
reader of a page nor the editor's upload request waits for them (or holds their memory).

``RENDITION_SPECS`` lists every filter spec the public templates use with ``{% picture %}`` (keep
it in step with them: ``tests/test_renditions.py`` checks); ``ADMIN_RENDITION_SPECS`` those of
Wagtail's admin (the thumbnails of the image listing and choosers, the edit page's preview and its
focal-point area). When an image is saved with a new file, ``generate_renditions`` is enqueued as a
background task (django-tasks, ``TASKS`` in the settings) once the transaction commits, and the
``db_worker`` process runs it.

A rendition decodes the whole original (about 7.6 bytes a pixel for a PNG: 186 MB at the
24-megapixel limit, ``WAGTAILIMAGES_MAX_IMAGE_PIXELS``), so the files are made one after the other
in a bounded fork of the worker (``publications.bounded.run_forked``: a time and a memory limit),
which hands back the files; the worker records them. A hostile image costs the fork its life, not
the worker its memory.
"""

import logging
import os
import shutil
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.signals import post_save
from django_tasks import task
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from publications.bounded import JobFailed, run_forked

logger = logging.getLogger(__name__)

FORMATS = ("avif", "webp", "jpeg")  # the last is the <img> fallback of {% picture %}


def picture_specs(operation, sizes):
    """The specs of ``{% picture image <operation>-{<sizes>} format-{avif,webp,jpeg} %}``, in the
    order Wagtail expands them ("fill-96x128|format-avif", ...)."""
    return tuple(f"{operation}-{size}|format-{fmt}" for size in sizes for fmt in FORMATS)


# Each set is what one {% picture %} of the public templates asks for, in AVIF, WebP and a JPEG
# fallback; its sizes are the width the layout gives it (static/css/site.css), at 1x and 2x.
# An analysis card's thumbnail (templates/components/analysis_card.html: 96 px wide).
CARD_SPECS = picture_specs("fill", ("96x128", "192x256"))
# The cover on the analysis page (88 px wide in the download block on a phone, 256 px in the side
# column) and leading the home page (176 px, 256 px from 48em).
COVER_SPECS = picture_specs("width", (176, 256, 512))
# An expert's photo on a person card (templates/components/expert_card.html: 72 px).
EXPERT_CARD_SPECS = picture_specs("fill", ("80x80", "160x160"))
# An expert's photo on their page (templates/pages/expert_page.html: 128 px, 160 px from 48em).
EXPERT_PHOTO_SPECS = picture_specs("fill", ("160x160", "320x320"))
# A figure in an analysis body (templates/components/streamfield/figure_block.html): the column's
# width, at most 672 px (42rem).
FIGURE_SPECS = picture_specs("width", (480, 800, 1200))
# The analysis cover for Open Graph (publications.metadata.COVER_FILTER) and the sets above.
RENDITION_SPECS = tuple(
    dict.fromkeys(
        (
            "width-800",
            *CARD_SPECS,
            *COVER_SPECS,
            *EXPERT_CARD_SPECS,
            *EXPERT_PHOTO_SPECS,
            *FIGURE_SPECS,
        )
    )
)
# Wagtail's admin: listing and chooser thumbnails, the edit page's preview and focal-point area.
ADMIN_RENDITION_SPECS = ("max-165x165", "max-800x600", "original")


def prefetch_renditions(images, specs):
    """Load the renditions ``specs`` of several images (one query, none without an image), so that
    ``{% picture %}`` finds them without a query each: Wagtail's ``get_renditions`` reads
    prefetched renditions first.

    An image shown twice on a page (the same chart in two figures of a body, each with its own alt
    text: Wagtail's ImageBlock) is two instances of it. Django would give both the same rendition
    objects, which point back to one instance only: the alt text of one would show on both. Each
    query therefore loads at most one instance of each image: one more query for each repetition
    (none on most pages)."""
    rounds, seen = [], set()
    for image in images:
        if image is None or id(image) in seen:
            continue
        seen.add(id(image))
        batch = next((batch for batch in rounds if image.pk not in batch), None)
        if batch is None:
            batch = {}
            rounds.append(batch)
        batch[image.pk] = image
    Rendition = get_image_model().get_rendition_model()
    for batch in rounds:
        renditions = Rendition.objects.filter(filter_spec__in=specs)
        prefetch_related_objects(list(batch.values()), Prefetch("renditions", queryset=renditions))


def make_rendition_files(image, specs, directory):
    """In the bounded fork: write the file of each rendition into ``directory``, one at a time.
    Touches no database. Returns (spec, focal point key, file name, path) for each."""
    made = []
    for spec in specs:
        rendition_filter = Filter(spec=spec)
        generated = image.generate_rendition_file(rendition_filter)
        path = os.path.join(directory, f"{len(made)}")
        with open(path, "wb") as out:
            generated.seek(0)
            shutil.copyfileobj(generated, out)
        made.append((spec, rendition_filter.get_cache_key(image), generated.name, path))
    return made


@task()
def generate_renditions(image_id):
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:  # deleted since
        return 0
    wanted = [Filter(spec=spec) for spec in (*RENDITION_SPECS, *ADMIN_RENDITION_SPECS)]
    existing = image.find_existing_renditions(*wanted)
    missing = [spec_filter.spec for spec_filter in wanted if spec_filter not in existing]
    if not missing:
        return 0
    directory = tempfile.mkdtemp(prefix="renditions-")
    try:
        try:
            made = run_forked(
                make_rendition_files,
                image,
                missing,
                directory,
                time_limit=settings.BACKGROUND_JOB_TIME_LIMIT,
                memory_mb=settings.BACKGROUND_JOB_MEMORY_MB,
            )
        except JobFailed as failure:
            logger.warning("Could not make the renditions of image %s: %s", image_id, failure)
            return 0
        for spec, focal_point_key, name, path in made:
            with open(path, "rb") as handle:
                image.renditions.get_or_create(
                    filter_spec=spec,
                    focal_point_key=focal_point_key,
                    defaults={"file": File(handle, name=name)},
                )
        return len(made)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def image_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and "file" not in update_fields:
        return
    image_id = instance.pk
    transaction.on_commit(lambda: generate_renditions.enqueue(image_id))


def connect():
    post_save.connect(image_saved, sender=get_image_model(), dispatch_uid="renditions_on_save")
