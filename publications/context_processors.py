"""Template context for every page: the language of image descriptions (their alt text), which
``{% image %}`` tags give as ``lang`` so that an English alt text on a French page is read as
English. No query."""

from django.conf import settings


def image_language(request):
    return {"IMAGE_LANGUAGE": settings.IMAGE_DESCRIPTION_LANGUAGE}
