"""Check-in at the door, and attendance."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.activities.errors import CheckInError
from onboarding.activities.models import Signup
from onboarding.activities.selectors import event_attendance
from onboarding.activities.services import checkin_perform, checkin_undo, signup_create
from tests.onboarding.activities.factories import event_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(unit):
    return event_create(unit, capacity=1)


@pytest.fixture
def ticket(event, student):
    return signup_create(event=event, user=student)


def _error(**kwargs):
    with pytest.raises(CheckInError) as caught:
        checkin_perform(**kwargs)
    return caught.value


def test_a_ticket_code_checks_the_person_in(event, ticket, editor):
    result = checkin_perform(event=event, by=editor, code=ticket.ticket_code)
    stored = Signup.objects.get(pk=ticket.pk)
    assert stored.checked_in_at == result.checked_in_at
    assert stored.checked_in_by == editor


def test_a_typed_code_may_have_dashes_spaces_and_lower_case(event, ticket, editor):
    typed = f" {ticket.ticket_code_display.lower()} "
    checkin_perform(event=event, by=editor, code=typed)
    assert Signup.objects.get(pk=ticket.pk).checked_in_at is not None


def test_a_second_scan_says_when_and_changes_nothing(event, ticket, editor, section_staff):
    moment = timezone.localtime().replace(hour=18, minute=3, second=0, microsecond=0)
    checkin_perform(event=event, by=editor, code=ticket.ticket_code, now=moment)
    error = _error(event=event, by=section_staff, code=ticket.ticket_code)
    assert error.code == "already_checked_in"
    assert "18:03" in error.message
    stored = Signup.objects.get(pk=ticket.pk)
    assert stored.checked_in_at == moment
    assert stored.checked_in_by == editor


@pytest.mark.stack
def test_search_results_check_in_by_signup(event, ticket, editor):
    checkin_perform(event=event, by=editor, signup_id=ticket.pk)
    assert Signup.objects.get(pk=ticket.pk).checked_in_at is not None


def test_an_unknown_code_refuses_with_unknown_ticket(event, ticket, editor):
    assert _error(event=event, by=editor, code="NOPE-NOPE-NOPE").code == "unknown_ticket"


def test_a_ticket_for_another_event_refuses_with_wrong_event(unit, event, ticket, editor):
    other = event_create(unit)
    assert _error(event=other, by=editor, code=ticket.ticket_code).code == "wrong_event"


def test_a_waitlisted_person_cannot_be_checked_in(event, ticket, editor, students):
    (waiting_person,) = students(1)
    waiting = signup_create(event=event, user=waiting_person)
    assert _error(event=event, by=editor, code=waiting.ticket_code).code == "not_confirmed"


def test_a_student_cannot_check_people_in(event, ticket, student):
    assert _error(event=event, by=student, code=ticket.ticket_code).code == "forbidden"
    assert Signup.objects.get(pk=ticket.pk).checked_in_at is None


def test_an_editor_of_another_unit_cannot_check_people_in(event, ticket, other_editor):
    assert _error(event=event, by=other_editor, code=ticket.ticket_code).code == "forbidden"


def test_international_section_staff_can_check_people_in(event, ticket, section_staff):
    checkin_perform(event=event, by=section_staff, code=ticket.ticket_code)
    assert Signup.objects.get(pk=ticket.pk).checked_in_at is not None


def test_undo_takes_a_check_in_back(event, ticket, editor):
    checkin_perform(event=event, by=editor, code=ticket.ticket_code)
    checkin_undo(event=event, by=editor, signup_id=ticket.pk)
    assert Signup.objects.get(pk=ticket.pk).checked_in_at is None


def test_undo_of_someone_not_checked_in_refuses(event, ticket, editor):
    with pytest.raises(CheckInError) as caught:
        checkin_undo(event=event, by=editor, signup_id=ticket.pk)
    assert caught.value.code == "not_checked_in"


def test_attendance_gives_the_no_show_rate_once_the_event_has_ended(unit, students, editor):
    start = timezone.now() + timedelta(days=1)
    event = event_create(unit, capacity=10, start_at=start, end_at=start + timedelta(hours=2))
    signups = [signup_create(event=event, user=person) for person in students(4)]
    for signup in signups[:3]:
        checkin_perform(event=event, by=editor, code=signup.ticket_code)
    before = event_attendance(event=event)
    after = event_attendance(event=event, now=event.end_at)
    assert (before.confirmed, before.checked_in, before.no_show_rate) == (4, 3, None)
    assert after.no_show_rate == pytest.approx(0.25)


def _checkin_url(event):
    with translation.override("en"):
        return reverse("activities:checkin", args=[event.pk])


@pytest.mark.parametrize("signup", ["abc", "1e3", "-1", "99999999999999999999999"])
@pytest.mark.parametrize("undo", ["1", ""])
def test_a_person_id_that_is_no_id_names_no_ticket(client, event, ticket, editor, signup, undo):
    client.force_login(editor)
    data = {"signup": signup, "undo": undo}
    response = client.post(_checkin_url(event), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "unknown_ticket"
    assert Signup.objects.get(pk=ticket.pk).checked_in_at is None


def test_undo_by_id_from_the_page(client, event, ticket, editor):
    checkin_perform(event=event, by=editor, code=ticket.ticket_code)
    client.force_login(editor)
    data = {"signup": str(ticket.pk), "undo": "1"}
    response = client.post(_checkin_url(event), data, HTTP_ACCEPT="application/json")
    assert (response.status_code, response.json()["code"]) == (200, "undone")
    assert Signup.objects.get(pk=ticket.pk).checked_in_at is None


def test_a_refused_check_in_is_logged_on_one_line(client, event, student, caplog):
    client.force_login(student)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.post(_checkin_url(event), {"code": "X"}).status_code == 403
    refused = [record for record in caplog.records if record.name == "django.request"]
    assert [record.status_code for record in refused] == [403]
    # Django logs PermissionDenied with its traceback; the site's filter drops it.
    assert refused[0].exc_info is None
