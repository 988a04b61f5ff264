"""Test settings: fast hasher, local-memory cache, media in a throw-away folder."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="publications-test-media-")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Query counts measure the uncached page; tests/test_page_cache.py turns the page cache on.
PAGE_CACHE_ENABLED = False
# A stale page is rendered again in the request (a thread would not see the test's transaction);
# tests/test_page_cache.py checks the background refresh on committed data.
PAGE_CACHE_REVALIDATE_IN_BACKGROUND = False
# Tasks run at once, in the test's process (through the same bounded child processes): most tests
# need their outcome, not the queue. tests/test_background_jobs.py runs them through the database
# backend and the real worker command.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Readership counts stay in memory until a test flushes them (publications.readership.flush): no
# timer thread, no flush at exit.
READERSHIP_FLUSH_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# The Site record of a fresh test database (Wagtail's initial migration): http://localhost.
SITE_BASE_URL = "http://localhost"

LOGGING["root"]["level"] = "WARNING"  # noqa: F405
LOGGING["loggers"]["django_tasks"] = {"level": "WARNING"}  # noqa: F405
