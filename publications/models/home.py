from django.db import models
from django.urls import Resolver404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page


class HomePage(Page):
    """The site's home in each language: featured analyses chosen by editors, then the latest."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel(
            "featured_analysis_links",
            heading=_("Featured analyses"),
            label=_("Analysis"),
            max_num=6,
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["publications.AnalysisIndexPage", "research_centers.ResearchCentersIndexPage"]
    template = "pages/home_page.html"
    LATEST_COUNT = 6

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find the page for a URL below the home page in one query instead of two per tree
        level (Wagtail's default walks the tree one child at a time).

        Every page whose url_path is a prefix of the requested one is loaded at once; the
        deepest is the page asked for, unless a page on the way has routes of its own (a
        RoutablePageMixin sub-URL such as /analyses/themes/<slug>/, or a custom ``route``): that
        page then routes the rest, as Wagtail would. The result is the same as Wagtail's:
        drafts are 404, and so is a URL no page has."""
        if not path_components:
            if not self.alias_of_id:
                _use_cached_view_restrictions(self, request)
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:length]) + "/"
            for length in range(1, len(path_components) + 1)
        ]
        rows = {
            row.depth: row
            for row in Page.objects.filter(
                # The slugs reach Wagtail's index on slug (url_path has none: a scan of the
                # whole page table at 100,000 pages).
                slug__in=set(path_components),
                url_path__in=prefixes,
                path__startswith=self.path,
                depth__gt=self.depth,
            ).select_related("content_type")
        }
        parent = self
        for level in range(len(path_components)):
            row = rows.get(self.depth + level + 1)
            if row is None:
                break
            model = row.content_type.model_class() or Page
            remaining = path_components[level + 1 :]
            if remaining and _routes_itself(model, row, remaining):
                # It routes the rest itself (its sub-URLs first, then its children).
                return self._descend(row, parent).route(request, remaining)
            parent = row
        else:
            page = self._descend(parent, rows.get(parent.depth - 1, self))
            if not any(row.alias_of_id for row in [self, *rows.values()]):
                _use_cached_view_restrictions(page, request)
            return page.route(request, [])
        if parent is self:
            return super().route(request, path_components)
        # A missing level: the deepest page found answers (a 404 unless it routes it).
        return self._descend(parent, rows.get(parent.depth - 1, self)).route(
            request, path_components[parent.depth - self.depth :]
        )

    @staticmethod
    def _descend(row, parent):
        page = row if row.__class__ is not Page else row.specific
        if page is not parent:
            page._cached_parent_obj = parent
        return page

    def get_context(self, request, *args, **kwargs):
        from publications import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.home_page_context(self, request))
        return context


def _use_cached_view_restrictions(page, request):
    """Wagtail checks a page's view restrictions (its own and its ancestors') before serving it,
    in two queries. Every restriction of the site is a short list that changes rarely: keep it in
    the shared cache under the content generation (saving or deleting a restriction bumps it),
    and pick this page's from it by tree path, with no query. Only for pages with no alias on
    their way from the home page (an alias uses its source page's restrictions: Wagtail's own
    method handles that)."""
    from wagtail.models import PageViewRestriction

    from publications.page_cache import cached

    restrictions = cached(
        request,
        ("view-restrictions",),
        lambda: [
            (restriction.page.path, restriction)
            for restriction in PageViewRestriction.objects.select_related("page")
        ],
    )
    applicable = [restriction for path, restriction in restrictions if page.path.startswith(path)]
    page.get_view_restrictions = lambda: applicable


def _routes_itself(model, row, remaining):
    """Would Wagtail let this page route ``remaining`` itself rather than pass it to a child?
    A RoutablePageMixin page does when one of its sub-URLs matches (checked without a query);
    a page with any other ``route`` of its own is always asked."""
    if model.route is Page.route:
        return False
    if issubclass(model, RoutablePageMixin) and model.route is RoutablePageMixin.route:
        if not row.live:
            return False
        try:
            model.get_resolver().resolve("/" + "/".join(remaining) + "/")
        except Resolver404:
            return False
    return True


class FeaturedAnalysis(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_analysis_links")
    analysis = models.ForeignKey(
        "publications.AnalysisPage",
        verbose_name=_("analysis"),
        on_delete=models.CASCADE,
        related_name="featured_links",
    )

    panels = [PageChooserPanel("analysis")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured analysis")
