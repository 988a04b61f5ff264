"""Template tags for what is said in the reader's language: the names of terms (themes, regions,
types, series), from the facet index, which knows every version of every term (no query); the
language of a file that is not in the page's; the notice of a page that is not available in
the reader's language."""

from django import template
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from publications import facet_index, language_names
from publications.language_switch import UNTRANSLATED_PARAMETER
from publications.models import AnalysisPage
from publications.page_cache import do_not_store
from publications.visibility import public

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


@register.filter
def file_size(size):
    """`{{ pdf.file_size|file_size }}`: "12 kB", "12 ko" (decimal units in every language)."""
    return language_names.file_size(size)


@register.simple_tag(takes_context=True)
def untranslated_notice(context):
    """`{% untranslated_notice as notice %}`: when the reader arrives from the language switcher
    of a page that has no version in this language (``?untranslated=<page id>``), {"message",
    "read_it" (a sentence naming the page's language), "page"}; else None. One query, only then."""
    request = context.get("request")
    value = request.GET.get(UNTRANSLATED_PARAMETER, "") if request is not None else ""
    if not value:
        return None
    page = None
    if value.isdigit() and len(value) < 12:
        page = public(Page.objects.filter(pk=int(value)).select_related("locale"), request).first()
    active = translation.get_language()
    if page is None or page.locale.language_code == active:
        do_not_store(request)  # not a page the switcher names: no copy of it in the cache
        return None
    if issubclass(page.specific_class, AnalysisPage):
        message = _("This analysis is not available %(in_language)s.")
    else:
        message = _("This page is not available %(in_language)s.")
    return {
        "message": message % {"in_language": language_names.in_language(active)},
        "read_it": _("Read it %(in_language)s:")
        % {"in_language": language_names.in_language(page.locale.language_code)},
        "page": page,
    }
