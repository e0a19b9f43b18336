"""The demo's completeness: the organisation editor's units have drafts to fix."""

import pytest

from onboarding.units.completeness import MISSING, SINGLE, unit_completeness
from onboarding.units.demo import demo_units
from onboarding.units.demo_completeness import seed_completeness

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_site, db):
    return demo_units()


def test_the_demo_editors_units_have_drafts_in_one_language(demo):
    binaer = unit_completeness(unit=demo["binaer"])
    buddy = unit_completeness(unit=demo["buddy"])

    drafts = {(item.title, item.status) for item in binaer.items + buddy.items if item.draft}
    assert {status for _title, status in drafts} == {MISSING, SINGLE}
    assert len(drafts) == 3
    assert binaer.percent < 90 and buddy.percent < 100


def test_seeding_again_makes_no_more_drafts(demo):
    assert seed_completeness() == 3
    before = unit_completeness(unit=demo["binaer"]).items
    assert seed_completeness() == 3
    assert unit_completeness(unit=demo["binaer"]).items == before
