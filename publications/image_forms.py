"""The image upload form (``WAGTAILIMAGES_IMAGE_FORM_BASE``): Wagtail's own, with a pixel check
that reads the image's header only.

Wagtail's ``WagtailImageField.check_image_pixel_size`` asks Willow for the size, which decodes the
whole image first (about 3.8 bytes a pixel: 245 MB for the 0.2 MB PNG of 7,999 x 7,999 pixels,
in the web worker, before it is refused). Pillow reads the width, height and frame count from the
header; a file over ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` is refused without being decoded."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class HeaderCheckedImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        if self.max_image_pixels is None:
            return super().check_image_pixel_size(f)
        position = f.tell()
        try:
            f.seek(0)
            with PILImage.open(f) as image:  # the header only: nothing is decoded
                pixels = image.width * image.height * getattr(image, "n_frames", 1)
        except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError):
            pixels = None
        except (OSError, ValueError, SyntaxError):
            return None  # not an image Pillow can read: the format check says so
        finally:
            f.seek(position)
        if pixels is None or pixels > self.max_image_pixels:
            raise ValidationError(
                self.error_messages["file_too_many_pixels"]
                % {
                    "num_pixels": pixels if pixels is not None else _("unknown number"),
                    "max_pixels_count": self.max_image_pixels,
                },
                code="file_too_many_pixels",
            )
        return None


class PublicationImageForm(BaseImageForm):
    """Every image form of the admin (upload, multiple upload, chooser, edit) is built on this."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = self.fields.get("description")
        if description is not None:
            # Wagtail uses the description as the image's alt text: say so where it is typed.
            description.label = _("Alt text (description)")
            description.help_text = _(
                "What the image shows, for readers who cannot see it; screen readers read it "
                "out. Required for a cover or an expert's photo, unless the page ticks the "
                "image as decorative."
            )
        field = self.fields.get("file")
        if field is not None and not isinstance(field, HeaderCheckedImageField):
            self.fields["file"] = HeaderCheckedImageField(
                label=field.label,
                required=field.required,
                widget=field.widget,
                help_text=field.help_text,
            )
