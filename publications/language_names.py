"""How a language is named in a sentence of the active language ("in English", "en anglais"),
and a file's size in it ("12 kB", "12 ko"). No query."""

from django.utils.formats import number_format
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _

IN_LANGUAGE = {"en": _("in English"), "fr": _("in French")}


def in_language(language_code):
    """ "in English" (in the active language: "en anglais") for a language code."""
    if language_code in IN_LANGUAGE:
        return str(IN_LANGUAGE[language_code])
    return _("in %(language)s") % {"language": get_language_info(language_code)["name_translated"]}


# One unit system for file sizes in every language: decimal (SI) units, 1 kB = 1,000 bytes, as
# operating systems' file managers show them; the unit's symbol and the number per locale.
SIZE_UNITS = (
    (10**9, _("%(size)s GB")),
    (10**6, _("%(size)s MB")),
    (10**3, _("%(size)s kB")),
)


def file_size(size):
    """A size in bytes in the active language: "12 kB", "1.2 MB"; "12 ko", "1,2 Mo"."""
    size = int(size or 0)
    for factor, label in SIZE_UNITS:
        if size >= factor:
            value = size / factor
            digits = 0 if value >= 10 else 1
            return str(label) % {"size": number_format(round(value, digits), digits)}
    return ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}
