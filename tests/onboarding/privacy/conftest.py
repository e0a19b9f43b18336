"""Fixtures for the person's privacy pages: a small organisation chart, built once per module."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.onboarding.checklists.conftest import fast_unit_tree, home_create
from tests.shared import fresh, module_transaction


@pytest.fixture(scope="module")
def _module_tree(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker), translation.override(settings.LANGUAGE_CODE):
        yield fast_unit_tree(home_create())


@pytest.fixture
def tree(_module_tree, db):
    return fresh(_module_tree)
