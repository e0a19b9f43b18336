"""The demo buddy rounds: next semester's crowd with a proposed matching and its shortfall, this
semester's published round, the demo student's buddy, and seeding again changes nothing."""

import pytest
from django.contrib.auth import get_user_model

from onboarding.buddies import selectors
from onboarding.buddies.demo import DATA, seed_buddies
from onboarding.buddies.models import BuddyMatch, BuddyRound, MatchState, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_site, db):
    """The module's copy of the seeded demo."""


def _round(key):
    spec = next(r for r in DATA["round"] if r["key"] == key)
    return BuddyRound.objects.get(name_nb=spec["name"]["nb"])


def test_next_semesters_round_has_its_crowd_a_proposal_and_a_shortfall(demo):
    round = _round("next")
    assert round.is_open()
    assert round.profiles.filter(role=Role.STUDENT).count() == 300
    assert round.profiles.filter(role=Role.BUDDY).count() == 120
    overview = selectors.round_overview(round=round)
    # As many students as the buddies' places and languages allow have a proposed buddy.
    assert overview.proposed == overview.bound
    assert overview.published == 0
    assert overview.missing_places > 0 and overview.languages
    editor = get_user_model().objects.get(email="editor@velkommen.test")
    assert selectors.round_may_organise(round=round, user=editor)


def test_this_semesters_round_is_published_and_the_demo_student_has_a_buddy(demo):
    round = _round("now")
    assert not BuddyMatch.objects.filter(round=round, state=MatchState.PROPOSED).exists()
    student = get_user_model().objects.get(email="student@velkommen.test")
    match = selectors.published_match_of(profile=selectors.profile_for(round=round, user=student))
    assert match is not None and match.buddy.user.first_name == "Marte"


def test_seeding_again_changes_nothing(demo):
    before = set(BuddyMatch.objects.values_list("student_id", "buddy_id", "state"))
    seed_buddies()
    assert set(BuddyMatch.objects.values_list("student_id", "buddy_id", "state")) == before
    assert BuddyRound.objects.count() == len(DATA["round"])
