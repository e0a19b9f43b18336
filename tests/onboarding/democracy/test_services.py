"""Standing in an election and telling followers of one."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from onboarding.democracy.errors import CandidacyError
from onboarding.democracy.models import Candidacy, ElectionAnnouncement
from onboarding.democracy.services import candidacy_create, election_publication_followup
from onboarding.live.models import Notification
from onboarding.units.services import follow_create
from tests.factories import UserFactory
from tests.onboarding.democracy.builders import election_make

pytestmark = pytest.mark.django_db


def _stand(election, user, **fields):
    return candidacy_create(
        election=election,
        user=user,
        statement=fields.pop("statement", "Jeg vil jobbe for bedre studieplasser."),
        statement_language=fields.pop("statement_language", "nb"),
        group=fields.pop("group", "Informatikk"),
        seat_type=fields.pop("seat_type", "ordinary"),
        **fields,
    )


def test_a_student_stands_while_nominations_are_open(tree, django_capture_on_commit_callbacks):
    election = election_make(tree["council_a"], opens=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        candidacy = _stand(election, tree["student"], seat_type="international")
    assert candidacy.seat_type == "international"
    assert Candidacy.objects.filter(election=election, user=tree["student"]).count() == 1


def test_the_body_editors_are_told(tree, django_capture_on_commit_callbacks):
    election = election_make(tree["council_a"], opens=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        _stand(election, tree["student"])
    told = Notification.objects.filter(kind="democracy_candidacy")
    assert [n.recipient for n in told] == [tree["council_editor"]]
    # In the editor's own language (Norwegian), with the statement.
    notification = told.get()
    assert "stiller" in notification.subject.lower() or "kandidat" in notification.subject.lower()
    assert "bedre studieplasser" in notification.body
    assert notification.url == f"/admin/democracy/elections/{election.pk}/candidacies/"
    # The parliament's editor hears nothing of a council's election.
    assert not Notification.objects.filter(recipient=tree["parliament_editor"]).exists()


@pytest.mark.parametrize(
    ("opens_in", "code"),
    [(timedelta(days=1), "not_open"), (-timedelta(days=8), "closed")],
)
def test_outside_the_nomination_period_is_refused_and_writes_nothing(tree, opens_in, code):
    election = election_make(tree["council_a"], opens=timezone.now() + opens_in)
    with pytest.raises(CandidacyError) as refusal:
        _stand(election, tree["student"])
    assert refusal.value.code == code
    assert not Candidacy.objects.exists()
    assert not Notification.objects.filter(kind="democracy_candidacy").exists()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_refusal_is_translated(tree, language):
    election = election_make(tree["council_a"], opens=timezone.now() + timedelta(days=1))
    with translation.override(language), pytest.raises(CandidacyError) as refusal:
        _stand(election, tree["student"])
    expected = "Nominasjonen åpner" if language == "nb" else "Nominations open"
    assert str(refusal.value.message).startswith(expected)


def test_the_period_boundaries(tree):
    opens = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    election = election_make(tree["council_a"], opens=opens)
    with pytest.raises(CandidacyError):
        _stand(election, tree["student"], now=opens - timedelta(seconds=1))
    _stand(election, tree["student"], now=opens)
    with pytest.raises(CandidacyError) as refusal:
        _stand(election, UserFactory(), now=election.nomination_closes_at)
    assert refusal.value.code == "closed"


def test_one_candidacy_per_person(tree):
    election = election_make(tree["council_a"], opens=timezone.now() - timedelta(days=1))
    _stand(election, tree["student"])
    with pytest.raises(CandidacyError) as refusal:
        _stand(election, tree["student"], statement="Igjen")
    assert refusal.value.code == "already_standing"
    assert Candidacy.objects.get().statement.startswith("Jeg vil")


def test_the_same_person_stands_in_two_elections(tree):
    now = timezone.now()
    first = election_make(tree["council_a"], opens=now - timedelta(days=1))
    second = election_make(tree["parliament"], opens=now - timedelta(days=1))
    _stand(first, tree["student"])
    _stand(second, tree["student"])
    assert Candidacy.objects.count() == 2


def test_no_reserved_seat_where_the_election_has_none(tree):
    election = election_make(
        tree["council_a"], opens=timezone.now() - timedelta(days=1), international_seats=0
    )
    with pytest.raises(CandidacyError) as refusal:
        _stand(election, tree["student"], seat_type="international")
    assert refusal.value.code == "no_such_seat"
    assert not Candidacy.objects.exists()


def test_followers_are_told_of_a_new_election_once(tree, django_capture_on_commit_callbacks):
    abroad = UserFactory(language="nb")
    follow_create(user=abroad, unit=tree["parliament"])
    follow_create(user=tree["student"], unit=tree["parliament"])
    with django_capture_on_commit_callbacks(execute=True):
        # Publishing (the signal) tells them ...
        election = election_make(tree["parliament"], opens=timezone.now() + timedelta(days=3))
    told = Notification.objects.filter(kind="democracy_election_announced")
    assert {n.recipient for n in told} == {abroad, tree["student"]}
    # ... each in their own language.
    assert "Valg" in told.get(recipient=abroad).subject
    assert "Election" in told.get(recipient=tree["student"]).subject
    # Publishing again, or a second call, tells no one.
    with django_capture_on_commit_callbacks(execute=True):
        election.save_revision().publish()
        assert election_publication_followup(election=election) == 0
    assert told.count() == 2
    assert ElectionAnnouncement.objects.get(election=election).recipients == 2


def test_followers_of_another_body_are_not_told(tree, django_capture_on_commit_callbacks):
    follow_create(user=tree["student"], unit=tree["parliament"])
    with django_capture_on_commit_callbacks(execute=True):
        election_make(tree["council_a"], opens=timezone.now() + timedelta(days=3))
    assert not Notification.objects.filter(kind="democracy_election_announced").exists()


def test_an_election_published_after_it_is_over_tells_no_one(
    tree, django_capture_on_commit_callbacks
):
    follow_create(user=tree["student"], unit=tree["parliament"])
    with django_capture_on_commit_callbacks(execute=True):
        election_make(tree["parliament"], opens=timezone.now() - timedelta(days=30))
    assert not Notification.objects.filter(kind="democracy_election_announced").exists()
