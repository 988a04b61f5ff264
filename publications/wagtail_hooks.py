from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from publications.models import AnalysisType, Region, Series, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["name", "parent", "slug"]
    list_filter = ["parent"]
    search_fields = ["name"]


class AnalysisTypeViewSet(SnippetViewSet):
    model = AnalysisType
    icon = "doc-full"
    list_display = ["name", "slug"]


class SeriesViewSet(SnippetViewSet):
    model = Series
    icon = "list-ol"
    list_display = ["name", "issn_display"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomy")
    menu_icon = "tag"
    menu_order = 300
    items = (ThemeViewSet, RegionViewSet, AnalysisTypeViewSet, SeriesViewSet)


register_snippet(TaxonomyGroup)
