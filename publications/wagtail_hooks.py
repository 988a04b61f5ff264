from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from publications import admin_messages
from publications.admin_choosers import (
    expert_chooser_viewset,
    region_chooser_viewset,
    theme_chooser_viewset,
)
from publications.models import AnalysisPage, AnalysisType, Region, Series, Theme
from publications.readiness import analysis_checklist
from publications.taxonomy_admin import (
    TermViewSetMixin,
    merge_listing_button,
    refuse_deleting_terms_in_use,
)
from publications.translation_checks import warn_at_submission, warn_in_editor
from publications.visibility import document_is_published, pages_using, public

# Taxonomy terms in use are merged, not deleted (publications.taxonomy_admin).
hooks.register("before_delete_snippet", refuse_deleting_terms_in_use)
hooks.register("register_snippet_listing_buttons", merge_listing_button)

# A translation whose PDF is another language version's: a warning in the editor; at submission,
# every point of the pre-publication checklist still to check (publications.translation_checks).
hooks.register("before_edit_page", warn_in_editor)
hooks.register("after_edit_page", warn_at_submission)
hooks.register("after_create_page", warn_at_submission)


@hooks.register("insert_editor_js")
def editor_state_js():
    """What was typed last is what the form sends: the rich text editors copy it into the form
    before an action, not 250 ms later, and a submission waits for an autosave on its way
    (static/js/editor_state.js)."""
    return format_html('<script src="{}" defer></script>', static("js/editor_state.js"))


@hooks.register("before_bulk_action")
def refuse_publishing_unready_analyses(request, action_type, objects, action):
    """The explorer's bulk *Publish* publishes each page's latest revision (and, if asked, its
    unpublished descendants'): when an analysis among them misses a required item of its
    checklist (publications.readiness), nothing is published and the message says what."""
    if action_type != "publish":
        return None
    pages = list(objects)
    form = action.cleaned_form
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in objects:
            pages += list(page.get_descendants().not_live().type(AnalysisPage))
    refused = False
    for page in pages:
        if not issubclass(page.specific_class, AnalysisPage):
            continue
        revision = page.get_latest_revision()
        analysis = revision.as_object() if revision is not None else page.specific
        checklist = analysis_checklist(analysis, blocking_only=True)
        if checklist.blocking:
            refused = True
            messages.error(
                request,
                gettext("Nothing was published: “%(title)s” still needs: %(missing)s.")
                % {"title": analysis.get_admin_display_title(), "missing": checklist.missing},
            )
    return redirect(action.next_url) if refused else None


class ThemeViewSet(TermViewSetMixin, SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class RegionViewSet(TermViewSetMixin, SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["name", "parent", "slug"]
    list_filter = ["parent"]
    search_fields = ["name"]


class AnalysisTypeViewSet(TermViewSetMixin, SnippetViewSet):
    model = AnalysisType
    icon = "doc-full"
    list_display = ["name", "slug"]


class SeriesViewSet(TermViewSetMixin, SnippetViewSet):
    model = Series
    icon = "list-ol"
    list_display = ["name", "issn_display"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomy")
    menu_icon = "tag"
    menu_order = 300
    items = (ThemeViewSet, RegionViewSet, AnalysisTypeViewSet, SeriesViewSet)


register_snippet(TaxonomyGroup)


# --- The analysis editor: choosers and what it says after a save ----------------------------

hooks.register("register_admin_viewset", lambda: expert_chooser_viewset)
hooks.register("register_admin_viewset", lambda: theme_chooser_viewset)
hooks.register("register_admin_viewset", lambda: region_chooser_viewset)
hooks.register("after_create_page", admin_messages.after_create_page)
hooks.register("after_edit_page", admin_messages.after_edit_page)


# --- Documents: a PDF is public only once a public page links to it --------------------------


def user_may_see_unpublished(user, document):
    """Who may read a PDF that is not out yet.

    The PDF of a draft, scheduled or private page: those who may edit one of its pages (Editors
    and Moderators edit every page, research staff their centre's) and the pages' owners; not
    whoever may merely choose files in its collection. A file that no page uses yet: those who
    may choose or change it in the admin (its collection's permissions)."""
    if not (user.is_authenticated and user.has_perm("wagtailadmin.access_admin")):
        return False
    pages = list(pages_using(document).specific(defer=True))
    if pages:
        return any(
            page.owner_id == user.pk or page.permissions_for_user(user).can_edit() for page in pages
        )
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


# --- Least privilege in the admin's page chooser --------------------------------------------


@hooks.register("construct_page_chooser_queryset")
def choose_among_public_or_editable_pages(pages, request):
    """The page chooser lists the public pages and those the user may edit: research staff do not
    see the titles of other people's drafts, scheduled or private analyses. (Wagtail's admin search
    and explorer already list only the pages a user may edit, and their ancestors.)"""
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(
        request.user, {"add", "change", "publish"}
    )
    return pages.filter(
        Q(pk__in=public(Page.objects.all(), request).values("pk")) | Q(pk__in=editable.values("pk"))
    )
