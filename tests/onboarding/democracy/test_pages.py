"""Where meetings and elections may be created, the order of an election's dates, and the
publish guard for texts that may be empty but not in one language only."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from onboarding.democracy.models import ElectionPage, MeetingPage, RepresentativesPage
from tests.factories import UserFactory
from tests.onboarding.democracy.builders import election_make, meeting_make

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [MeetingPage, ElectionPage, RepresentativesPage])
def test_only_the_parliament_and_councils_hold_democracy_pages(tree, model):
    assert model.can_create_at(tree["parliament"])
    assert model.can_create_at(tree["council_a"])
    for key in ("faculty_a", "department_a", "choir", "directory"):
        assert not model.can_create_at(tree[key]), key


def test_a_meeting_cannot_move_to_a_faculty(tree):
    meeting = meeting_make(tree["council_a"], start_at=timezone.now())
    assert meeting.can_move_to(tree["parliament"])
    assert not meeting.can_move_to(tree["faculty_a"])


def test_an_election_keeps_its_dates_in_order(tree):
    election = election_make(tree["council_a"], opens=timezone.now(), publish=False)
    election.voting_opens_at = election.nomination_closes_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        election.full_clean()
    assert "voting_opens_at" in error.value.message_dict
    election.refresh_from_db()
    election.international_seats = election.seats + 1
    with pytest.raises(ValidationError) as error:
        election.full_clean()
    assert "international_seats" in error.value.message_dict


def _meeting_form(meeting, *, minutes_nb, minutes_en, publish=True):
    form_class = MeetingPage.get_edit_handler().get_form_class()
    agenda = streamfield([("item", {"title": "Sak", "description": ""})])
    data = nested_form_data(
        {
            "title_nb": meeting.title_nb,
            "title_en": meeting.title_en,
            "slug_nb": meeting.slug_nb,
            "slug_en": meeting.slug_en,
            "start_at": "2027-03-28 18:00",
            "place_nb": "Rom 1",
            "place_en": "Room 1",
            "intro_nb": "",
            "intro_en": "",
            "agenda_nb": agenda,
            "agenda_en": agenda,
            "documents": streamfield([]),
            "minutes_nb": rich_text(minutes_nb),
            "minutes_en": rich_text(minutes_en),
        }
    )
    if publish:
        data["action-publish"] = "action-publish"
    admin = UserFactory(is_staff=True, is_superuser=True)
    return form_class(data, instance=meeting, parent_page=meeting.get_parent(), for_user=admin)


def test_minutes_in_one_language_only_are_refused_on_publishing(tree):
    meeting = meeting_make(tree["council_a"], start_at=timezone.now())
    form = _meeting_form(meeting, minutes_nb="<p>Vedtatt.</p>", minutes_en="")
    assert not form.is_valid()
    assert "minutes_en" in form.errors
    assert "before publishing" in form.errors["minutes_en"][0]


def test_minutes_in_both_or_neither_language_publish(tree):
    meeting = meeting_make(tree["council_a"], start_at=timezone.now())
    assert _meeting_form(meeting, minutes_nb="", minutes_en="").is_valid()
    both = _meeting_form(meeting, minutes_nb="<p>Vedtatt.</p>", minutes_en="<p>Adopted.</p>")
    assert both.is_valid(), both.errors


def test_a_draft_may_have_minutes_in_one_language(tree):
    meeting = meeting_make(tree["council_a"], start_at=timezone.now())
    form = _meeting_form(meeting, minutes_nb="<p>Vedtatt.</p>", minutes_en="", publish=False)
    assert form.is_valid(), form.errors
