import pytest
from django.core.cache import cache

from tests.factories import build_site


@pytest.fixture
def site_tree(db):
    return build_site()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test database sends no signal, so
    nothing else would drop the navigation and pages cached from the previous test's data."""
    cache.clear()
    yield
