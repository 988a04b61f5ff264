"""What is public: the one rule every read path asks.

A page is public when it is live (published, not expired: Wagtail's ``live``, which
``publish_scheduled`` turns off at the expiry date) and outside every private section: no view
restriction (login, password or groups) on the page or on any of its ancestors. That is Wagtail's
``PageQuerySet.live().public()``; here the restricted pages are read once per content generation
(``publications.page_cache.cached``) instead of once per list, and the condition is built with
Wagtail's own ``descendant_of_q``, as ``.public()`` builds it. ``tests/test_visibility.py``
checks that both give the same pages.

Everything a reader can see goes through ``public``: page lists, cards, counts (the facet index
is built from it), search results, feeds, the sitemap, "Available in", authors (an expert is named
and linked only through a public page), documents.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction, ReferenceIndex

from publications.models import AnalysisPage
from publications.page_cache import cached


def restricted_sections(request=None):
    """The pages carrying a view restriction, each standing for its whole subtree: light Page
    objects (pk, path, depth), from the shared cache under the content generation."""
    return cached(
        request,
        ("restricted-sections",),
        lambda: list(
            Page.objects.filter(pk__in=PageViewRestriction.objects.values("page_id")).only(
                "pk", "path", "depth"
            )
        ),
    )


def private_q(request=None):
    """The condition "inside a private section" (matches nothing when there is none)."""
    condition = Q()
    for section in restricted_sections(request):
        condition |= Page.objects.descendant_of_q(section, inclusive=True)
    return condition if condition else Q(pk__in=[])


def public(queryset, request=None):
    """The public pages of a page queryset (any page model)."""
    return queryset.live().exclude(private_q(request))


def is_public(page, request=None):
    """Is this page (already loaded) public? No query when the restrictions are cached."""
    if not page.live:
        return False
    return not any(page.path.startswith(section.path) for section in restricted_sections(request))


def pages_using(document):
    """The pages that show the document: as an analysis's PDF, or linked from rich text and body
    blocks (Wagtail's reference index)."""
    page_ids = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
        if str(object_id).isdigit()
    }
    return Page.objects.filter(
        Q(pk__in=AnalysisPage.objects.filter(pdf=document).values("pk")) | Q(pk__in=page_ids)
    )


def document_is_published(document):
    """Is the document shown by at least one live page outside any private section?"""
    return public(pages_using(document)).exists()


def document_is_public(document):
    """May anyone read the document, without signing in or a password: published, and in a
    collection without a view restriction? (Only then may a shared cache, a CDN, keep it.)"""
    if document.collection.get_view_restrictions().exists():
        return False
    return document_is_published(document)
