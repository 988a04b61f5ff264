"""Local development: DEBUG on, a fixed key that is only ever used on a developer's machine."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-key-never-used-in-production")
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "contact@example.org")
