"""The glossary's world: the small unit chart, an editor of faculty A, a student."""

import pytest

from cms.models import HomePage
from tests.factories import UserFactory
from tests.onboarding.activities.factories import editor_of
from tests.onboarding.units.factories import unit_tree


@pytest.fixture
def tree(db):
    tree = unit_tree(HomePage.objects.get(), publish=False)
    tree["editor"] = editor_of(tree["faculty_a"], language="nb")
    tree["section_editor"] = editor_of(tree["section"])
    tree["student"] = UserFactory(language="nb")
    return tree
