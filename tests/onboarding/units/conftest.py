import pytest
from django.db import transaction
from django.utils import translation

from cms.models import HomePage
from tests.onboarding.units.factories import unit_tree


@pytest.fixture(scope="module")
def _module_tree(django_db_setup, django_db_blocker):
    """A small organisation chart under the test site's home page, built once per module.

    It lives in a transaction that is rolled back after the module; each test
    runs in a savepoint inside it (the ``db`` fixture), so tests stay apart.
    Tests that change a unit re-read it from the database first.
    """
    with django_db_blocker.unblock(), translation.override("nb"), transaction.atomic():
        home = HomePage.objects.get()
        tree = unit_tree(home)
        tree["home"] = home
        yield tree
        transaction.set_rollback(True)


@pytest.fixture
def tree(_module_tree, db):
    """A small organisation chart under the test site's home page (see ``factories.unit_tree``)."""
    return _module_tree
