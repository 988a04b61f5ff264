"""The session guard's server side (publications/admin_session.py): a session ends at a fixed
time after signing in; asking how long it has left does not extend it, "Stay signed in" does; the
admin's edit pages carry the guard and its dialogs, in the editor's language. (The dialogs
themselves are driven in Chromium: tests/browser/test_session_expiry.py.)"""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import AnalysisPageFactory, UserFactory, build_site

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def editor_client(client):
    UserFactory(username="editor", groups=["Editors"])
    response = client.post(
        reverse("wagtailadmin_login"), {"username": "editor", "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def status(client, method="get"):
    response = getattr(client, method)(reverse("admin_session_status"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    return response.json()


def test_a_session_ends_its_full_time_after_signing_in(editor_client):
    left = status(editor_client)
    assert settings.SESSION_COOKIE_AGE - 60 < left["expires_in"] <= settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert left["csrf_token"]


def test_asking_does_not_extend_the_session_staying_does(editor_client):
    session = editor_client.session
    session.set_expiry(timezone.now() + datetime.timedelta(minutes=4))
    session.save()
    assert status(editor_client)["expires_in"] <= 4 * 60
    assert status(editor_client)["expires_in"] <= 4 * 60  # still: asking is not activity
    assert status(editor_client, "post")["expires_in"] > settings.SESSION_COOKIE_AGE - 60
    assert status(editor_client)["expires_in"] > settings.SESSION_COOKIE_AGE - 60


def test_other_writes_to_the_session_do_not_move_its_end(editor_client):
    session = editor_client.session
    session.set_expiry(timezone.now() + datetime.timedelta(minutes=4))
    session.save()
    session = editor_client.session
    session["something"] = "else"
    session.save()
    assert status(editor_client)["expires_in"] <= 4 * 60


def test_a_signed_out_request_is_sent_to_the_login_page(client):
    response = client.get(reverse("admin_session_status"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_staying_signed_in_needs_the_csrf_token(editor_client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.cookies = editor_client.cookies
    assert strict.post(reverse("admin_session_status")).status_code == 403


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Your session has ended"), ("fr", "Votre session a pris fin")],
)
def test_the_editor_carries_the_guard_in_the_editors_language(editor_client, language, title):
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    tree = build_site()
    analysis = AnalysisPageFactory(parent=tree.analyses)
    user = get_user_model().objects.get(username="editor")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    body = editor_client.get(reverse("wagtailadmin_pages:edit", args=[analysis.pk])).content
    body = body.decode()
    assert "js/session_guard" in body
    assert 'data-status-url="/admin/session/"' in body
    assert title in body
