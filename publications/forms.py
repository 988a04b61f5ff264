from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class AnalysisPageForm(WagtailAdminPageForm):
    """The analysis editor. Themes and regions are chosen from their lists, by id
    (``MultipleChooserPanel`` over the ``theme_items`` and ``region_items`` relations): no term is
    typed, so none is created by a typo. A term chosen twice is refused, naming it."""

    term_relations = ("theme_items", "region_items")

    def clean(self):
        cleaned_data = super().clean()
        for relation in self.term_relations:
            formset = self.formsets.get(relation)
            if formset is None or not formset.is_valid():
                continue
            seen, repeated = set(), []
            for form in formset.forms:
                tag = form.cleaned_data.get("tag")
                if tag is None or form.cleaned_data.get("DELETE"):
                    continue
                if tag.pk in seen:
                    repeated.append(str(tag))
                seen.add(tag.pk)
            if repeated:
                self.add_error(
                    None,
                    _("Chosen twice: %(terms)s. Remove one.") % {"terms": ", ".join(repeated)},
                )
        return cleaned_data
