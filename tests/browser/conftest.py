"""Fixtures for browser tests: the real ASGI app in a thread, and Debian's Chromium.

Mark every test here ``@pytest.mark.browser``. Tests are plain sync functions.

Fixtures
--------
``asgi_server`` (function scope; the server itself runs for the whole session)
    The base URL (a ``str``, e.g. ``"http://127.0.0.1:41233"``) of
    ``onboarding.asgi.application`` (HTTP and WebSockets, the channel layer
    from settings, static files through WhiteNoise) served by uvicorn in a
    background thread on a free port, on the test database. It brings
    ``transactional_db`` with serialized rollback: the test starts from the
    migrations' data (root page, default site, groups), loaded before any
    fixture writes; what the test and its fixtures write is committed, so the
    server sees it; afterwards the server's requests in flight are waited for
    and the database is flushed.
    ``asgi_server.call(fn, *args, **kwargs)`` runs ``fn`` in a worker thread
    of the server's event loop and returns its result. Call services that
    publish live events this way: with the in-memory channel layer, only then
    do their messages reach this server's consumers.

``site_tree`` (function)
    The test site's home page and information pages
    (``tests.cms.factories.site_create``), committed; the same dict as the
    suite-wide fixture (``home``, ``site``, ``root``), which it overrides here
    (that one uses ``db``). The site is part of every browser test's starting
    data, loaded before any other fixture writes, so fixtures may be listed in
    any order.

``browser`` (session)
    Playwright's sync ``Browser``: Debian's Chromium, headless, one per
    session. A missing ``/usr/bin/chromium`` fails the tests when ``CI`` is
    set, and skips them otherwise.

``page_factory`` (function)
    ``new_page(width=1280, *, height=800, **context_options) -> Page``: a page
    in a browser context of its own with that viewport, ``base_url`` set to
    the server (so ``page.goto("/en/")`` works) and a 10 s default timeout.
    ``context_options`` go to ``browser.new_context`` (e.g.
    ``java_script_enabled=False``, ``locale="nb-NO"``). The page may have
    served an earlier test: after each test its pages are wiped and kept for
    the next that asks for the same options (``PagePool``), which saves
    Chromium a new renderer process per page. Using it starts ``asgi_server``
    too. Playwright's
    ``expect`` waits as long (10 s instead of its own 5 s): on a busy two-core
    machine a live update can take seconds, and only one that never comes
    should fail.

``page`` (function)
    ``page_factory()``: a page 1280 px wide.

Helpers (``from tests.browser.helpers import ...``)
---------------------------------------------------
``login(page, base_url, email, password, *, language="en") -> page``
    Logs in through the allauth login page (fields ``login`` and
    ``password``) and waits for the page it redirects to; fails with the
    form's errors. ``tests.factories.UserFactory`` users have the password
    ``tests.factories.PASSWORD``.
``sign_in(page, base_url, user) -> page``
    Logs ``user`` in without the login page (a session made with Django's test
    client, its cookie given to the page's context): for the tests that are
    about something else, as most are.
``assert_no_axe_violations(page, *, context=None, ignore=None)``
    Runs axe-core with the tags wcag2a, wcag2aa, wcag21a and wcag21aa and fails
    listing each violation's id, impact, help and the offending nodes' targets.
    It lets the page's short animations finish first (a message fading in
    fails contrast). ``ignore`` maps a rule's id to a CSS selector of elements
    that rule is not to report: only for markup that is not the site's own,
    named where it is used (Wagtail's rich text editor in ``test_admin.py``).
    ``axe_report(page)`` returns that report ("" when clean), to check several
    states in one test and fail once with all of them.
``collect_problems(page) -> ConsoleErrors``
    Call before the page's first ``goto``: a list that fills with the page's
    console errors, uncaught exceptions and CSP violations (a
    ``securitypolicyviolation`` listener that ``page_factory`` adds to every
    page as an init script, so the page's CSP does not block it);
    ``assert problems == []`` at the end.
``account_url(name, language, **kwargs)``
    The path of an allauth view in a language (``accounts/`` is translated).
``db_access()``
    Context manager for Django calls (ORM, ``async_to_sync``) in a test body
    after a Playwright call. Playwright's sync API leaves its event loop
    marked as running on the test thread between calls, although it is
    paused, and Django then refuses to run. ``ReleaseLoopMark`` clears that
    mark after every fixture step and test body, so fixtures, the database
    flush and later async tests are unaffected (see
    ``helpers.PlaywrightLoopMark``); inside a test body, ``db_access()`` does.
"""

import asyncio
import contextlib
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import uvicorn
from asgiref.sync import sync_to_async
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import SynchronousOnlyOperation
from django.core.management import call_command
from django.db import connection, connections, transaction
from playwright.sync_api import expect
from wagtail.models import Page, Site

