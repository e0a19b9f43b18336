import pytest
from django.db import transaction
from django.utils import translation

from cms.demo import seed_site
from tests.onboarding.units.factories import unit_tree


@pytest.fixture(scope="module")
def _module_tree(django_db_setup, django_db_blocker):
    """The demo site and a small organisation chart, built once per module.

    It lives in a transaction that is rolled back after the module; each test
    runs in a savepoint inside it (the ``db`` fixture), so tests stay apart.
    Tests that change a unit re-read it from the database first.
    """
    with django_db_blocker.unblock(), translation.override("nb"), transaction.atomic():
        home = seed_site()
        tree = unit_tree(home)
        tree["home"] = home
        yield tree
        transaction.set_rollback(True)


@pytest.fixture
def tree(_module_tree, db):
    """A small organisation chart under the demo home page (see ``factories.unit_tree``)."""
    return _module_tree
