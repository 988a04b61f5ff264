"""The passwords of password-protected pages, throttled as the admin login is.

Wagtail checks a page's password in its own view (``wagtail.views.authenticate_with_password``),
which counts nothing. The view below answers the same URL first (``config.urls``): it records
each wrong password with django-axes under the pair (the page's view restriction, the client's
address) and, once ``AXES_FAILURE_LIMIT`` is reached, answers 429 for ``AXES_COOLOFF_TIME``,
even to the right password: the same rule, limits and lockout page as the admin login. The right
password clears the pair's count, as a successful login does (``AXES_RESET_ON_SUCCESS``).
Everything else, the form, its check and the redirect, is Wagtail's view.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_lockout_response
from django.contrib.auth.signals import user_login_failed
from wagtail import views as wagtail_views


def credentials_for(page_view_restriction_id):
    """What django-axes counts attempts under, in place of a username."""
    return {"username": f"page-password:{page_view_restriction_id}"}


def authenticate_with_password(request, page_view_restriction_id, page_id):
    credentials = credentials_for(page_view_restriction_id)
    attempt = request.method == "POST"
    if attempt and not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, None, credentials)
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if not attempt:
        return response
    if response.status_code == 200:  # the form again, with its error: a wrong password
        # django-axes records the failure; at the limit, its middleware answers the lockout.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    elif 300 <= response.status_code < 400:  # passed
        AxesProxyHandler.reset_attempts(
            ip_address=get_client_ip_address(request), username=credentials["username"]
        )
    return response
