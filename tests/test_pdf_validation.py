"""A document must be a real, readable PDF: checked by content when it is uploaded in the admin,
with a message an editor can act on, and nothing saved when it is refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection

from publications.models import PublicationDocument
from publications.pdf import MESSAGES, TOO_HARD, InvalidPdf, inspect_pdf
from tests.pdf_samples import HTML_RENAMED, encrypted_pdf, truncated_pdf, valid_pdf

BROKEN_FILES = {
    "html renamed .pdf": (HTML_RENAMED, "not a PDF"),
    "truncated": (truncated_pdf(), "incomplete"),
    "encrypted": (encrypted_pdf(), "encrypted"),
    "empty": (b"", "empty"),
}


def test_a_real_pdf_gives_its_page_count():
    assert inspect_pdf(io.BytesIO(valid_pdf(pages=7))).page_count == 7


@pytest.mark.parametrize("name", BROKEN_FILES)
def test_broken_files_are_refused_with_a_reason(name):
    content, reason = BROKEN_FILES[name]
    with pytest.raises(InvalidPdf) as excinfo:
        inspect_pdf(io.BytesIO(content))
    assert reason in str(excinfo.value)


def test_the_file_position_is_restored():
    handle = io.BytesIO(valid_pdf())
    handle.seek(5)
    inspect_pdf(handle)
    assert handle.tell() == 5


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(user)
    return client


def upload(client, content, name="analysis.pdf"):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Full analysis",
            "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.django_db
def test_admin_upload_of_a_real_pdf_records_size_and_pages(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the background task, run at once
        response = upload(admin_client, valid_pdf(pages=5))
    assert response.status_code == 302
    document = PublicationDocument.objects.get()
    assert document.page_count == 5
    assert document.file_size == len(valid_pdf(pages=5))


@pytest.mark.django_db
@pytest.mark.parametrize("name", BROKEN_FILES)
def test_admin_refuses_broken_uploads_and_saves_nothing(admin_client, name):
    content, reason = BROKEN_FILES[name]
    response = upload(admin_client, content)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(reason in error for error in errors) or (
        name == "empty" and any("empty" in error for error in errors)
    )
    assert not PublicationDocument.objects.exists()


@pytest.mark.django_db
def test_admin_refuses_other_extensions(admin_client):
    response = upload(admin_client, b"<svg xmlns='http://www.w3.org/2000/svg'/>", name="x.svg")
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not PublicationDocument.objects.exists()


@pytest.mark.django_db
def test_replacing_a_file_with_a_broken_one_keeps_the_old_file(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, valid_pdf(pages=2))
    document = PublicationDocument.objects.get()
    old_name = document.file.name
    response = admin_client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": "Full analysis",
            "file": SimpleUploadedFile("new.pdf", HTML_RENAMED, content_type="application/pdf"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    document.refresh_from_db()
    assert document.file.name == old_name
    assert document.page_count == 2
    assert document.file.storage.exists(old_name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", BROKEN_FILES)
def test_each_refused_file_gets_one_message_and_the_right_one(admin_client, name):
    content, reason = BROKEN_FILES[name]
    response = upload(admin_client, content)
    form = response.context["form"]
    assert form.non_field_errors() == []
    assert len(form.errors["file"]) == 1, form.errors["file"]
    assert "extension" not in form.errors["file"][0]
    # The multiple upload (what "Add a document" uses) says the same, once.
    response = admin_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("analysis.pdf", content, content_type="application/pdf")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    message = response.json()["error_message"]
    assert reason in message or (name == "empty" and "empty" in message)
    assert "extension" not in message
    assert not PublicationDocument.objects.exists()


@pytest.mark.django_db
def test_a_real_pdf_with_another_extension_gets_the_extension_message_only(admin_client):
    response = upload(admin_client, valid_pdf(), name="analysis.txt")
    errors = response.context["form"].errors["file"]
    assert errors == ["File extension “txt” is not allowed. Allowed extensions are: pdf."]


@pytest.mark.django_db
def test_a_pdf_too_hard_to_check_is_refused_with_its_own_message(admin_client, settings):
    # The structure check runs in a child process with a time limit: over it, the file is refused
    # (and the request is not held longer than the limit).
    settings.UPLOAD_CHECK_TIME_LIMIT = 0.001
    response = upload(admin_client, valid_pdf())
    assert response.context["form"].errors["file"] == [str(MESSAGES[TOO_HARD])]
    assert not PublicationDocument.objects.exists()
