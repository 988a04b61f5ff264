"""Settings shared by every environment. Everything that differs per deployment comes from the
environment: DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG (see README)."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name):
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def redis_cache(url):
    """The shared cache on Redis (production; tests/test_cache_outage.py runs the same).

    The cache is an accelerator, never a dependency: django-redis' IGNORE_EXCEPTIONS turns a
    Redis outage (refused connections, timeouts) into cache misses and lost writes, for this
    project's code and for Wagtail's own (site root paths...), and short socket timeouts keep a
    Redis that hangs from holding requests long. Pages are then rendered (slower, not broken);
    /healthz says "cache": "down" and still answers 200 (config.health). Each failed operation is
    not logged (thousands a second under load): the health check logs the outage."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "publications"),
        "TIMEOUT": int(os.environ.get("CACHE_TIMEOUT", "300")),
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.25")),
            "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
        },
    }


# --- Core ------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "publications",
    "research_centers",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # trigram search ("Did you mean": publications.spelling)
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # (production inserts WhiteNoise here, right after SecurityMiddleware)
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    # A POST whose form data the form cannot read answers 400 (config.middleware).
    "config.middleware.MalformedPostMiddleware",
    # Readers' views of analyses, cached pages included (publications.readership).
    "config.middleware.ReadershipMiddleware",
    # Anonymous full-page cache: inside the security headers, before sessions and auth.
    "config.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, but /api/ and /oai/ keep their 404s (config.middleware).
    "config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns a locked-out login into a 429 response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "publications.context_processors.image_language",
            ],
        },
    },
]

# --- Database: SQLite by default so that a newcomer needs no server ---------------------------

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Settings of this app's PostgreSQL sessions (POSTGRES_SESSION_OPTIONS to change them):
    # - the JIT compiles a plan once its estimated cost is high, which the queries over every
    #   analysis (the facet index's build, the search ranking) reach at 100,000 analyses: the
    #   compiling took longer (up to a second) than running them;
    # - a parallel query (a search ranked over 60,000 matches) takes every core of the database
    #   host for its duration: where the app shares those cores (the compose file's one server),
    #   every other request waits, and the p99 of a publish storm went from 82 to 179 ms
    #   (docs/benchmarks.md). On a database host of its own, allow it again with
    #   POSTGRES_SESSION_OPTIONS="-c jit=off".
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options",
        os.environ.get(
            "POSTGRES_SESSION_OPTIONS", "-c jit=off -c max_parallel_workers_per_gather=0"
        ),
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt for a username + address that is locked out (it never
    # logs anyone in itself). AxesBackend rather than AxesStandaloneBackend: it can also load a
    # user back from a session, which the test client's force_login and Wagtail's page test
    # helpers expect of the first backend.
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages: the language is the first segment of every public URL (/en/, /fr/) -----------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media files -------------------------------------------------------------------

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "collected_static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Complex page models can exceed Django's default of 1,000 form fields in the page editor.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail ----------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Institute for International Studies")
# The language image descriptions (their alt text) are written in: images carry it as their
# `lang` on pages of another language. An analysis may give its cover an alt text of its own.
IMAGE_DESCRIPTION_LANGUAGE = os.environ.get("IMAGE_DESCRIPTION_LANGUAGE", LANGUAGE_CODE)
# The institute's name in each language of the site (header, footer, <title>, citations, feeds,
# JSON-LD): SITE_NAME_<LANGUAGE>, e.g. SITE_NAME_FR; a language without one uses SITE_NAME.
SITE_NAMES = {
    "en": os.environ.get("SITE_NAME_EN", WAGTAIL_SITE_NAME),
    "fr": os.environ.get("SITE_NAME_FR", "Institut d'études internationales"),
}
# The site's one public origin ("https://example.org"): every absolute URL it writes (canonical,
# hreflang, og:url, JSON-LD, citations, sitemap, robots.txt, feeds) is on it. `manage.py
# configure_site` writes it into the Wagtail Site record at each deploy (publications.site_origin).
SITE_BASE_URL = (
    os.environ.get("SITE_BASE_URL")
    or os.environ.get("WAGTAILADMIN_BASE_URL")
    or "http://127.0.0.1:8000"
).rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", SITE_BASE_URL)
# The address readers write to (footer, legal notice); none shown when empty.
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "")

