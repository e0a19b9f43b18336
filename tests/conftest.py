"""Fixtures shared by the whole suite."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page, Site

from cms.demo import seed_site
from tests.factories import StaffFactory, UserFactory


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres or redis run only where those services are configured.

    The CI script runs the suite twice, the second time with DATABASE_URL and
    REDIS_URL set, so these run there; a configured service that is down fails.
    """

    engine = settings.DATABASES["default"]["ENGINE"]
    for item in items:
        if "postgres" in item.keywords and engine != "django.db.backends.postgresql":
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL pointing at PostgreSQL"))
        if "redis" in item.keywords and not settings.REDIS_URL:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL"))


@pytest.fixture(autouse=True)
def _fresh_state():
    """Each test starts in English, the source language, with an empty cache.

    Requests still pick their language from the URL; tests of Norwegian text
    ask for it (a /nb/ URL or translation.override("nb")).
    """
    cache.clear()
    translation.activate("en")
    yield
    translation.deactivate()
    cache.clear()


@pytest.fixture
def site_tree(db):
    """The demo home page and information pages, in both languages."""
    home = seed_site()
    return {
        "home": home,
        "site": Site.objects.get(is_default_site=True),
        "root": Page.get_first_root_node(),
    }


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return StaffFactory()
