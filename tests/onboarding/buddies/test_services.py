"""Profiles, the matching run on a round, pins and forbids, publishing and later rounds."""

import datetime

import pytest
from django.core import mail
from django.utils import translation

from onboarding.buddies import selectors, services
from onboarding.buddies.errors import MatchingError, ProfileError
from onboarding.buddies.models import BuddyMatch, MatchState, PairRule, Role, RuleKind
from onboarding.live.models import Notification
from tests.factories import UserFactory
from tests.onboarding.buddies.factories import buddy_create, round_create, student_create

ANSWERS = services.ProfileAnswers(
    languages=("en", "de"), available_on=datetime.date(2026, 8, 10), student_status="phd"
)


def test_a_student_asks_and_changes_their_answers(round, tree):
    user = UserFactory()
    profile = services.profile_save(round=round, user=user, role=Role.STUDENT, answers=ANSWERS)
    assert profile.languages == ["de", "en"] and profile.capacity == 1
    changed = services.ProfileAnswers(
        languages=("en",),
        available_on=datetime.date(2026, 8, 12),
        student_status="phd",
        faculty=tree["faculty_a"],
        wants_same_faculty=True,
    )
    again = services.profile_save(round=round, user=user, role=Role.STUDENT, answers=changed)
    assert (
        again.pk == profile.pk and again.faculty == tree["faculty_a"] and again.wants_same_faculty
    )


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        (
            services.ProfileAnswers(languages=(), available_on=datetime.date(2026, 8, 1)),
            "no_language",
        ),
        (
            services.ProfileAnswers(languages=("xx",), available_on=datetime.date(2026, 8, 1)),
            "unknown_language",
        ),
        (
            services.ProfileAnswers(
                languages=("en",), available_on=datetime.date(2026, 8, 1), interests=("nope",)
            ),
            "unknown_interest",
        ),
        (
            services.ProfileAnswers(
                languages=("en",), available_on=datetime.date(2026, 8, 1), capacity=0
            ),
            "capacity",
        ),
        (
            services.ProfileAnswers(
                languages=("en",), available_on=datetime.date(2026, 8, 1), capacity=9
            ),
            "capacity",
        ),
    ],
)
def test_bad_buddy_answers_are_refused_in_the_persons_language(round, answers, code):
    with translation.override("nb"), pytest.raises(ProfileError) as error:
        services.profile_save(round=round, user=UserFactory(), role=Role.BUDDY, answers=answers)
    assert error.value.code == code
    assert str(error.value.message) != ""
    assert not round.profiles.exists()


def test_a_faculty_must_be_a_faculty(round, tree):
    answers = services.ProfileAnswers(
        languages=("en",), available_on=datetime.date(2026, 8, 1), faculty=tree["parliament"]
    )
    with pytest.raises(ProfileError) as error:
        services.profile_save(round=round, user=UserFactory(), role=Role.BUDDY, answers=answers)
    assert error.value.code == "not_a_faculty"


def test_profiles_are_closed_after_sign_up_closes(tree):
    closed = round_create(tree["buddies"], closes_on=datetime.date(2020, 1, 1))
    with pytest.raises(ProfileError) as error:
        services.profile_save(round=closed, user=UserFactory(), role=Role.STUDENT, answers=ANSWERS)
    assert error.value.code == "closed"


def test_a_person_takes_part_in_one_role(round):
    user = UserFactory()
    services.profile_save(round=round, user=user, role=Role.STUDENT, answers=ANSWERS)
    with pytest.raises(ProfileError) as error:
        services.profile_save(round=round, user=user, role=Role.BUDDY, answers=ANSWERS)
    assert error.value.code == "other_role"


def test_only_the_groups_editors_run_publish_and_adjust(round, other_editor, faculty_editor):
    student, buddy = student_create(round), buddy_create(round)
    for person in (other_editor, faculty_editor, student.user, buddy.user):
        for call in (
            lambda by: services.matching_run(round=round, by=by),
            lambda by: services.matching_publish(round=round, by=by),
            lambda by: services.rule_set(
                round=round, student_id=student.pk, buddy_id=buddy.pk, kind="pin", by=by
            ),
        ):
            with pytest.raises(MatchingError) as error:
                call(person)
            assert error.value.code == "not_organiser"
    assert not BuddyMatch.objects.exists() and not PairRule.objects.exists()