from cms.models import HomePage
from tests import database

from .helpers import DB_ACCESS_HINT, LOOP_MARK, REPORT_CSP_VIOLATIONS, require_chromium

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# WhiteNoise serves static files with a sync iterator, which Django warns about
# under ASGI; the pages' own responses are what these tests are about.
WHITENOISE_UNDER_ASGI = "ignore:StreamingHttpResponse must consume synchronous iterators:Warning"
DEFAULT_TIMEOUT_MS = 10_000
expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
SERVER_START_TIMEOUT = 20
SERVER_CALL_TIMEOUT = 30
DRAIN_TIMEOUT = 10


# The browser tests run in this many xdist groups (``--dist loadgroup``): see ``browser_groups``.
BROWSER_GROUPS = 2


def browser_groups(paths, groups=BROWSER_GROUPS):
    """Each browser test file's group: ``{path: "browser-N"}``, the files' sizes balanced.

    A group's files run on one worker, one Chromium and one server, each file's module
    fixtures made once; the other workers take the other groups and the rest of the suite
    between them. A file's size stands in for how long its flows take (the longest flows
    are the longest files); the largest files are placed first, each in the lightest group.
    """
    loads = [0] * groups
    chosen = {}
    for path in sorted(set(paths), key=lambda path: (-path.stat().st_size, path.name)):
        group = loads.index(min(loads))
        loads[group] += path.stat().st_size
        chosen[path] = f"browser-{group}"
    return chosen


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    mine = [item for item in items if here in item.path.parents]
    groups = browser_groups(item.path for item in mine)
    for item in mine:
        item.add_marker(pytest.mark.filterwarnings(WHITENOISE_UNDER_ASGI))
        # With ``--dist loadgroup`` each group's tests run on one worker with one Chromium,
        # while the other workers run the rest: see docs/performance.md.
        item.add_marker(pytest.mark.xdist_group(groups[item.path]))


class ReleaseLoopMark:
    """Clears Playwright's loop mark (see ``LOOP_MARK``) after every fixture step and test body.

    Registered as a plugin for the whole run: hooks in this conftest would not
    reach session-scoped fixtures (``browser``, the demo-site snapshot), whose
    steps run under the session, not under a test of this directory. Clearing
    is a no-op when the mark is not Playwright's.
    """

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        try:
            return (yield)
        finally:
            LOOP_MARK.release()

    def pytest_fixture_post_finalizer(self, fixturedef, request):
        LOOP_MARK.release()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        try:
            return (yield)
        except SynchronousOnlyOperation as error:
            if LOOP_MARK.loop is not None:
                error.add_note(DB_ACCESS_HINT)
            raise
        finally:
            LOOP_MARK.release()


def pytest_configure(config):
    if not config.pluginmanager.has_plugin("velkommen-release-loop-mark"):
        config.pluginmanager.register(ReleaseLoopMark(), "velkommen-release-loop-mark")


# The server.


class LiveServer(str):
    """The server's base URL, with a way to run code in the server's own context."""

    def __new__(cls, url, thread):
        live = super().__new__(cls, url)
        live.thread = thread
        return live

    def call(self, fn, *args, **kwargs):
        """Run ``fn(*args, **kwargs)`` in a worker thread of the server's loop; return it."""
        coroutine = sync_to_async(fn, thread_sensitive=False)(*args, **kwargs)
        future = asyncio.run_coroutine_threadsafe(coroutine, self.thread.loop)
        return future.result(SERVER_CALL_TIMEOUT)


class ClosingExecutor(ThreadPoolExecutor):
    """The server loop's executor: its threads close their database connections after each job.

    Django closes a request's connection in the request's own thread. Under
    ASGI the error pages (handler404, handler500) and ``sync_to_async(...,
    thread_sensitive=False)`` run in the loop's executor instead, and the
    connection they open there would stay open, out of the PostgreSQL pool, and
    keep the test database from being dropped.
    """

    def submit(self, fn, /, *args, **kwargs):
        def job():
            try:
                return fn(*args, **kwargs)
            finally:
                connections.close_all()

        return super().submit(job)


