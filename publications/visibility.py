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

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

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
