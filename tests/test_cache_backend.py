"""The production cache backend (config.cache): Django's Redis backend, reusing one Redis client
per connection pool, against the machine's real Redis (``SMOKE_REDIS_URL``, as the production
smoke test; skipped where no Redis answers, a failure with ``REQUIRE_PRODUCTION_SMOKE=1``)."""

import os

import pytest

from config.cache import ReusedClientRedisCache
from tests.test_production_smoke import missing_prerequisite, redis_answers


@pytest.fixture
def redis_cache():
    url = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not redis_answers(url):
        missing_prerequisite(f"no Redis answers at {url} (set SMOKE_REDIS_URL)")
    cache = ReusedClientRedisCache(url, {"KEY_PREFIX": "cache-backend-test"})
    yield cache
    cache.clear()


def test_it_stores_reads_and_deletes_like_django_s_backend(redis_cache):
    assert redis_cache.get("missing") is None
    redis_cache.set("page", {"status": 200, "content": b"<html>" * 1000}, timeout=30)
    assert redis_cache.get("page") == {"status": 200, "content": b"<html>" * 1000}
    assert redis_cache.add("page", "other") is False
    assert redis_cache.get_many(["page", "missing"]) == {
        "page": {"status": 200, "content": b"<html>" * 1000}
    }
    redis_cache.set("generation", 41, timeout=None)
    assert redis_cache.incr("generation") == 42
    redis_cache.delete("page")
    assert redis_cache.get("page") is None


def test_one_client_per_pool_is_reused(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client(write=False) is client  # one server: one pool