class ServerThread(threading.Thread):
    """uvicorn serving an ASGI app on 127.0.0.1 and a free port, in its own event loop."""

    def __init__(self, app):
        super().__init__(name="asgi-test-server", daemon=True)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.config = uvicorn.Config(
            app, lifespan="off", log_level="warning", access_log=False, timeout_graceful_shutdown=5
        )
        self.server = uvicorn.Server(self.config)
        self.loop = None
        self.error = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def run(self):
        async def serve():
            self.loop = asyncio.get_running_loop()
            self.loop.set_default_executor(ClosingExecutor(thread_name_prefix="asgi-test-server"))
            await self.server.serve(sockets=[self.socket])

        try:
            asyncio.run(serve(), loop_factory=self.config.get_loop_factory())
        except BaseException as error:  # reported by wait_started()
            self.error = error

    def wait_started(self):
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not self.server.started:
            if not self.is_alive():
                raise RuntimeError(f"The test ASGI server did not start: {self.error!r}")
            if time.monotonic() > deadline:
                raise RuntimeError("The test ASGI server did not start in time")
            time.sleep(0.01)

    def drain(self):
        """Wait until no request or WebSocket is being handled."""
        deadline = time.monotonic() + DRAIN_TIMEOUT
        while self.server.server_state.tasks and time.monotonic() < deadline:
            time.sleep(0.01)

    def stop(self):
        self.server.should_exit = True
        self.join(timeout=self.config.timeout_graceful_shutdown + 5)
        if self.is_alive():
            self.server.force_exit = True
            self.join(timeout=5)
        self.socket.close()


@pytest.fixture(scope="session")
def _asgi_server_thread(django_db_setup):
    # Imported once Django runs with the test settings and the test database.
    from onboarding.asgi import application

    thread = ServerThread(application)
    thread.start()
    thread.wait_started()
    yield thread
    thread.stop()


@pytest.fixture
def asgi_server(_asgi_server_thread, transactional_db, django_db_serialized_rollback):
    yield LiveServer(_asgi_server_thread.url, _asgi_server_thread)
    # The database is flushed next: let the server finish what the browser asked first.
    _asgi_server_thread.drain()


# Data.


def _flush_database():
    # As TransactionTestCase flushes: sequences run on, so reloaded rows keep their ids free.
    call_command(
        "flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True
    )


def _load_database(serialized):
    """Load rows serialized by ``serialize_db_to_string()`` into the (empty) database.

    Like ``deserialize_db_from_string()``, but content types come first: building
    some rows looks up their content type and, if it is not there yet, creates it
    under a new id (Wagtail's ``Task.__init__`` does), and the serialized one then
    clashes with it.
    """
    rows = json.loads(serialized)
    rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
    tables = set()
    with transaction.atomic(), connection.constraint_checks_disabled():
        for row in serializers.deserialize("python", rows):
            row.save()
            tables.add(row.object._meta.db_table)
    connection.check_constraints(table_names=tables)


@pytest.fixture(autouse=True)
def _database_contents(request):
    """Load what a browser test's database starts with, before any fixture adds to it.

    Tests with serialized rollback (every test using ``asgi_server``) start
    from the data saved when this worker's database was set up: the
    migrations' data and the test site (``tests/database.py``). Django's own
    reload loads that data on top of whatever is there and in serialization order, and fails on the
    unique names of content types when a transactional test without serialized
    rollback ran earlier (its flush recreated them under other ids) or when a
    row recreates its content type first (Wagtail's tasks do). So this fixture,
    autouse and therefore set up before ``transactional_db``, empties the
    database, loads the data itself, content types first, and gives Django
    nothing to reload. The flush after the test stays Django's.
    """
    if "django_db_serialized_rollback" not in request.fixturenames or database.restores_by_copy():
        # On SQLite the database is already in its starting state: the root
        # conftest copies the template back in after each transactional test.
        yield
        return
    request.getfixturevalue("django_db_setup")  # first: the flush must hit the test database
    contents = connection._test_serialized_contents
    with request.getfixturevalue("django_db_blocker").unblock():
        # After a browser test's flush every table is empty; content types exist
        # after migrating and after any flush that let post_migrate run. Skipping
        # a needless flush matters on PostgreSQL, where it takes a second or more.
        if ContentType.objects.exists():
            _flush_database()
        _load_database(contents)
    migrated = connection._test_serialized_contents
    connection._test_serialized_contents = "[]"
    try:
        yield
    finally:
        connection._test_serialized_contents = migrated


@pytest.fixture
def site_tree(transactional_db, django_db_serialized_rollback):
    # The test site is already there: _database_contents loaded it.
    return {
        "home": HomePage.objects.get(),
        "site": Site.objects.get(is_default_site=True),
        "root": Page.get_first_root_node(),
    }


# The browser.


@pytest.fixture(scope="session")
def _playwright():
    require_chromium(CHROMIUM)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    LOOP_MARK.install(playwright)
    yield playwright
    playwright.stop()
    LOOP_MARK.uninstall()


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


