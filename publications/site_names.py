"""The institute's name in the reader's language (settings.SITE_NAMES, else WAGTAIL_SITE_NAME):
in the header and footer, the ``<title>`` suffix, citations, feeds and JSON-LD. No query."""

from django.conf import settings
from django.utils import translation


def site_name(language_code=None):
    """The site's name in ``language_code`` (default: the active language)."""
    language = (language_code or translation.get_language() or settings.LANGUAGE_CODE).lower()
    names = getattr(settings, "SITE_NAMES", {})
    return names.get(language) or names.get(language.split("-")[0]) or settings.WAGTAIL_SITE_NAME
