"""The cache the tests of cached page parts run on: local memory, and Redis when REDIS_URL is set.

Import ``shared_cache`` into a test module to use it as a fixture; the Redis
parameter carries the ``redis`` marker, so it is skipped without REDIS_URL.
"""

import pytest


@pytest.fixture(
    params=["locmem", pytest.param("redis", marks=pytest.mark.redis)], name="shared_cache"
)
def shared_cache_fixture(request, settings):
    """The default cache as local memory or as Redis (this worker's database), emptied."""
    from django.core.cache import cache

    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": settings.REDIS_URL,
                "KEY_PREFIX": "velkommen-test-fragments",
            }
        }
    else:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "fragments",
            }
        }
    cache.clear()
    yield request.param
    cache.clear()
