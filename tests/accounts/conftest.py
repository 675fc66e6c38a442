import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth keeps its own login rate limits and used TOTP codes in the cache; a test must not
    # inherit another test's failed attempts.
    cache.clear()
    yield
    cache.clear()
