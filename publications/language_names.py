"""How a language is named in a sentence of the active language: "in English", "en anglais".
No query."""

from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

IN_LANGUAGE = {"en": _("in English"), "fr": _("in French")}


def in_language(language_code):
    """ "in English" (in the active language: "en anglais") for a language code."""
    if language_code in IN_LANGUAGE:
        return str(IN_LANGUAGE[language_code])
    return _("in %(language)s") % {"language": get_language_info(language_code)["name_translated"]}
