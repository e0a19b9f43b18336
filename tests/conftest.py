"""Fixtures shared by the whole suite."""

import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from pytest_django.plugin import blocking_manager_key
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from cms.models import HomePage
from tests import database
from tests.factories import StaffFactory, UserFactory


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres or redis run only where those services are configured.

    CI runs the suite on SQLite, then the tests marked ``postgres``, ``redis``
    or ``stack`` again with DATABASE_URL and REDIS_URL set; a configured
    service that is down fails.
    """

    engine = settings.DATABASES["default"]["ENGINE"]
    for item in items:
        if "postgres" in item.keywords and engine != "django.db.backends.postgresql":
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL pointing at PostgreSQL"))
        if "redis" in item.keywords and not settings.REDIS_URL:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL"))


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """This worker's own copy of the template database: migrated, with the test site.

    See ``tests/database.py``; the test site is ``tests.cms.factories.site_create``.
    """
    from tests.cms.factories import site_create

    with django_db_blocker.unblock():
        database.setup(seed=site_create)
    yield
    with django_db_blocker.unblock():
        database.teardown()


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The whole demo (``seed_demo``) for the tests of one module, on a copy made for it.

    Seeding the demo takes most of a minute, so it is seeded once a day per
    version of the demo, into a template of its own (``database.demo``); each
    test runs in its usual rolled-back transaction on the module's copy. Once
    a test asks for it, the rest of the module runs on that copy too: keep
    such tests in modules of their own (``test_demo.py``).
    """
    with django_db_blocker.unblock(), database.demo():
        yield


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, put the starting data back (SQLite; see database.py)."""
    try:
        return (yield)
    finally:
        if database.restores_by_copy() and _is_transactional(item):
            with item.config.stash[blocking_manager_key].unblock():
                database.restore()


@pytest.fixture(scope="session", autouse=True)
def _media_root():
    """This worker's temporary media folder (settings/test.py) goes when the worker is done."""
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_state():
    """Each test starts in English, the source language, with an empty cache.

    Requests still pick their language from the URL; tests of Norwegian text
    ask for it (a /nb/ URL or translation.override("nb")). The cache is this
    worker's own (settings/test.py), so clearing it touches no other worker.

    Wagtail's reference index (what the admin's "usage" lists show) is not kept
    up to date by what the test itself saves: in production a task worker does
    that after the request, but the tests' immediate task backend would do it in
    every save, and it took about a fifteenth of the app tests' time. Nothing the
    tests check reads it; a test that does would index what it needs itself
    (``ReferenceIndex.create_or_update_for_object``). Requests served by the
    browser tests' server threads still update it.
    """
    cache.clear()
    translation.activate("en")
    with disable_reference_index_auto_update():
        yield
    translation.deactivate()


@pytest.fixture
def site_tree(db):
    """The test site's home page and information pages, in both languages.

    Built once in the template database (``tests/cms/factories.py``); every
    test starts with it, and what a test changes is rolled back.
    """
    return {
        "home": HomePage.objects.get(),
        "site": Site.objects.get(is_default_site=True),
        "root": Page.get_first_root_node(),
    }


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return StaffFactory()
