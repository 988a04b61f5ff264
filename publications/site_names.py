"""The institute's name and tagline in the reader's language: what editors give on the home page
of each language (*The site in this language*), else settings.SITE_NAMES, else
WAGTAIL_SITE_NAME. In the header and footer, the ``<title>`` suffix, meta descriptions,
citations, feeds and JSON-LD. Read from the home pages once per content generation (the shared
cache, publications.page_cache): no query on a page."""

from django.conf import settings
from django.utils import translation

from publications.models import HomePage
from publications.page_cache import cached


def _home_identities():
    """{language code: (site name, tagline)} of the live home pages (the first of each
    language)."""
    found = {}
    for code, name, tagline in (
        HomePage.objects.live()
        .order_by("depth", "pk")
        .values_list("locale__language_code", "site_name", "tagline")
    ):
        found.setdefault(code.lower(), (name.strip(), tagline.strip()))
    return found


def _identity(language, request):
    identities = cached(request, ("site-identity",), _home_identities)
    return identities.get(language) or identities.get(language.split("-")[0]) or ("", "")


def _language(language_code):
    return (language_code or translation.get_language() or settings.LANGUAGE_CODE).lower()


def site_name(language_code=None, request=None):
    """The site's name in ``language_code`` (default: the active language)."""
    language = _language(language_code)
    name = _identity(language, request)[0]
    if name:
        return name
    names = getattr(settings, "SITE_NAMES", {})
    return names.get(language) or names.get(language.split("-")[0]) or settings.WAGTAIL_SITE_NAME


def site_tagline(language_code=None, request=None):
    """The site's tagline in ``language_code`` (default: the active language); "" for none."""
    return _identity(_language(language_code), request)[1]
