"""What the page editor checks as the editor types: identifiers as pasted, and the alt text of
the images a page shows (a cover, an expert's photo).

Mixins over Wagtail's ``WagtailAdminPageForm`` (the page models' ``base_form_class``)."""

from django import forms
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from publications.forms import AnalysisPageForm
from publications.validators import compact_isbn, strip_isbn_prefix, validate_isbn

# Longer than any ISBN with its prefix and hyphens ("ISBN-13: 978-2-36567-111-8" is 26): the
# browser never cuts what is pasted; a longer text is refused with a message, not truncated.
ISBN_INPUT_MAX_LENGTH = 40


class IsbnInputMixin:
    """The ISBN as pasted: an "ISBN" prefix, spaces and hyphens are accepted and dropped (the
    stored form is compact), and the message about a wrong one quotes all that was typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("isbn")
        if field is not None:
            self.fields["isbn"] = forms.CharField(
                label=field.label,
                help_text=_(
                    "ISBN-10 or ISBN-13, as printed: “ISBN 978-2-36567-111-8” or "
                    "9782365671118; the check digit is verified."
                ),
                required=False,
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )

    def clean_isbn(self):
        typed = (self.cleaned_data.get("isbn") or "").strip()
        if not typed:
            return ""
        if len(typed) > ISBN_INPUT_MAX_LENGTH:
            raise forms.ValidationError(
                _("“%(value)s” is too long for an ISBN."), params={"value": typed}
            )
        try:
            validate_isbn(strip_isbn_prefix(typed))
        except forms.ValidationError as error:
            raise forms.ValidationError(
                _("“%(value)s” is not a valid ISBN-10 or ISBN-13 (%(reason)s)."),
                params={"value": typed, "reason": error.params["reason"]},
                code="invalid_isbn",
            ) from error
        return compact_isbn(typed)


class AltTextMixin:
    """An image a page shows needs its alt text (the image's description), unless the editor
    ticks that it is decorative. ``alt_text_fields`` maps an image field to its "decorative"
    field."""

    alt_text_fields = {}

    def clean(self):
        cleaned_data = super().clean()
        for image_field, decorative_field in self.alt_text_fields.items():
            image = cleaned_data.get(image_field)
            if image is None or cleaned_data.get(decorative_field):
                continue
            if not (image.description or "").strip():
                self.add_error(
                    image_field,
                    format_html(
                        '{} <a href="{}" target="_blank">{}</a>',
                        _(
                            "This image has no alt text. Write what it shows in its “Alt text "
                            "(description)”, or tick “Decorative” below if it adds nothing a "
                            "reader needs."
                        ),
                        reverse("wagtailimages:edit", args=[image.pk]),
                        _("Write the alt text (opens in a new tab)"),
                    ),
                )
        return cleaned_data


class DraftSlugMixin:
    """A slug taken by a draft nobody published (an *Add page* form left open, which Wagtail's
    autosave had already created) is not a silent dead end: the message names the draft and
    links to it, to carry on there or delete it."""

    def clean(self):
        cleaned_data = super().clean()
        slug = self.data.get(self.add_prefix("slug"), "").strip()
        if "slug" not in self.errors or not slug or self.parent_page is None:
            return cleaned_data
        draft = (
            self.parent_page.get_children()
            .filter(slug=slug, live=False, first_published_at__isnull=True)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if draft is None:
            return cleaned_data
        saved = draft.latest_revision_created_at
        message = _(
            "An unpublished draft, “%(title)s”, last saved %(when)s, already has this address. "
            "Carry on with that draft (or delete it), or change the slug."
        ) % {
            "title": draft.get_admin_display_title(),
            "when": formats.date_format(timezone.localtime(saved), "DATETIME_FORMAT")
            if saved
            else "—",
        }
        self.errors["slug"] = self.error_class(
            [
                format_html(
                    '{} <a href="{}">{}</a>',
                    message,
                    reverse("wagtailadmin_pages:edit", args=[draft.pk]),
                    _("Open the draft"),
                )
            ]
        )
        return cleaned_data


class AnalysisEditorForm(DraftSlugMixin, IsbnInputMixin, AltTextMixin, AnalysisPageForm):
    alt_text_fields = {"cover_image": "cover_is_decorative"}


class ExpertPageForm(DraftSlugMixin, AltTextMixin, WagtailAdminPageForm):
    alt_text_fields = {"photo": "photo_is_decorative"}
