"""A translation's address in its own language: when a translation is published still under its
source's slug (*Translate* copies it), it takes the slug of its translated title
("/fr/recherche/centre-afrique/", not "/fr/research/africa-center/"). Wagtail's redirects app
then sends the old address to the new one (``page_slug_changed``), as for any slug change.

An editor who gives a translation a slug of their own keeps it: only a slug equal to the source
language version's is replaced, once, by a new revision published by the same user."""

from django.conf import settings
from django.utils.text import slugify
from wagtail.models import Page
from wagtail.signals import page_published


def translated_slug(page):
    """The slug ``page`` should take (None to keep its own): its title's, made unique among its
    siblings, when it is a translation still under its source's slug."""
    if page.locale.language_code == settings.LANGUAGE_CODE or page.is_root() or page.depth <= 2:
        return None
    source = (
        Page.objects.filter(translation_key=page.translation_key)
        .exclude(pk=page.pk)
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .values_list("slug", flat=True)
        .first()
    )
    wanted = slugify(page.title)
    if source is None or page.slug != source or not wanted or wanted == page.slug:
        return None
    siblings = set(Page.objects.sibling_of(page, inclusive=False).values_list("slug", flat=True))
    slug, number = wanted, 1
    while slug in siblings:
        number += 1
        slug = f"{wanted}-{number}"
    return slug


def retitle_slug(sender, instance, revision=None, **kwargs):
    """``page_published``: publish the translation again under the slug of its title."""
    page = instance.specific
    slug = translated_slug(page)
    if slug is None:
        return
    user = revision.user if revision is not None else None
    page.slug = slug
    page.save_revision(user=user, log_action=False).publish(user=user, log_action=False)


def connect():
    page_published.connect(retitle_slug, dispatch_uid="translated_slug_from_title")
