"""Renditions are made when an image is saved (publications.renditions), in a background task,
so that the first reader of a page never waits for them."""

import itertools
import re
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from publications.renditions import ADMIN_RENDITION_SPECS, RENDITION_SPECS, generate_renditions

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PICTURE_TAG = re.compile(r"{%\s*picture\s+\S+\s+(.*?)%}")
BRACES = re.compile(r"([\w]+)-{([^}]*)}")
IMAGE_TAG = re.compile(r"{%\s*image\s+\S+\s+([\w-]+(?:\|[\w-]+)*)")


class RenditionTests(TestCase):
    def make_image(self):
        with self.captureOnCommitCallbacks(execute=True):
            return get_image_model().objects.create(
                title="Cover", file=get_test_image_file(size=(1600, 1000))
            )

    def test_every_spec_the_templates_use_is_made_in_advance(self):
        used = {
            match
            for template in TEMPLATES.rglob("*.html")
            for match in IMAGE_TAG.findall(template.read_text())
        }
        try:  # the cover, made in Python for the page and its social-media tags
            from publications.metadata import COVER_FILTER

            used.add(COVER_FILTER)
        except ImportError:
            pass
        self.assertTrue(used)
        self.assertLessEqual(used, set(RENDITION_SPECS))

    def test_every_picture_spec_the_templates_use_is_made_in_advance(self):
        # {% picture image fill-{96x128,192x256} format-{avif,webp,jpeg} %}: every combination.
        used = set()
        for template in TEMPLATES.rglob("*.html"):
            for arguments in PICTURE_TAG.findall(template.read_text()):
                parts = [
                    [f"{name}-{value}" for value in values.split(",")]
                    for name, values in BRACES.findall(arguments)
                ]
                used |= {"|".join(combination) for combination in itertools.product(*parts)}
        self.assertIn("fill-96x128|format-avif", used)
        self.assertLessEqual(used, set(RENDITION_SPECS))

    def test_saving_an_image_makes_its_renditions(self):
        image = self.make_image()
        made = set(image.renditions.values_list("filter_spec", flat=True))
        self.assertEqual(made, {*RENDITION_SPECS, *ADMIN_RENDITION_SPECS})

    def test_a_new_file_makes_new_renditions_and_a_title_change_none(self):
        image = self.make_image()
        count = image.renditions.count()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            image.title = "New title"
            image.save(update_fields=["title"])
        self.assertFalse([c for c in callbacks if "image_saved" in repr(c)])
        self.assertEqual(image.renditions.count(), count)

    def test_the_first_reader_does_not_make_them(self):
        image = self.make_image()
        count = image.renditions.count()
        fresh = get_image_model().objects.get(pk=image.pk)
        for spec in RENDITION_SPECS:
            self.assertTrue(fresh.get_rendition(spec).url)
        self.assertEqual(image.renditions.count(), count)  # nothing new was made

    def test_the_command_queues_the_images_that_lack_some(self):
        complete, lacking = self.make_image(), self.make_image()
        lacking.renditions.filter(filter_spec__in=RENDITION_SPECS[:4]).delete()
        out = StringIO()
        call_command("make_renditions", stdout=out)  # the test settings run tasks at once
        self.assertIn("Renditions queued for 1 image(s).", out.getvalue())
        made = set(lacking.renditions.values_list("filter_spec", flat=True))
        self.assertEqual(made, {*RENDITION_SPECS, *ADMIN_RENDITION_SPECS})
        call_command("make_renditions", stdout=out)
        self.assertIn("Renditions queued for 0 image(s).", out.getvalue())
        self.assertEqual(complete.renditions.count(), len(made))

    def test_the_task_survives_a_deleted_image(self):
        image = self.make_image()
        pk = image.pk
        image.delete()
        self.assertEqual(generate_renditions.call(pk), 0)
