"""The Redis cache backend (onboarding/cache.py): Django's, with one client per pool."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core.cache import cache, caches

from onboarding.cache import RedisCache

pytestmark = pytest.mark.redis


def test_the_site_cache_is_this_backend():
    assert isinstance(caches["default"], RedisCache)
    assert settings.CACHES["default"]["BACKEND"] == "onboarding.cache.RedisCache"


def test_reads_and_writes_as_djangos_backend_does():
    cache.set("cache-test:a", {"value": [1, 2]}, 60)
    assert cache.get("cache-test:a") == {"value": [1, 2]}
    assert cache.add("cache-test:a", "other", 60) is False
    cache.set("cache-test:n", 1, 60)
    assert cache.incr("cache-test:n") == 2
    assert cache.get_many(["cache-test:a", "cache-test:n", "cache-test:none"]) == {
        "cache-test:a": {"value": [1, 2]},
        "cache-test:n": 2,
    }
    cache.delete("cache-test:a")
    assert cache.get("cache-test:a", "gone") == "gone"


def test_one_client_serves_every_call_and_every_thread():
    backend = caches["default"]._cache
    first = backend.get_client(write=True)
    assert backend.get_client(write=True) is first
    assert backend.get_client() is first  # one server: reads and writes share a pool

    def work(index):
        cache.set(f"cache-test:thread:{index}", index, 60)
        return cache.get(f"cache-test:thread:{index}")

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert list(pool.map(work, range(200))) == list(range(200))
