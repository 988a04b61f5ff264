"""An expired session keeps the editor's work.

Wagtail's editor posts its form to the server; once the session has ended (``SESSION_COOKIE_AGE``
after the last sign-in or "Stay signed in", or a sign-out elsewhere), *Save* lands on the login
page and the edits are gone, and autosave is refused. Here the admin pages that hold a form ask
``admin/session/`` how long the session has left (``static/js/session_guard.js``): five minutes
before the end the editor is warned and may stay signed in; once it has ended, a dialog covers the
form and offers to sign in again in a new window. The form stays as it is; when the new session
is there, the page takes its CSRF token (Django renews it at sign-in) and saving works again.

A session ends at a fixed time: ``SESSION_COOKIE_AGE`` after signing in or after "Stay signed
in" (an absolute expiry, set here), so that the time left is known and other writes to the
session do not move it. Asking does not extend it; "Stay signed in" does. Imported by
``PublicationsConfig.ready()``.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail import hooks

# How long before the end of the session the editor is warned.
WARN_BEFORE_SECONDS = 5 * 60


def end_session_in_full_time(request):
    """The session ends ``SESSION_COOKIE_AGE`` from now, whatever else writes to it."""
    request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))


@receiver(user_logged_in, dispatch_uid="admin_session_fixed_end")
def fix_the_end_at_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        end_session_in_full_time(request)


@never_cache
@require_http_methods(["GET", "POST"])
def session_status(request):
    """GET: seconds left and the current CSRF token. POST: start the session's time again."""
    if request.method == "POST":
        end_session_in_full_time(request)
    return JsonResponse(
        {"expires_in": request.session.get_expiry_age(), "csrf_token": get_token(request)}
    )


@never_cache
def signed_in_again(request):
    """Where the sign-in window lands: it says so, and closes itself."""
    return render(request, "admin_session/signed_in_again.html")


@hooks.register("register_admin_urls")
def session_urls():
    return [
        path("session/", session_status, name="admin_session_status"),
        path("session/signed-in/", signed_in_again, name="admin_session_signed_in"),
    ]


@hooks.register("insert_global_admin_js")
def session_guard():
    """On every admin page: the script, and its dialogs in the editor's language."""
    return format_html(
        '{}<script src="{}" data-status-url="{}" data-login-url="{}" data-signed-in-url="{}" '
        'data-warn-before="{}" defer></script>',
        render_to_string("admin_session/dialogs.html"),
        static("js/session_guard.js"),
        reverse("admin_session_status"),
        reverse("admin_session_signed_in"),
        reverse("wagtailadmin_login") + "?next=" + reverse("admin_session_signed_in"),
        WARN_BEFORE_SECONDS,
    )