# --- Machine readers: OAI-PMH (publications.oai) ------------------------------------------------

# Who harvesters write to (Identify's adminEmail, required by the protocol: set it).
OAI_ADMIN_EMAIL = os.environ.get("OAI_ADMIN_EMAIL", "webmaster@example.org")
# oai:<this>:<page id>; by default the host name of SITE_BASE_URL's Site record.
OAI_REPOSITORY_IDENTIFIER = os.environ.get("OAI_REPOSITORY_IDENTIFIER", "")
OAI_PAGE_SIZE = int(os.environ.get("OAI_PAGE_SIZE", "100"))  # records per list answer

# --- Machine readers: Crossref deposits (publications.crossref) ------------------------------

# Who deposits (the deposit file's head); sending needs the Crossref account's credentials.
CROSSREF_DEPOSITOR_NAME = os.environ.get("CROSSREF_DEPOSITOR_NAME", WAGTAIL_SITE_NAME)
CROSSREF_DEPOSITOR_EMAIL = os.environ.get("CROSSREF_DEPOSITOR_EMAIL", OAI_ADMIN_EMAIL)
CROSSREF_REGISTRANT = os.environ.get("CROSSREF_REGISTRANT", WAGTAIL_SITE_NAME)
CROSSREF_USERNAME = os.environ.get("CROSSREF_USERNAME", "")
CROSSREF_PASSWORD = os.environ.get("CROSSREF_PASSWORD", "")
# Crossref's test system until the deposits are known good; then its production deposit URL.
CROSSREF_DEPOSIT_URL = os.environ.get(
    "CROSSREF_DEPOSIT_URL", "https://test.crossref.org/servlet/deposit"
)

# --- Machine readers: the public read API (publications.api) ----------------------------------

# Requests per client address (DRF's "N/second|minute|hour|day"), counted in the shared cache.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/minute")
WAGTAILAPI_LIMIT_MAX = 100

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Analyses are published as PDF: the document library accepts PDFs only, checked by content
# (see publications.document_forms.PublicationDocumentForm), not just by name.
WAGTAILDOCS_DOCUMENT_MODEL = "publications.PublicationDocument"
# A file that pages use is not replaced in place (publications.file_review).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "publications.file_review.ReviewedDocumentForm"
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(os.environ.get("DOCUMENT_MAX_UPLOAD_MB", "300")) * 1024 * 1024
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
# Documents are always served by Wagtail's view, which checks the privacy of their collection
# (never by a redirect to, or a link into, the storage).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# A PDF anyone may read can be kept by a CDN and browsers, for five minutes: a PDF whose analysis is
# unpublished stops being served within that time. Restricted or unpublished PDFs (served to
# editors, or behind a login or password) are "private, no-store" (publications.views).
DOCUMENT_CACHE_CONTROL = os.environ.get("DOCUMENT_CACHE_CONTROL", "public, max-age=300")

WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Any rendition decodes the whole original: about 7.6 bytes a pixel (a PNG, measured:
# docs/benchmarks.md), so 24 megapixels (a 6000 x 4000 camera photo) cost about 186 MB. Wagtail's
# admin makes some in the editor's request (the chooser's thumbnail after an upload, an edit page
# opened before the worker made them), so this caps what a web worker can be made to hold. The
# largest rendition the site shows is 1200 pixels wide.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 24_000_000
# Wagtail's form, with a pixel check that reads the header only (Wagtail's decodes the image:
# publications.image_forms), and an image that pages use is not replaced in place
# (publications.file_review).
WAGTAILIMAGES_IMAGE_FORM_BASE = "publications.file_review.ReviewedImageForm"

# The admin shows "Analysis", "Research centre", ... in the language of the editor.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: editors' e-mail hashes are not sent to a third party, and the admin's CSP stays
# 'self'-only (Wagtail shows its own default avatar, or the one uploaded in the account settings).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False

TAGGIT_CASE_INSENSITIVE = True

# --- Background tasks (django-tasks; publications.renditions, publications.document_jobs, and
# Wagtail's own: search index, reference index, file deletion) ---------------------------------
# The database backend: a task is a row, written when the transaction that enqueued it commits, and
# the worker (`manage.py db_worker`: the `worker` service of docker-compose.yml, started by
# `make run` too) runs it. Nothing heavy runs in a web request. TASKS_BACKEND names another backend
# (the test settings run tasks at once, in the process, and test the worker explicitly).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The bounds of each job's heavy part, run in a child process (publications.bounded): wall-clock
# and CPU seconds, and memory beyond what the process holds when it starts. The PDF checks of the
# upload request have their own, shorter bounds (they read the file's structure only).
BACKGROUND_JOB_TIME_LIMIT = float(os.environ.get("BACKGROUND_JOB_TIME_LIMIT", "120"))
BACKGROUND_JOB_MEMORY_MB = int(os.environ.get("BACKGROUND_JOB_MEMORY_MB", "768"))
UPLOAD_CHECK_TIME_LIMIT = float(os.environ.get("UPLOAD_CHECK_TIME_LIMIT", "10"))
UPLOAD_CHECK_MEMORY_MB = int(os.environ.get("UPLOAD_CHECK_MEMORY_MB", "256"))

# --- Anonymous page cache (publications.page_cache; invalidated by publications.signals) -----
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "300"))
PAGE_CACHE_CONTROL = os.environ.get(
    "PAGE_CACHE_CONTROL", "public, max-age=60, s-maxage=300, stale-while-revalidate=60"
)
# Benchmarks only: requests carrying this header skip the page cache (unset: none does).
PAGE_CACHE_BYPASS_HEADER = os.environ.get("PAGE_CACHE_BYPASS_HEADER", "")

# --- Readership figures (publications.readership): counted in memory, written in batches ------
READERSHIP_ENABLED = env_bool("READERSHIP_ENABLED", True)
# Seconds between a process's first count and the flush that writes it (and the next ones).
READERSHIP_FLUSH_SECONDS = float(os.environ.get("READERSHIP_FLUSH_SECONDS", "30"))

# --- Security headers and login throttling, in every environment ------------------------------
# They are here, not in production only, so that development, the test suite and the browser tests
# run under the same policy as production: a template with an inline script or style fails there
# first. (HTTPS-only settings, HSTS and secure cookies are in production.py.)

# Content-Security-Policy (django-csp 4). The public site: no inline script or style at all
# (scripts and styles live in static/, so no nonce is needed and cached pages stay correct).
CSP_EXTRA_IMG_SRC = env_list("CSP_EXTRA_IMG_SRC")  # e.g. the S3/CDN origin that serves images
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *CSP_EXTRA_IMG_SRC],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}
# The Wagtail admin (config.middleware.ContentSecurityPolicyMiddleware): still enforced, but Wagtail
# 8 renders executable inline <script> blocks (InlinePanel, date pickers, chooser widgets) and
# inline style attributes, and frames its own preview; so inline scripts and styles are allowed
# there, and only there. Nothing else is loosened: no eval, no other origin.
CONTENT_SECURITY_POLICY_ADMIN = {
    "PATH_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Powerful browser features the site never uses.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# django-axes: after 5 failed logins for the same username (or wrong passwords for the same
# password-protected page) from the same address, that pair is locked out for an hour (a 429
# response), even with the right password.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout page, in the reader's language; the passwords of password-protected pages are
# throttled by the same rule (publications.page_passwords).
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_CLIENT_IP_CALLABLE = "config.middleware.client_ip_address"
AXES_VERBOSE = False  # no start-up banner; failures are still logged (without user agents)
# A signed-in session ends this long after signing in (or after "Stay signed in"): an editor's
# working day by default. The editor is warned five minutes before, and an ended session keeps
# the work on the page (publications.admin_session).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_HOURS", "12")) * 3600
# How many reverse proxies (load balancer, nginx) append to X-Forwarded-For in front of the app.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# The public API's throttle reads the client address the same way (publications.api).
REST_FRAMEWORK = {"NUM_PROXIES": TRUSTED_PROXY_COUNT}

# --- Logging: everything to stderr, where the process manager collects it --------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "WARNING"}},
}
