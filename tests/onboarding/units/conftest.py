import pytest

from tests.onboarding.units.factories import unit_tree


@pytest.fixture
def tree(site_tree):
    """A small organisation chart under the demo home page (see ``factories.unit_tree``)."""
    return unit_tree(site_tree["home"])
