import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from publications import facet_index, freshness, page_cache
from tests.factories import build_site


@pytest.fixture
def site_tree(db):
    return build_site()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache and no facet index: a rolled-back test database
    sends no signal, so nothing else would drop what was cached from the previous test's data."""
    cache.clear()
    page_cache.recent_lookups.clear()
    facet_index.forget()
    freshness.forget_process_state()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to a /fr/ page activates French for
    the rest of the thread, and messages would otherwise depend on which test ran before."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
