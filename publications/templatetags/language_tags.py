"""Template tags for what is said in the reader's language: the names of terms (themes, regions,
types, series), from the facet index, which knows every version of every term (no query); the
language of a file that is not in the page's."""

from django import template

from publications import facet_index, language_names

register = template.Library()


@register.simple_tag(takes_context=True)
def term_name(context, kind, pk, locale_id):
    """The name of the term (``kind``: theme, region, type, series) of which ``pk`` is a version,
    in ``locale_id``'s language where it has one ("Étude" on a French card). No query."""
    if not pk:
        return ""
    term = facet_index.current(context.get("request")).term(kind, pk, locale_id)
    return term.name if term is not None else ""


@register.simple_tag
def in_language(language_code):
    """ "in English" (in the active language: "en anglais") for a language code. No query."""
    return language_names.in_language(language_code)
