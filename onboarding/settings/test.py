"""The test suite: fast hashing, isolated cache, immediate tasks, outbox email.

Tests run in parallel (pytest-xdist), each worker in its own process: its own
database (``tests/database.py``), its own Redis database number for the cache
and the channel layer, and its own media folder.
"""

import os
import tempfile
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import BASE_DIR, REDIS_URL

# "gw0", "gw1", ... under pytest-xdist; "" in a single process.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_INDEX = int(WORKER[2:]) + 1 if WORKER.startswith("gw") else 0

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Rate limits are tested on their own; elsewhere they would trip repeated logins.
ACCOUNT_RATE_LIMITS = False

# Uploaded images and documents go to a temporary folder of this process's, not
# media/; storage makes it on the first upload, and the suite removes it at the end.
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), f"velkommen-test-media-{os.getpid()}")
PRIVATE_MEDIA_ROOT = os.path.join(tempfile.gettempdir(), f"velkommen-test-private-{os.getpid()}")


def _redis_for_worker(url):
    """The Redis URL with this worker's own database number (the URL's own plus the index).

    The cache's ``clear()`` flushes a whole Redis database, and the channel
    layer keeps its groups there: workers sharing one would wipe each other.
    """
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base + WORKER_INDEX) % 16}"))


if REDIS_URL:
    REDIS_URL = _redis_for_worker(REDIS_URL)
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]["address"] = REDIS_URL  # noqa: F405
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions as production reads them (from the cache, the database behind it): a test and
# the ASGI server it starts in a thread share this process's cache, so both see every change.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# A file, not memory, for SQLite: the ASGI server that browser and WebSocket
# tests start in a thread must see the same database as the test itself. The
# name is stable; pytest-django adds the worker's suffix (see tests/database.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
elif "DB_POOL_TIMEOUT" not in os.environ:
    # The concurrency tests release hundreds of threads at once on one event, more than
    # the pool has connections: on a busy two-core machine the last of them waits longer
    # for a connection than a request should, and that wait is not what they test.
    DATABASES["default"]["OPTIONS"]["pool"]["timeout"] = 120  # noqa: F405

# Updating Wagtail's search index costs about a sixth of every page save, so
# tests do not do it on save: the site search's tests index what they search
# (``cms.search.index.search_index_rebuild``), the demo's seed indexes the demo,
# and a test of the admin's search turns it on with the ``settings`` fixture.
WAGTAILSEARCH_BACKENDS = {
    "default": {**WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}  # noqa: F405
}
