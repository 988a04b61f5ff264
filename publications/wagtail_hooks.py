from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from publications.models import AnalysisType, Region, Series, Theme
from publications.visibility import document_is_published


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


# --- Documents: a PDF is public only once a public page links to it --------------------------


def user_may_see_unpublished(user, document):
    """Editors who may use the document in the admin (choose or change it) see it before it is
    published; nobody else does."""

    if not (user.is_authenticated and user.has_perm("wagtailadmin.access_admin")):
        return False
    policy = policy_registry.get_by_type(type(document))
    return policy.user_has_any_permission_for_instance(user, ["choose", "change"], document)


@hooks.register("before_serve_document", order=100)
def serve_published_documents_only(document, request):
    """A PDF attached only to a draft or to a private page (or to nothing yet) is a 404 for
    readers: its analysis is not out.

    Runs after Wagtail's own hook, which applies the privacy of the document's collection first
    (a login or password form). A document in a restricted collection whose restriction the
    reader has passed is served: that restriction is the editors' explicit choice of who may
    read it (embargoed PDFs for logged-in partners, see the README)."""
    if user_may_see_unpublished(request.user, document):
        return None
    if document.collection.get_view_restrictions().exists():
        return None
    if not document_is_published(document):
        raise Http404("No such document.")
    return None