class PagePool:
    """Browser pages kept open from one test to the next, wiped clean in between.

    Opening a page in a new browser context costs Chromium about 0.6 s of CPU
    (a new renderer process and storage partition) against well under 0.1 s
    for loading a page in one that is open: across the browser tests that was
    the largest single cost of the suite. A test still gets a page of its own
    in a context of its own; when it ends, the page is wiped (``PageLease.wipe``:
    blank, no cookies, storage, cache, listeners or permissions, online, its
    viewport and timeouts as new) and kept for a later test that asks for the
    same context options, unless the test changed it in a way a wipe cannot
    undo (an init script of its own, a route, an exposed function, extra
    headers, a geolocation), in which case it is closed. Leave ``page.clock``
    alone in these tests: it cannot be undone either, and is not watched.
    """

    # What a test may call that leaves something behind no wipe can remove.
    LASTING = (
        "add_init_script",
        "route",
        "route_from_har",
        "route_web_socket",
        "expose_function",
        "expose_binding",
        "set_extra_http_headers",
        "set_geolocation",
    )

    def __init__(self, browser):
        self.browser = browser
        self.free = {}

    def take(self, options):
        key = json.dumps(options, sort_keys=True, default=str)
        free = self.free.setdefault(key, [])
        return free.pop() if free else self._open(options, key)

    def _open(self, options, key):
        context = self.browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page = context.new_page()
        # Every page reports CSP violations from its first load (``helpers.collect_problems``).
        page.add_init_script(REPORT_CSP_VIOLATIONS)
        return PageLease(context, page, options, key)

    def give_back(self, lease):
        if lease.dirty or not lease.wipe():
            lease.context.close()
            return
        self.free[lease.key].append(lease)

    def close(self):
        for leases in self.free.values():
            for lease in leases:
                lease.context.close()
        self.free.clear()


class PageLease:
    """One pooled page and its context, and what the test holding it changed."""

    def __init__(self, context, page, options, key):
        self.context = context
        self.page = page
        self.options = options
        self.key = key  # the pool's name for ``options``
        self.dirty = False
        self.listeners = []
        self._watch()

    def _watch(self):
        """Note what the test does to the page and context that a wipe must undo or cannot."""
        lease = self

        def lasting(target, name):
            original = getattr(target, name)

            def call(*args, **kwargs):
                lease.dirty = True
                return original(*args, **kwargs)

            setattr(target, name, call)

        for target in (self.page, self.context):
            for name in PagePool.LASTING:
                if hasattr(target, name):
                    lasting(target, name)
            for name in ("on", "once"):
                original = getattr(target, name)

                def listen(event, handler, _original=original, _target=target):
                    lease.listeners.append((_target, event, handler))
                    # Adding the first listener of a kind subscribes through Playwright's
                    # loop without entering it: it needs the loop's mark (helpers.py).
                    LOOP_MARK.restore()
                    return _original(event, handler)

                setattr(target, name, listen)

    def wipe(self):
        """Leave the page blank and its context as new; False if that could not be done."""
        try:
            for target, event, handler in self.listeners:
                # Removing the last listener of a kind unsubscribes, as adding subscribed.
                LOOP_MARK.restore()
                with contextlib.suppress(KeyError, ValueError):  # a ``once`` that fired
                    target.remove_listener(event, handler)
            self.listeners.clear()
            for other in self.context.pages:
                if other is not self.page:
                    other.close()
            if self.page.is_closed():
                return False
            # Ends the page's scripts, sockets and requests before the database is reset.
            self.page.goto("about:blank", wait_until="commit")
            self.context.set_offline(False)
            self.context.clear_cookies()
            self.context.clear_permissions()
            cdp = self.context.new_cdp_session(self.page)
            try:
                cdp.send("Network.clearBrowserCache")
                cdp.send(
                    "Storage.clearDataForOrigin",
                    {"origin": self.options["base_url"].rstrip("/"), "storageTypes": "all"},
                )
            finally:
                cdp.detach()
            self.page.set_viewport_size(self.options["viewport"])
            self.page.set_default_timeout(DEFAULT_TIMEOUT_MS)
            self.page.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        except Exception:  # noqa: BLE001 -- a page that cannot be wiped is closed instead
            return False
        return True


@pytest.fixture(scope="session")
def _page_pool(browser):
    pool = PagePool(browser)
    yield pool
    pool.close()


@pytest.fixture
def page_factory(_page_pool, asgi_server):
    leases = []

    def new_page(width=1280, *, height=800, **context_options):
        context_options.setdefault("base_url", str(asgi_server))
        context_options["viewport"] = {"width": width, "height": height}
        lease = _page_pool.take(context_options)
        leases.append(lease)
        return lease.page

    yield new_page
    for lease in leases:
        _page_pool.give_back(lease)


@pytest.fixture
def page(page_factory):
    return page_factory()
