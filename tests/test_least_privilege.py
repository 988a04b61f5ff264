"""Least privilege for research staff (the lowest role): their centre's collection for their
images and documents; in the choosers and the admin search, live content, their own subtree and
their collection only; the PDF of a draft or scheduled analysis is served to Editors, Moderators
and the page's owners, never to them. Through the real admin views and document URLs."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, GroupCollectionPermission

from publications.models import PublicationDocument
from research_centers import roles
from research_centers.models import CenterStaffGroup
from tests.factories import (
    AnalysisPageFactory,
    CenterPageFactory,
    DocumentFactory,
    ExpertPageFactory,
    UserFactory,
    build_site,
)
from tests.pdf_samples import valid_pdf

pytestmark = pytest.mark.django_db

AFRICA_STAFF = "Research staff: Africa Center"


@pytest.fixture
def world():
    tree = build_site()
    africa = CenterPageFactory(parent=tree.centers, title="Africa Center")
    security = CenterPageFactory(parent=tree.centers, title="Security Center")
    draft_pdf = DocumentFactory(title="Embargoed PDF")
    scheduled_pdf = DocumentFactory(title="Scheduled PDF")
    live_pdf = DocumentFactory(title="Published PDF")
    editor = UserFactory(username="editor", groups=["Editors"])
    draft = AnalysisPageFactory(
        parent=tree.analyses, title="Secret draft findings", pdf=draft_pdf, live=False
    )
    draft.owner = editor
    draft.save()
    scheduled = AnalysisPageFactory(
        parent=tree.analyses, title="Scheduled findings", pdf=scheduled_pdf, live=False
    )
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=2)
    scheduled.save_revision().publish()  # scheduled: stays a draft until then
    live = AnalysisPageFactory(parent=tree.analyses, title="Open findings", pdf=live_pdf)
    own_draft_expert = ExpertPageFactory(parent=africa, title="Newcomer expert", live=False)
    return {
        "africa": africa,
        "security": security,
        "draft": draft,
        "scheduled": scheduled,
        "live": live,
        "own draft expert": own_draft_expert,
        "draft pdf": draft_pdf,
        "scheduled pdf": scheduled_pdf,
        "live pdf": live_pdf,
        "editor": editor,
    }


def centre_collection(title):
    return CenterStaffGroup.objects.get(group__name=f"Research staff: {title}").collection


def login(client, groups, username="staff"):
    user = UserFactory(username=username, groups=groups)
    client.force_login(user)
    return user


# --- Collections ----------------------------------------------------------------------------


def test_each_centre_has_a_collection_for_its_staff_only(world):
    africa, security = centre_collection("Africa Center"), centre_collection("Security Center")
    assert africa.name == "Africa Center"
    assert africa.get_parent() == Collection.get_first_root_node()
    staff = Group.objects.get(name=AFRICA_STAFF)
    granted = {
        (grant.collection_id, grant.permission.codename)
        for grant in GroupCollectionPermission.objects.filter(group=staff)
    }
    assert granted == {
        (africa.pk, codename)
        for codename in (
            "add_image",
            "change_image",
            "choose_image",
            "add_document",
            "change_document",
            "choose_document",
        )
    }
    assert security.pk != africa.pk


def test_research_staff_upload_into_their_centres_collection(client, world):
    login(client, [AFRICA_STAFF])
    client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Centre annual report",
            "file": SimpleUploadedFile("report.pdf", valid_pdf(2), "application/pdf"),
            "collection": centre_collection("Africa Center").pk,
        },
    )
    client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Team photo",
            "file": SimpleUploadedFile(
                "team.png", get_test_image_file().file.getvalue(), "image/png"
            ),
        },
    )
    from wagtail.images import get_image_model

    assert PublicationDocument.objects.get(title="Centre annual report").collection == (
        centre_collection("Africa Center")
    )
    assert get_image_model().objects.get(title="Team photo").collection == centre_collection(
        "Africa Center"
    )


def test_the_document_chooser_shows_research_staff_their_collection_only(client, world):
    own = DocumentFactory(title="Africa brochure", collection=centre_collection("Africa Center"))
    other = DocumentFactory(
        title="Security brochure", collection=centre_collection("Security Center")
    )
    login(client, [AFRICA_STAFF])
    listed = client.get(reverse("wagtaildocs_chooser:choose")).content.decode()
    assert own.title in listed
    for hidden in (world["draft pdf"], world["scheduled pdf"], other):
        assert hidden.title not in listed
    login(client, ["Editors"], username="another-editor")
    listed = client.get(reverse("wagtaildocs_chooser:choose")).content.decode()
    assert world["draft pdf"].title in listed


def test_a_renamed_centre_renames_its_collection(world):
    africa = world["africa"]
    africa.title = "Africa and Sahel Center"
    africa.save_revision().publish()
    assert centre_collection("Africa and Sahel Center").name == "Africa and Sahel Center"


def test_existing_centres_move_their_staff_off_the_root_collection(world):
    """The data migration: staff groups made before centres had collections."""
    link = CenterStaffGroup.objects.get(group__name=AFRICA_STAFF)
    link.collection.delete()
    link.refresh_from_db()
    assert link.collection is None
    roles._grant_collections(apps, link.group, roles.FORMER_RESEARCH_STAFF_ROOT_PERMISSIONS)
    root = Collection.get_first_root_node()
    assert GroupCollectionPermission.objects.filter(group=link.group, collection=root).exists()

    roles.give_centres_their_collections(apps)

    link.refresh_from_db()
    assert link.collection.name == "Africa Center"
    assert link.collection.get_parent() == root
    assert not GroupCollectionPermission.objects.filter(group=link.group, collection=root).exists()
    assert GroupCollectionPermission.objects.filter(
        group=link.group, collection=link.collection, permission__codename="choose_document"
    ).exists()


# --- Unpublished PDFs --------------------------------------------------------------------------


def pdf_status(client, document):
    return client.get(document.url).status_code


@pytest.mark.parametrize("pdf", ["draft pdf", "scheduled pdf"])
def test_the_pdf_of_an_unpublished_analysis_is_served_to_editors_moderators_owners_only(
    client, world, pdf
):
    document = world[pdf]
    assert pdf_status(client, document) == 404  # anonymous
    login(client, [AFRICA_STAFF], username="staff")
    assert pdf_status(client, document) == 404
    login(client, ["Editors"], username="another-editor")
    assert pdf_status(client, document) == 200
    login(client, ["Moderators"], username="moderator")
    assert pdf_status(client, document) == 200
    assert pdf_status(client, world["live pdf"]) == 200


def test_the_owner_of_a_draft_reads_its_pdf_without_any_other_right(client, world):
    owner = UserFactory(username="owner")
    owner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    draft = world["draft"]
    draft.owner = owner
    draft.save()
    client.force_login(owner)
    assert pdf_status(client, world["draft pdf"]) == 200
    assert pdf_status(client, world["scheduled pdf"]) == 404


# --- Page chooser and admin search ------------------------------------------------------------


def chooser_search(client, words):
    return client.get(reverse("wagtailadmin_choose_page_search"), {"q": words}).content.decode()


def admin_search(client, words):
    return client.get(reverse("wagtailadmin_pages:search"), {"q": words}).content.decode()


def test_research_staff_see_public_pages_and_their_own_only(client, world):
    login(client, [AFRICA_STAFF])
    for search in (chooser_search, admin_search):
        found = search(client, "findings")
        assert "Secret draft findings" not in found
        assert "Scheduled findings" not in found
    assert "Open findings" in chooser_search(client, "findings")
    assert "Newcomer expert" in chooser_search(client, "Newcomer")
    assert "Newcomer expert" in admin_search(client, "Newcomer")
    browse = client.get(
        reverse("wagtailadmin_choose_page_child", args=[world["draft"].get_parent().pk])
    ).content.decode()
    assert "Open findings" in browse
    assert "Secret draft findings" not in browse


def test_editors_still_choose_drafts(client, world):
    login(client, ["Editors"], username="another-editor")
    found = chooser_search(client, "findings")
    assert "Secret draft findings" in found
    assert "Scheduled findings" in found
