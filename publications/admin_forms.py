"""What the page editor checks as the editor types: identifiers as pasted, the alt text of the
images a page shows (a cover, an expert's photo), and the pre-publication checklist of an
analysis when it is submitted, published or approved.

Mixins over Wagtail's ``WagtailAdminPageForm`` (the page models' ``base_form_class``)."""

from django import forms
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from publications.forms import AnalysisPageForm
from publications.page_context import provider
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
    ticks that it is decorative, or the page gives its own (``page_alt_text_fields``: an image
    field -> the page's field of alt text in its language). ``alt_text_fields`` maps an image
    field to its "decorative" field."""

    alt_text_fields = {}
    page_alt_text_fields = {}

    def clean(self):
        cleaned_data = super().clean()
        for image_field, decorative_field in self.alt_text_fields.items():
            image = cleaned_data.get(image_field)
            if image is None or cleaned_data.get(decorative_field):
                continue
            own = self.page_alt_text_fields.get(image_field)
            if own and (cleaned_data.get(own) or "").strip():
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


def requested_final_action(data):
    """What the editor's form asks of the page beyond saving a draft, as the checklist's
    ``refusal_message`` names it: "submit" (*Submit for review*, or *Restart workflow*),
    "publish", "approve" (a workflow action), or None. The names of the footer's buttons, as
    Wagtail's page views read them."""
    if data.get("action-publish"):
        return "publish"
    if data.get("action-submit") or data.get("action-restart-workflow"):
        return "submit"
    if data.get("action-workflow-action") and data.get("workflow-action-name") == "approve":
        return "approve"
    return None


class ChecklistMixin:
    """Submitting, publishing or approving an analysis with a required item of its checklist
    missing (``publications.readiness``) is refused with a message naming what is missing. It
    is a form error, as Wagtail's own for a required field: the editor is shown the form with
    all they typed, and Wagtail's autosave keeps it as a draft (*Save draft* too: saving a draft
    is never refused for the checklist). The checklist the form checked is kept on the form
    (``checklist``) for the editor's checklist panel."""

    # The page's fields the checklist reads, taken from what the editor typed.
    checklist_fields = (
        "summary",
        "cover_image",
        "cover_is_decorative",
        "cover_alt_text",
        "pdf",
        "has_no_pdf",
        "isbn",
        "issn",
        "doi",
        "search_description",
    )
    checklist = None

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("pdf") is not None and cleaned_data.get("has_no_pdf"):
            self.add_error(
                "has_no_pdf",
                _("A PDF is chosen: remove it, or untick “This analysis has no PDF”."),
            )
        # A draft (Wagtail defers required fields on a plain save, autosave included) is never
        # refused for the checklist.
        action = requested_final_action(self.data)
        if action is None or self.is_deferred_validation:
            return cleaned_data
        self.checklist = provider(self.instance, "readiness")(
            self.checked_page(cleaned_data), relations=self.relation_counts()
        )
        if self.checklist.blocking:
            self.add_error(None, self.checklist.refusal_message(action))
        return cleaned_data

    def checked_page(self, cleaned_data):
        """An unsaved copy of the page with what the editor typed (the form's own instance is
        left for Wagtail to fill). A field the form refused counts as empty; one the form does
        not have (kept from the editor by a permission) keeps the page's value."""
        page = self.instance
        values = {
            name: cleaned_data[name] if name in cleaned_data else getattr(page, name)
            for name in self.checklist_fields
            if name in cleaned_data or name not in self.fields
        }
        return type(page)(
            id=page.pk,
            locale_id=page.locale_id,
            translation_key=page.translation_key,
            content_type_id=page.content_type_id,
            **values,
        )

    def relation_counts(self):
        """How many authors, themes, regions and centres or programmes the editor's formsets
        hold (those not removed; an author with an expert chosen or a name typed)."""
        filled = {
            "authors": lambda data: data.get("expert") or (data.get("name") or "").strip(),
            "theme_items": lambda data: data.get("tag"),
            "region_items": lambda data: data.get("tag"),
            "research_units": lambda data: data.get("unit"),
        }
        counts = {}
        for name, is_filled in filled.items():
            formset = self.formsets.get(name)
            forms_data = []
            if formset is not None and formset.is_valid():
                forms_data = [form.cleaned_data for form in formset.forms]
            counts[name] = sum(
                1 for data in forms_data if data and not data.get("DELETE") and is_filled(data)
            )
        return counts


class AnalysisEditorForm(
    ChecklistMixin, DraftSlugMixin, IsbnInputMixin, AltTextMixin, AnalysisPageForm
):
    alt_text_fields = {"cover_image": "cover_is_decorative"}
    page_alt_text_fields = {"cover_image": "cover_alt_text"}


class ExpertPageForm(DraftSlugMixin, AltTextMixin, WagtailAdminPageForm):
    alt_text_fields = {"photo": "photo_is_decorative"}


class ResearchUnitPageForm(DraftSlugMixin, WagtailAdminPageForm):
    """Centres and programmes: editors and research staff add programmes, and leave *Add page*
    forms open as anyone does."""
