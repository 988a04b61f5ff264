"""Heavy work on uploads runs in the background worker, bounded (publications.document_jobs,
publications.renditions, publications.bounded).

These tests go through the real path: the database task backend (django-tasks-db) stores the task
when the upload's transaction commits, and the worker command (``db_worker --batch``) runs it. The
hostile files of the measured cases are built here, a few kilobytes each; the limits that kill
their jobs are set low so that each test stays short (nothing here measures time)."""

import signal
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from publications.bounded import JobFailed, run_python
from publications.models import PublicationDocument
from publications.renditions import ADMIN_RENDITION_SPECS, RENDITION_SPECS
from tests.factories import AnalysisPageFactory, build_site
from tests.pdf_samples import memory_hungry_pdf, shared_stream_pdf, slow_text_pdf, text_pdf

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FAILED_MESSAGE = "The text of this PDF could not be read, so search will not find it."

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_tasks"),
]


@pytest.fixture
def database_tasks():
    with override_settings(TASKS=DATABASE_BACKEND):
        yield


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.org", "pw"))
    return client


def run_worker():
    """The worker command, as the `worker` service runs it, until the queue is empty."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def reading():
    return DBTaskResult.objects.get(task_path="publications.document_jobs.read_document")


def upload_pdf(client, content, name="analysis.pdf"):
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Full analysis",
            "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return PublicationDocument.objects.get()


def test_an_upload_is_read_by_the_worker_not_in_the_request(admin_client):
    document = upload_pdf(admin_client, text_pdf("Sahel water diplomacy", pages=5))

    # The request only stored the file and queued the reading.
    assert document.page_count is None
    assert document.text_status == PublicationDocument.TextStatus.PENDING
    queued = {task.task_path: task.status for task in DBTaskResult.objects.all()}
    assert queued["publications.document_jobs.read_document"] == "READY"
    assert queued["modelsearch.tasks.insert_or_update_object_task"] == "READY"  # search index
    edit_page = admin_client.get(reverse("wagtaildocs:edit", args=[document.pk]))
    assert "are being read" in edit_page.content.decode()

    run_worker()

    document.refresh_from_db()
    assert document.page_count == 5
    assert "Sahel water diplomacy" in document.text
    assert document.text_status == PublicationDocument.TextStatus.READ
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert FAILED_MESSAGE not in admin_client.get(
        reverse("wagtaildocs:edit", args=[document.pk])
    ).content.decode("utf-8")


def test_400_pages_sharing_one_content_stream_are_read_once(admin_client):
    # The measured case: 74 KB, 400 pages drawing one stream; 61 s and 434 MB to read its text in
    # the upload request. Now: the request does not read it, and the worker reads the stream once.
    content = shared_stream_pdf(pages=400)
    assert len(content) < 100_000
    document = upload_pdf(admin_client, content)
    run_worker()
    document.refresh_from_db()
    assert document.page_count == 400
    assert document.text_status == PublicationDocument.TextStatus.READ
    assert document.text.count("lorem ipsum dolor") == 2_000  # one page's lines, not 400 times


@override_settings(BACKGROUND_JOB_TIME_LIMIT=1)
def test_a_job_over_its_time_limit_is_killed_and_the_pdf_stays_usable(admin_client):
    tree = build_site()
    document = upload_pdf(admin_client, slow_text_pdf())
    run_worker()

    document.refresh_from_db()
    assert document.text_status == PublicationDocument.TextStatus.FAILED
    assert document.text == ""
    assert reading().return_value == "time"
    # The editor is told, on the document's page in the admin...
    edit_page = admin_client.get(reverse("wagtaildocs:edit", args=[document.pk]))
    assert FAILED_MESSAGE in edit_page.content.decode()
    # ...and readers still get the PDF of the analysis it belongs to.
    AnalysisPageFactory(parent=tree.analyses, pdf=document)
    admin_client.logout()
    response = admin_client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@override_settings(BACKGROUND_JOB_MEMORY_MB=64)
def test_a_job_over_its_memory_limit_is_stopped_and_the_editor_told(admin_client):
    document = upload_pdf(admin_client, memory_hungry_pdf())
    run_worker()
    document.refresh_from_db()
    assert document.text_status == PublicationDocument.TextStatus.FAILED
    assert reading().return_value == "memory"
    edit_page = admin_client.get(reverse("wagtaildocs:edit", args=[document.pk]))
    assert FAILED_MESSAGE in edit_page.content.decode()


def test_the_child_process_limits_hold_without_the_worker(tmp_path):
    path = tmp_path / "hungry.pdf"
    path.write_bytes(memory_hungry_pdf())
    with pytest.raises(JobFailed) as failure:
        run_python("publications.pdf:read_facts", {"path": str(path)}, time_limit=30, memory_mb=64)
    assert failure.value.reason == "memory"
    path.write_bytes(slow_text_pdf())
    with pytest.raises(JobFailed) as failure:
        run_python("publications.pdf:read_facts", {"path": str(path)}, time_limit=1, memory_mb=256)
    assert failure.value.reason == "time"


def png(width, height, mode="RGB"):
    buffer = BytesIO()
    PILImage.new(mode, (width, height), "white" if mode == "RGB" else 0).save(buffer, "PNG")
    return buffer.getvalue()


def memory_mb(field):
    status = Path("/proc/self/status").read_text()
    return int(status.split(f"{field}:")[1].split()[0]) // 1024


def upload_image(client, content, name="cover.png"):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Cover",
            "description": "A white square",
            "file": SimpleUploadedFile(name, content, content_type="image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_renditions_are_made_by_the_worker_not_in_the_upload_request(admin_client):
    response = upload_image(admin_client, png(1600, 1000))
    assert response.status_code == 302
    image = get_image_model().objects.get()
    assert image.renditions.count() == 0  # the request made none
    assert DBTaskResult.objects.filter(
        task_path="publications.renditions.generate_renditions"
    ).exists()

    run_worker()

    made = set(image.renditions.values_list("filter_spec", flat=True))
    assert made == {*RENDITION_SPECS, *ADMIN_RENDITION_SPECS}
    assert image.get_rendition("width-800").width == 800


def test_a_huge_image_is_refused_before_it_is_decoded(admin_client):
    # The measured case: a 0.2 MB PNG of 7,999 x 7,999 pixels took the web worker to 1,612 MB.
    # A grey-scale one is built here (a quarter of the memory to build, the same pixel count).
    content = png(7_999, 7_999, mode="L")
    assert len(content) < 300_000
    Path("/proc/self/clear_refs").write_text("5")  # reset this process' peak memory (Linux)
    before = memory_mb("VmRSS")
    response = upload_image(admin_client, content)
    # Refused from its header: never decoded (Wagtail's own check decoded it: +245 MB in RGB).
    assert memory_mb("VmHWM") - before < 32
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert "too large" in errors[0] or "megapixels" in errors[0] or "pixels" in errors[0]
    assert not get_image_model().objects.exists()
    assert not DBTaskResult.objects.exists()


@override_settings(BACKGROUND_JOB_MEMORY_MB=16)
def test_a_rendition_job_over_its_memory_limit_leaves_the_image_usable(admin_client):
    upload_image(admin_client, png(6000, 4000))  # 24 megapixels: about 186 MB to decode
    run_worker()
    image = get_image_model().objects.get()
    assert image.renditions.count() == 0
    assert (
        DBTaskResult.objects.get(
            task_path="publications.renditions.generate_renditions"
        ).return_value
        == 0
    )
    # The image is still there and its page shows (the rendition is made when first asked for).
    response = admin_client.get(reverse("wagtailimages:edit", args=[image.pk]))
    assert response.status_code == 200