def test_the_run_proposes_and_tells_nobody(round, organiser):
    students = [student_create(round) for _ in range(3)]
    buddy_create(round, capacity=2)
    buddy_create(round, capacity=1)
    summary = services.matching_run(round=round, by=organiser)
    assert summary.proposed == 3 and summary.unmatched == 0
    assert set(BuddyMatch.objects.values_list("state", flat=True)) == {MatchState.PROPOSED}
    assert not Notification.objects.exists()
    for student in students:
        assert selectors.published_match_of(profile=student) is None


def test_publishing_introduces_each_pair_in_each_ones_language(
    round, organiser, django_capture_on_commit_callbacks
):
    student = student_create(
        round, user=UserFactory(language="en", first_name="Ana", last_name="Lima")
    )
    buddy = buddy_create(
        round,
        user=UserFactory(language="nb", first_name="Ola", last_name="Nordmann"),
        phone="+47 400 00 000",
    )
    services.matching_run(round=round, by=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.matching_publish(round=round, by=organiser) == 1
    to_student = Notification.objects.get(recipient=student.user)
    to_buddy = Notification.objects.get(recipient=buddy.user)
    assert "Ola Nordmann" in to_student.subject and "Meet your buddy" in to_student.subject
    assert buddy.user.email in to_student.body and "+47 400 00 000" in to_student.body
    assert "Ana Lima" in to_buddy.subject and "Møt" in to_buddy.subject
    assert student.user.email in to_buddy.body
    assert {m.to[0] for m in mail.outbox} >= {student.user.email, buddy.user.email}


def test_contact_details_are_not_shared_before_publishing(round, organiser, client):
    student = student_create(round)
    buddy = buddy_create(round, phone="+47 999 99 999")
    services.matching_run(round=round, by=organiser)
    client.force_login(student.user)
    page = client.get(f"/en/buddies/{round.pk}/my-match/").content.decode()
    assert buddy.user.email not in page and "999 99 999" not in page
    assert not Notification.objects.filter(recipient__in=[student.user, buddy.user]).exists()


def test_rerun_keeps_published_pairs_and_matches_late_arrivals(round, organiser):
    first = [student_create(round) for _ in range(2)]
    buddy = buddy_create(round, capacity=3)
    services.matching_run(round=round, by=organiser)
    services.matching_publish(round=round, by=organiser)
    published = set(BuddyMatch.objects.values_list("student_id", "buddy_id", "published_at"))
    late = student_create(round)
    later_buddy = buddy_create(round, capacity=1, languages=("en",))
    summary = services.matching_run(round=round, by=organiser)
    assert summary.proposed == 1
    assert (
        set(
            BuddyMatch.objects.filter(state=MatchState.PUBLISHED).values_list(
                "student_id", "buddy_id", "published_at"
            )
        )
        == published
    )
    proposal = BuddyMatch.objects.get(state=MatchState.PROPOSED)
    assert proposal.student == late and proposal.buddy in (buddy, later_buddy)
    assert {m.student for m in BuddyMatch.objects.filter(state=MatchState.PUBLISHED)} == set(first)


def test_pins_and_forbids_are_respected(round, organiser):
    ana, ben = student_create(round), student_create(round)
    near = buddy_create(round, available_on=datetime.date(2026, 8, 1))
    far = buddy_create(round, available_on=datetime.date(2026, 9, 30))
    services.rule_set(
        round=round, student_id=ana.pk, buddy_id=far.pk, kind=RuleKind.PIN, by=organiser
    )
    services.rule_set(
        round=round, student_id=ben.pk, buddy_id=near.pk, kind=RuleKind.FORBID, by=organiser
    )
    services.matching_run(round=round, by=organiser)
    pairs = set(BuddyMatch.objects.values_list("student_id", "buddy_id"))
    assert (ana.pk, far.pk) in pairs and (ben.pk, near.pk) not in pairs
    assert "pinned" in BuddyMatch.objects.get(student=ana).reasons
    row = next(r for r in selectors.round_overview(round=round).unmatched)
    assert row.profile == ben and "full" in row.reason


def test_a_pin_to_a_full_buddy_is_refused(round, organiser):
    ana, ben = student_create(round), student_create(round)
    buddy = buddy_create(round, capacity=1)
    services.rule_set(round=round, student_id=ana.pk, buddy_id=buddy.pk, kind="pin", by=organiser)
    with pytest.raises(MatchingError) as error:
        services.rule_set(
            round=round, student_id=ben.pk, buddy_id=buddy.pk, kind="pin", by=organiser
        )
    assert error.value.code == "buddy_full"


def test_rules_name_people_of_the_round_only(round, organiser, tree):
    other_round = round_create(tree["choir"])
    outsider = student_create(other_round)
    buddy = buddy_create(round)
    with pytest.raises(MatchingError) as error:
        services.rule_set(
            round=round, student_id=outsider.pk, buddy_id=buddy.pk, kind="pin", by=organiser
        )
    assert error.value.code == "not_in_round"


def test_publishing_nothing_is_refused(round, organiser):
    with pytest.raises(MatchingError) as error:
        services.matching_publish(round=round, by=organiser)
    assert error.value.code == "nothing_proposed"


def test_a_published_student_can_no_longer_change_or_leave(round, organiser):
    student = student_create(round)
    buddy_create(round)
    services.matching_run(round=round, by=organiser)
    services.matching_publish(round=round, by=organiser)
    with pytest.raises(ProfileError) as error:
        services.profile_save(round=round, user=student.user, role=Role.STUDENT, answers=ANSWERS)
    assert error.value.code == "matched"
    with pytest.raises(ProfileError) as error:
        services.profile_withdraw(profile=student, user=student.user)
    assert error.value.code == "matched"


def test_a_changed_profile_drops_its_proposal(round, organiser):
    student = student_create(round)
    buddy_create(round, languages=("en", "de"))
    services.matching_run(round=round, by=organiser)
    services.profile_save(round=round, user=student.user, role=Role.STUDENT, answers=ANSWERS)
    assert not BuddyMatch.objects.exists()


def test_the_overview_shows_the_shortfall_before_matching(round, tree):
    for _ in range(5):
        student_create(round, faculty=tree["faculty_a"])
    student_create(round, languages=("ja",))
    buddy_create(round, capacity=2, faculty=tree["faculty_a"])
    overview = selectors.round_overview(round=round)
    assert (overview.students, overview.places, overview.missing_places) == (6, 2, 4)
    assert overview.bound == 2
    engineering = next(f for f in overview.faculties if f.faculty == tree["faculty_a"].title)
    assert engineering.missing == 3
    assert overview.languages == [("Japanese", 1)]
    assert overview.buddies_for(4) == 2


def test_when_one_side_deletes_their_account_the_other_is_told_without_their_name(round, organiser):
    from onboarding.privacy.services import account_erase

    student = student_create(
        round, user=UserFactory(language="en", first_name="Ana", last_name="Lima")
    )
    buddy = buddy_create(
        round, user=UserFactory(language="nb", first_name="Ola", last_name="Nordmann")
    )
    services.matching_run(round=round, by=organiser)
    services.matching_publish(round=round, by=organiser, email=False)
    account_erase(user=student.user, by=student.user)
    (told,) = Notification.objects.filter(recipient=buddy.user, kind="buddy_match_ended")
    assert told.language == "nb" and "avsluttet" in told.subject
    assert "Ana" not in told.subject + told.body and "Lima" not in told.body
    assert not BuddyMatch.objects.exists()


def test_a_proposed_match_ends_without_a_word(round, organiser):
    from onboarding.privacy.services import account_erase

    student = student_create(round)
    buddy = buddy_create(round)
    services.matching_run(round=round, by=organiser)
    account_erase(user=buddy.user, by=buddy.user)
    assert not Notification.objects.filter(recipient=student.user).exists()
