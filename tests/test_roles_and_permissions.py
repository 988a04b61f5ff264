"""What each role can and cannot do, through the real admin views (the Django test client against
/admin/), as one table: a new role or a new action is one row.

Roles (research_centers/roles.py, README "Roles and demo accounts"): Editors, Moderators, the
research staff of one centre (here the Africa centre's group, created with the centre), and a
logged-in user with no role. Each action is done as the admin's own forms do it, and judged by its
effect in the database, never by a status code alone.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from publications.models import AnalysisIndexPage, AnalysisPage, PublicationDocument
from research_centers.models import ProgrammePage
from tests.admin_forms import editor_data
from tests.factories import (
    AnalysisIndexPageFactory,
    AnalysisPageFactory,
    CenterPageFactory,
    ExpertPageFactory,
    ProgrammePageFactory,
    UserFactory,
    build_site,
)
from tests.pdf_samples import valid_pdf

pytestmark = pytest.mark.django_db

GROUPS = {
    "editor": ["Editors"],
    "moderator": ["Moderators"],
    "research": ["Research staff: Africa Center"],
    "nobody": [],
}


class World:
    """The pages every row starts from: a live analysis (two revisions) and a draft, the Africa
    and Security centres with a live programme and expert each, and a second analyses index to
    move analyses to."""

    def __init__(self):
        self.tree = build_site()
        self.archive = AnalysisIndexPageFactory(parent=self.tree.home, title="Archive", slug="old")
        self.africa = CenterPageFactory(parent=self.tree.centers, title="Africa Center")
        self.security = CenterPageFactory(parent=self.tree.centers, title="Security Center")
        self.pages = {
            "analysis": AnalysisPageFactory(
                parent=self.tree.analyses, title="Live analysis", authors=["A. Writer"]
            ),
            "draft analysis": AnalysisPageFactory(
                parent=self.tree.analyses, title="Draft analysis", live=False
            ),
            "own centre": self.africa,
            "own programme": ProgrammePageFactory(parent=self.africa, title="Africa programme"),
            "own expert": ExpertPageFactory(parent=self.africa, title="Africa expert"),
            "other centre": self.security,
            "other programme": ProgrammePageFactory(parent=self.security, title="Sec programme"),
            "other expert": ExpertPageFactory(parent=self.security, title="Security expert"),
        }
        for page in self.pages.values():
            if page.live:
                first_title = page.title
                page.title = f"{first_title} (first)"
                page.save_revision().publish()
                page.title = first_title
                page.save_revision().publish()
        # Where "create" adds a page, and where "move" takes one.
        self.create_under = {
            "analysis": (AnalysisPage, self.tree.analyses),
            "own programme": (ProgrammePage, self.africa),
            "other programme": (ProgrammePage, self.security),
        }
        self.move_to = {
            "analysis": self.archive,
            "own expert": self.security,
            "other expert": self.africa,
        }

    def page(self, target):
        return Page.objects.get(pk=self.pages[target].pk).specific


# --- The actions: each does what the admin's form does and says whether it took effect ------


def do_create(client, world, target):
    model, parent = world.create_under[target]
    url = reverse(
        "wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk]
    )
    response = client.get(url)
    data = editor_data(response, model) if response.status_code == 200 else {"title": "x"}
    data.update(title="Created in the admin", slug="created-in-the-admin")
    client.post(url, data)
    return model.objects.child_of(parent).filter(slug="created-in-the-admin").exists()


def _edit(client, page, **changes):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(url)
    if response.status_code != 200:
        client.post(url, {"title": "Changed", **changes})
        return
    client.post(url, editor_data(response, type(page), **changes))


def do_edit(client, world, target):
    page = world.page(target)
    _edit(client, page, title="Changed in the admin")
    return world.page(target).get_latest_revision_as_object().title == "Changed in the admin"


def do_submit(client, world, target):
    page = world.page(target)
    _edit(client, page, **{"action-submit": "1"})
    return world.page(target).workflow_in_progress


def do_publish(client, world, target):
    page = world.page(target)
    _edit(client, page, title="Published in the admin", **{"action-publish": "1"})
    page = world.page(target)
    return page.live and page.title == "Published in the admin"


def do_unpublish(client, world, target):
    page = world.page(target)
    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    return not world.page(target).live


def do_delete(client, world, target):
    page = world.page(target)
    client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    return not Page.objects.filter(pk=page.pk).exists()


def do_move(client, world, target):
    page, destination = world.page(target), world.move_to[target]
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk]))
    return world.page(target).get_parent().pk == destination.pk


def do_copy(client, world, target):
    page = world.page(target)
    client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": "Copied in the admin",
            "new_slug": "copied-in-the-admin",
            "new_parent_page": page.get_parent().pk,
        },
    )
    return Page.objects.filter(slug="copied-in-the-admin").exists()


def do_compare(client, world, target):
    page = world.page(target)
    response = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "earliest", "latest"])
    )
    return response.status_code == 200 and "(first)" in response.content.decode()


def do_revert(client, world, target):
    """Roll back to the first revision: open it in the editor, then save it as the new draft."""
    page = world.page(target)
    first = page.revisions.order_by("created_at", "pk").first()
    response = client.get(reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, first.pk]))
    if response.status_code != 200:
        return False
    data = editor_data(response, type(page))
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    return world.page(target).get_latest_revision_as_object().title.endswith("(first)")


def do_document_choose(client, world, target):
    response = client.get(reverse("wagtaildocs_chooser:choose"))
    return response.status_code == 200


def do_document_upload(client, world, target):
    client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Uploaded PDF",
            "file": SimpleUploadedFile("uploaded.pdf", valid_pdf(2), "application/pdf"),
            "collection": world.root_collection_id,
        },
    )
    return PublicationDocument.objects.filter(title="Uploaded PDF").exists()


def do_image_upload(client, world, target):
    from wagtail.images import get_image_model

    image_file = get_test_image_file()
    client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Uploaded photo",
            "file": SimpleUploadedFile("photo.png", image_file.file.getvalue(), "image/png"),
            "collection": world.root_collection_id,
        },
    )
    return get_image_model().objects.filter(title="Uploaded photo").exists()


def _file_used_by_live_analysis(world, kind):
    """A PDF or a cover image that the live analysis shows (published)."""
    from wagtail.images import get_image_model

    from tests.factories import DocumentFactory

    page = world.page("analysis")
    if kind == "document":
        used = DocumentFactory(title="Used PDF")
        page.pdf = used
    else:
        used = get_image_model().objects.create(title="Used cover", file=get_test_image_file())
        page.cover_image = used
    page.save_revision().publish()
    return used


def do_replace_used_document(client, world, target):
    """Upload a new file over the PDF of a live analysis (publications.file_review)."""
    document = _file_used_by_live_analysis(world, "document")
    client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": document.title,
            "collection": world.root_collection_id,
            "file": SimpleUploadedFile("replacement.pdf", valid_pdf(4), "application/pdf"),
        },
    )
    return PublicationDocument.objects.get(pk=document.pk).file.name != document.file.name


def do_delete_used_document(client, world, target):
    document = _file_used_by_live_analysis(world, "document")
    client.post(reverse("wagtaildocs:delete", args=[document.pk]))
    return not PublicationDocument.objects.filter(pk=document.pk).exists()


def do_delete_used_image(client, world, target):
    from wagtail.images import get_image_model

    image = _file_used_by_live_analysis(world, "image")
    client.post(reverse("wagtailimages:delete", args=[image.pk]))
    return not get_image_model().objects.filter(pk=image.pk).exists()


def do_delete_unused_document(client, world, target):
    from tests.factories import DocumentFactory

    document = DocumentFactory(title="Unused PDF")
    client.post(reverse("wagtaildocs:delete", args=[document.pk]))
    return not PublicationDocument.objects.filter(pk=document.pk).exists()


def _themes(world):
    """The theme "Water", which the live analysis has (published), and "Energy"."""
    from tests.factories import ThemeFactory

    water = ThemeFactory(name="Water", slug="water")
    energy = ThemeFactory(name="Energy", slug="energy")
    page = world.page("analysis")
    page.themes.add(water)
    page.save_revision().publish()
    return water, energy


def do_delete_used_theme(client, world, target):
    from publications.models import Theme

    water, _energy = _themes(world)
    client.post(reverse(water.snippet_viewset.get_url_name("delete"), args=[water.pk]))
    return not Theme.objects.filter(pk=water.pk).exists()


def do_delete_unused_theme(client, world, target):
    from publications.models import Theme

    _water, energy = _themes(world)
    client.post(reverse(energy.snippet_viewset.get_url_name("delete"), args=[energy.pk]))
    return not Theme.objects.filter(pk=energy.pk).exists()


def do_merge_theme(client, world, target):
    """Merge "Water" into "Energy" (publications.taxonomy_admin): the live analysis is
    republished with "Energy"."""
    water, energy = _themes(world)
    client.post(
        reverse(water.snippet_viewset.get_url_name("merge"), args=[water.pk]),
        {"target": energy.pk},
    )
    return [theme.slug for theme in world.page("analysis").themes.all()] == ["energy"]


ACTIONS = {
    "create": do_create,
    "edit": do_edit,
    "submit": do_submit,
    "publish": do_publish,
    "unpublish": do_unpublish,
    "delete": do_delete,
    "move": do_move,
    "copy": do_copy,
    "compare": do_compare,
    "revert": do_revert,
    "choose document": do_document_choose,
    "upload document": do_document_upload,
    "upload image": do_image_upload,
    # Files in use go through review (publications.file_review): nobody replaces or deletes one.
    "replace used document": do_replace_used_document,
    "delete used document": do_delete_used_document,
    "delete used image": do_delete_used_image,
    "delete unused document": do_delete_unused_document,
    # Taxonomy terms in use are merged, not deleted (publications.taxonomy_admin).
    "delete used theme": do_delete_used_theme,
    "delete unused theme": do_delete_unused_theme,
    "merge theme": do_merge_theme,
}

# (role, action, target, allowed)
MATRIX = [
    # Editors: analyses (and every other page) up to review; never publish.
    ("editor", "create", "analysis", True),
    ("editor", "edit", "analysis", True),
    ("editor", "submit", "analysis", True),
    ("editor", "publish", "analysis", False),
    ("editor", "unpublish", "analysis", False),
    ("editor", "delete", "analysis", False),
    ("editor", "delete", "draft analysis", True),
    ("editor", "move", "analysis", False),
    ("editor", "copy", "analysis", True),
    ("editor", "compare", "analysis", True),
    ("editor", "revert", "analysis", True),
    ("editor", "edit", "other centre", True),
    ("editor", "choose document", None, True),
    ("editor", "upload document", None, True),
    ("editor", "upload image", None, True),
    ("editor", "replace used document", None, False),
    ("editor", "delete used document", None, False),
    ("editor", "delete used image", None, False),
    ("editor", "delete unused document", None, True),
    ("editor", "delete used theme", None, False),
    ("editor", "delete unused theme", None, False),
    ("editor", "merge theme", None, False),
    # Moderators: everything editors can, plus publishing.
    ("moderator", "create", "analysis", True),
    ("moderator", "edit", "analysis", True),
    ("moderator", "submit", "analysis", True),
    ("moderator", "publish", "analysis", True),
    ("moderator", "unpublish", "analysis", True),
    ("moderator", "delete", "analysis", True),
    ("moderator", "move", "analysis", True),
    ("moderator", "copy", "analysis", True),
    ("moderator", "compare", "analysis", True),
    ("moderator", "revert", "analysis", True),
    ("moderator", "publish", "own centre", True),
    ("moderator", "choose document", None, True),
    ("moderator", "upload document", None, True),
    ("moderator", "replace used document", None, False),
    ("moderator", "delete used document", None, False),
    ("moderator", "delete used image", None, False),
    ("moderator", "delete unused document", None, True),
    ("moderator", "delete used theme", None, False),
    ("moderator", "delete unused theme", None, True),
    ("moderator", "merge theme", None, True),
    # Research staff of the Africa centre: its subtree only, up to review.
    ("research", "create", "own programme", True),
    ("research", "edit", "own centre", True),
    ("research", "edit", "own expert", True),
    ("research", "submit", "own centre", True),
    ("research", "publish", "own centre", False),
    ("research", "unpublish", "own programme", False),
    ("research", "delete", "own programme", False),
    ("research", "move", "own expert", False),
    ("research", "copy", "own programme", True),
    ("research", "compare", "own centre", True),
    ("research", "revert", "own centre", True),
    ("research", "create", "other programme", False),
    ("research", "edit", "other centre", False),
    ("research", "edit", "other expert", False),
    ("research", "submit", "other centre", False),
    ("research", "copy", "other programme", False),
    ("research", "compare", "other centre", False),
    ("research", "revert", "other centre", False),
    ("research", "create", "analysis", False),
    ("research", "edit", "analysis", False),
    ("research", "submit", "analysis", False),
    ("research", "delete", "draft analysis", False),
    ("research", "compare", "analysis", False),
    ("research", "choose document", None, True),
    ("research", "upload document", None, True),  # into their centre's collection
    ("research", "upload image", None, True),
    ("research", "replace used document", None, False),
    ("research", "delete used document", None, False),
    ("research", "delete used image", None, False),
    ("research", "delete unused document", None, False),
    ("research", "delete used theme", None, False),
    ("research", "delete unused theme", None, False),
    ("research", "merge theme", None, False),
    # A logged-in user with no role cannot even enter the admin.
    ("nobody", "edit", "analysis", False),
    ("nobody", "choose document", None, False),
]


@pytest.mark.parametrize(
    ("role", "action", "target", "allowed"),
    MATRIX,
    ids=[f"{role}-{action}-{target or 'media'}" for role, action, target, _ in MATRIX],
)
def test_role_matrix(client, role, action, target, allowed):
    from wagtail.models import Collection

    world = World()
    world.root_collection_id = Collection.get_first_root_node().pk
    client.force_login(UserFactory(username=role, groups=GROUPS[role]))
    assert ACTIONS[action](client, world, target) is allowed


def test_the_matrix_covers_every_action_for_every_role():
    done = {(role, action) for role, action, _, _ in MATRIX}
    for role in ("editor", "moderator", "research"):
        for action in ACTIONS:
            if (role, action) in {("moderator", "upload image")}:
                continue
            assert (role, action) in done, f"no row for {role} / {action}"


def test_analyses_index_is_not_editable_by_research_staff(client):
    """Research staff see their centre in the page explorer, not the analyses."""
    World()
    client.force_login(UserFactory(username="r", groups=GROUPS["research"]))
    index = AnalysisIndexPage.objects.first()
    response = client.get(reverse("wagtailadmin_explore", args=[index.pk]))
    assert response.status_code in (302, 403) or "Live analysis" not in response.content.decode()
