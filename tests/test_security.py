"""Security by default: the health endpoint, the security headers, admin login throttling, image
upload limits and how documents are served. (The HTTPS-only settings are checked on a real
production server by tests/test_production_smoke.py.)"""

import struct
import zlib
from unittest import mock

import pytest
from django.core.cache.backends.base import BaseCache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connections
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from config.middleware import client_ip_address
from tests.factories import AnalysisPageFactory, DocumentFactory, build_site

pytestmark = pytest.mark.django_db


def csp_directives(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


# --- /healthz ---------------------------------------------------------------------------------


class BrokenCache(BaseCache):
    """A cache whose server is down: every call raises, as the Redis backend does."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("the cache server is down")

    add = get = set = touch = delete = has_key = clear = _down


def test_healthz_answers_ok_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@override_settings(CACHES={"default": {"BACKEND": "tests.test_security.BrokenCache"}})
def test_healthz_is_200_and_says_so_when_the_cache_is_down(client):
    # The site works without its cache: a load balancer must keep this server (tests with a real
    # Redis stopped: tests/test_cache_outage.py).
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "down"}


def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch.object(
        connections["default"], "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "cache": "ok"}


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


# --- Security headers -------------------------------------------------------------------------


def test_public_pages_have_the_strict_policy_and_the_security_headers(client, site_tree):
    response = client.get("/en/")
    assert response.status_code == 200
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    for feature in ("camera", "microphone", "geolocation", "browsing-topics"):
        assert f"{feature}=()" in response["Permissions-Policy"]


def test_error_pages_have_the_strict_policy_too(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert csp_directives(response)["script-src"] == ["'self'"]


def test_the_admin_has_its_own_enforced_policy(client):
    """Wagtail 8's admin needs inline scripts (InlinePanel, date pickers, chooser widgets) and
    inline styles: allowed there only. Nothing else is loosened."""
    response = client.get("/admin/login/")
    assert response.status_code == 200
    csp = csp_directives(response)
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]  # the preview panel frames the admin
    assert "Content-Security-Policy-Report-Only" not in response


def test_a_page_preview_has_the_public_policy_and_may_be_framed_by_the_admin(site_tree):
    response = site_tree.home.make_preview_request()
    assert response.status_code == 200
    csp = csp_directives(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"]


# --- Admin login throttling (django-axes) -----------------------------------------------------

PASSWORD = "right-password-2026"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def admin_login(client, password, address="203.0.113.7"):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": "editor", "password": password},
        REMOTE_ADDR=address,
    )


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_five_failed_logins_lock_out_the_username_from_that_address(client, editor):
    for _ in range(5):
        response = admin_login(client, "wrong")
        assert response.status_code in (200, 429)
        assert not is_logged_in(client)
    response = admin_login(client, PASSWORD)
    assert response.status_code == 429
    assert not is_logged_in(client)
    assert client.get(reverse("wagtailadmin_home")).status_code == 302  # still sent to login


def test_the_lockout_is_per_username_and_address(client, editor):
    for _ in range(5):
        admin_login(client, "wrong", address="203.0.113.7")
    response = admin_login(client, PASSWORD, address="198.51.100.20")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_resets_the_failure_count(client, editor):
    for _ in range(4):
        admin_login(client, "wrong")
    assert admin_login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        admin_login(client, "wrong")
    assert admin_login(client, PASSWORD).status_code == 302
    assert is_logged_in(client)


# --- Password-protected pages: throttled as the admin login is ------------------------------

PAGE_PASSWORD = "the-page-password"


@pytest.fixture
def protected():
    """Two analyses, each behind a password of its own."""
    tree = build_site()
    pages = []
    for number in (1, 2):
        page = AnalysisPageFactory(
            parent=tree.analyses, title=f"Protected {number}", slug=f"protected-{number}"
        )
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
        )
        pages.append((page, restriction))
    return pages


def give_password(client, protected_page, password, address="203.0.113.7", language="en"):
    page, restriction = protected_page
    with translation.override(language):
        url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    return client.post(url, {"password": password, "return_url": page.url}, REMOTE_ADDR=address)


def can_read(client, protected_page):
    page, _ = protected_page
    return "password" not in client.get(page.url).content.decode().lower()


def test_five_wrong_page_passwords_lock_that_page_for_that_address(client, protected):
    assert not can_read(client, protected[0])
    for attempt in range(1, 6):
        response = give_password(client, protected[0], "wrong")
        assert response.status_code == (429 if attempt == 5 else 200)
        assert not can_read(client, protected[0])
    response = give_password(client, protected[0], PAGE_PASSWORD)
    assert response.status_code == 429
    body = response.content.decode().replace("\xa0", " ")
    assert "Too many attempts" in body
    assert "You can try again in 1 hour." in body
    assert not can_read(client, protected[0])


def test_the_page_password_lockout_is_per_page_and_address(client, protected):
    for _ in range(5):
        give_password(client, protected[0], "wrong")
    # Another page, same address: its own count.
    assert give_password(client, protected[1], PAGE_PASSWORD).status_code == 302
    assert can_read(client, protected[1])
    # The same page, another address.
    other = Client()
    assert give_password(other, protected[0], PAGE_PASSWORD, "198.51.100.20").status_code == 302
    assert can_read(other, protected[0])


def test_the_right_page_password_clears_the_count(client, protected):
    for _ in range(4):
        give_password(client, protected[0], "wrong")
    assert give_password(client, protected[0], PAGE_PASSWORD).status_code == 302
    for _ in range(4):
        assert give_password(client, protected[0], "wrong").status_code == 200
    assert give_password(client, protected[0], PAGE_PASSWORD).status_code == 302


def test_the_lockout_page_speaks_the_readers_language(client, protected):
    for _ in range(5):
        give_password(client, protected[0], "wrong", language="fr")
    response = give_password(client, protected[0], PAGE_PASSWORD, language="fr")
    assert response.status_code == 429
    body = response.content.decode().replace("\xa0", " ")
    assert '<html lang="fr"' in body
    assert "Trop de tentatives" in body
    assert "1 heure" in body


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.2"),  # no proxy: the header is the client's, ignored
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a spoofed left part is ignored
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.2"),  # did not come through both proxies
    ],
)
def test_the_client_address_behind_trusted_proxies(proxies, forwarded_for, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip_address(request) == expected


# --- Image uploads: checked by content, size- and pixel-limited ------------------------------


def png(width, height):
    """A valid 1-bit greyscale PNG of any size: an all-black image compresses ~1000:1, so even
    20,000 x 20,000 pixels (a decompression bomb) is a file of some 50 KB, made in a blink."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

NOT_AN_IMAGE = {"invalid_image", "invalid_image_known_format"}
REFUSED_UPLOADS = {
    # name: (file name, content, the error codes that may refuse it)
    "decompression bomb (20,000 x 20,000 px)": (
        "bomb.png",
        lambda: png(20_000, 20_000),
        {"file_too_many_pixels"},
    ),
    "too many pixels (9,000 x 9,000 px)": (
        "huge.png",
        lambda: png(9_000, 9_000),
        {"file_too_many_pixels"},
    ),
    "svg": ("drawing.svg", lambda: SVG, {"invalid_image_extension"}),
    "svg renamed .png": ("drawing.png", lambda: SVG, NOT_AN_IMAGE),
    "html renamed .png": ("page.png", lambda: HTML, NOT_AN_IMAGE),
}


@pytest.fixture
def admin_client_(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def upload_image(client, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Upload",
            "file": SimpleUploadedFile(name, content, content_type="image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize("case", REFUSED_UPLOADS)
def test_unsafe_image_uploads_get_a_form_error(admin_client_, case):
    name, make, codes = REFUSED_UPLOADS[case]
    response = upload_image(admin_client_, name, make())
    assert response.status_code == 200
    errors = response.context["form"].errors.get("file")
    assert errors, response.context["form"].errors
    assert {error.code for error in errors.as_data()} & codes, errors
    assert not get_image_model().objects.exists()


def test_a_reasonable_image_is_accepted(admin_client_):
    response = upload_image(admin_client_, "cover.png", png(1200, 800))
    assert response.status_code == 302
    image = get_image_model().objects.get()
    assert (image.width, image.height) == (1200, 800)


# --- Documents: through Wagtail's view, PDF inline, privacy checked ---------------------------


def test_a_pdf_is_served_inline_through_the_serve_view(client, site_tree):
    document = DocumentFactory()
    AnalysisPageFactory(parent=site_tree.analyses, pdf=document)  # public once a page links it
    assert document.url == f"/documents/{document.pk}/{document.filename}"
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_document_in_a_private_collection_is_not_served_to_an_anonymous_reader(
    client, django_user_model
):
    private = Collection.get_first_root_node().add_child(name="Embargoed")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = DocumentFactory(collection=private)

    response = client.get(document.url)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"]

    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    assert client.get(document.url).status_code == 200
