from django.apps import apps
from django.utils.translation import gettext as _
from taggit.utils import parse_tags
from wagtail.admin.forms import WagtailAdminPageForm


class AnalysisPageForm(WagtailAdminPageForm):
    """The analysis editor. Themes and regions are controlled vocabularies: a term that is not in
    the list is refused with a message naming it (Wagtail alone would drop it silently)."""

    controlled_vocabularies = {"themes": "publications.Theme", "regions": "publications.Region"}

    def clean(self):
        cleaned_data = super().clean()
        for field_name, model_label in self.controlled_vocabularies.items():
            raw = self.data.get(self.add_prefix(field_name))
            if field_name not in self.fields or not raw:
                continue
            typed = parse_tags(raw)
            model = apps.get_model(model_label)
            known = {
                name.lower()
                for name in model.objects.filter(name__in=typed).values_list("name", flat=True)
            }
            unknown = [name for name in typed if name.lower() not in known]
            if unknown:
                message = _(
                    "Not in the list: %(terms)s. Pick existing terms, or have the term added "
                    "to the list of %(list)s first."
                )
                self.add_error(
                    field_name,
                    message
                    % {"terms": ", ".join(unknown), "list": model._meta.verbose_name_plural},
                )
        return cleaned_data
