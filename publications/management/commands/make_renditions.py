from django.core.management.base import BaseCommand
from django.db.models import Count, Q
from wagtail.images import get_image_model

from publications.renditions import ADMIN_RENDITION_SPECS, RENDITION_SPECS, generate_renditions


class Command(BaseCommand):
    help = (
        "Queue, for the background worker, the renditions of every image that lacks some of those "
        "the site shows (publications.renditions). New images get theirs on upload: run it once "
        "after a deploy that changes the sizes (the deploy's migrate step does)."
    )

    def handle(self, *args, **options):
        specs = (*RENDITION_SPECS, *ADMIN_RENDITION_SPECS)
        made = Count(
            "renditions__filter_spec", filter=Q(renditions__filter_spec__in=specs), distinct=True
        )
        image_ids = list(
            get_image_model()
            .objects.annotate(made=made)
            .filter(made__lt=len(specs))
            .values_list("pk", flat=True)
        )
        for image_id in image_ids:
            generate_renditions.enqueue(image_id)
        self.stdout.write(f"Renditions queued for {len(image_ids)} image(s).")
