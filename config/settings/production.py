"""Production: every secret and host comes from the environment; HTTPS is assumed (a load balancer
or reverse proxy terminates TLS and sets X-Forwarded-Proto). See the README's "Deploy" section for
the variables. The Content-Security-Policy, Permissions-Policy and login throttling are in base.py
(every environment runs under them); what is here only makes sense behind HTTPS or with the
production services (Redis, S3, WhiteNoise)."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY_ADMIN,
    LOGGING,
    MIDDLEWARE,
    STORAGES,
    env_bool,
    env_list,
    env_required,
    redis_cache,
)

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS must be set.")

# --- HTTPS ------------------------------------------------------------------------------------
# The proxy in front must overwrite (not pass on) a client's X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe /healthz over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True  # the Wagtail admin reads its CSRF token from the page, not the cookie
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files: WhiteNoise, hashed and compressed names, cached for ever by browsers and CDNs

MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Media: a volume (MEDIA_ROOT), or S3-compatible object storage when a bucket is named --------
# Documents are always served through Wagtail's view (WAGTAILDOCS_SERVE_METHOD in base.py), which
# checks collection privacy; the web server must never serve MEDIA_ROOT/documents/ (README).

AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL,
            "region_name": AWS_S3_REGION_NAME,
            # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment (boto3
            # also finds an instance role when they are unset).
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AWS_LOCATION", "media"),
            # Nothing in the bucket is public: image URLs are signed and expire (at most 7 days
            # with SigV4; cached pages must expire well before their image URLs do).
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "86400")),
            "signature_version": os.environ.get("AWS_S3_SIGNATURE_VERSION", "s3v4"),
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "file_overwrite": False,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN if AWS_S3_CUSTOM_DOMAIN else False,
        },
    }
    # Image URLs point at the bucket (or its CDN): pages and the admin must be allowed to load
    # them.
    if AWS_S3_CUSTOM_DOMAIN:
        _media_origin = f"https://{AWS_S3_CUSTOM_DOMAIN}"
    elif AWS_S3_ENDPOINT_URL:
        _parts = urlsplit(AWS_S3_ENDPOINT_URL)
        _media_origin = f"{_parts.scheme}://{_parts.netloc}"
    else:
        _media_origin = "https://*.amazonaws.com"
    for _policy in (CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_ADMIN):
        _policy["DIRECTIVES"] = {
            **_policy["DIRECTIVES"],
            "img-src": [*_policy["DIRECTIVES"]["img-src"], _media_origin],
        }

# --- Cache: Redis, shared by every app server (base.redis_cache) -------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    # One server only (each process has its own memory): fine for a trial, not for scale-out.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- CDN purge on publish (wagtail.contrib.frontend_cache), when a CDN is named -----------------
# Pages carry "Cache-Control: public, max-age=60, s-maxage=300" (PAGE_CACHE_CONTROL), so a CDN in
# front serves them for at most 5 minutes; with a purge backend, a published, unpublished or moved
# page (Wagtail's own handler) and the pages that list it (its parents: the analyses index, its
# centre, the home page; publications.signals.purge_cdn) are purged at once. FRONTEND_CACHE names
# the backend:
#   cloudflare: FRONTEND_CACHE_CLOUDFLARE_ZONEID, FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN
#   cloudfront: FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID (credentials as for boto3)
#   http:       FRONTEND_CACHE_HTTP_LOCATION (a Varnish/nginx cache that accepts PURGE requests)
FRONTEND_CACHE = os.environ.get("FRONTEND_CACHE", "").strip().lower()
if FRONTEND_CACHE == "cloudflare":
    _frontend_cache = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env_required("FRONTEND_CACHE_CLOUDFLARE_ZONEID"),
        "BEARER_TOKEN": env_required("FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN"),
    }
elif FRONTEND_CACHE == "cloudfront":
    _frontend_cache = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": env_required("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID"),
    }
elif FRONTEND_CACHE == "http":
    _frontend_cache = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_required("FRONTEND_CACHE_HTTP_LOCATION"),
    }
elif FRONTEND_CACHE:
    raise ImproperlyConfigured("FRONTEND_CACHE must be cloudflare, cloudfront or http.")
if FRONTEND_CACHE:
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]  # noqa: F405
    WAGTAILFRONTENDCACHE = {"default": _frontend_cache}

# --- E-mail (Wagtail's workflow and password-reset e-mails) -----------------------------------

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Requests for a host name not in ALLOWED_HOSTS (scanners) are answered 400; their traceback is
# noise in the log.
LOGGING["loggers"]["django.security.DisallowedHost"] = {"handlers": [], "propagate": False}
