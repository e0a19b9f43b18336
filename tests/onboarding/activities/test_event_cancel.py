"""Calling an event off: every signup cancelled, each person told in their language, no way back in."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cms.middleware import page_cache_generation
from onboarding.activities import selectors
from onboarding.activities.errors import OrganiserError, SignupError
from onboarding.activities.models import EventCancellation, Signup
from onboarding.activities.services import event_cancel, signup_cancel, signup_create
from onboarding.live.models import Notification
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(unit):
    return event_create(
        unit, capacity=2, title_nb="Quizkveld", title_en="Quiz night", waitlist_enabled=True
    )


def url(name, event, language="en"):
    with translation.override(language):
        return reverse(f"activities:{name}", args=[event.pk])


def test_every_place_and_waitlist_place_is_cancelled(event, people, editor):
    done = event_cancel(event=event, by=editor, reason_en="The room flooded.")
    cancellation = done.cancellation

    assert done.told == 3
    assert set(Signup.objects.filter(event=event).values_list("status", flat=True)) == {"cancelled"}
    assert selectors.event_places(event=event).confirmed == 0
    assert cancellation.cancelled_by == editor


def test_each_person_is_told_in_their_own_language_with_the_reason(event, people, editor):
    event_cancel(
        event=event, by=editor, reason_nb="Rommet er oversvømt.", reason_en="The room flooded."
    )

    nb = Notification.objects.get(recipient=people["nb"], kind="event_cancelled")
    en = Notification.objects.get(recipient=people["en"], kind="event_cancelled")
    waiting = Notification.objects.get(recipient=people["waiting"], kind="event_cancelled")
    assert "Quizkveld" in nb.subject and "Rommet er oversvømt." in nb.body
    assert "Quiz night" in en.subject and "The room flooded." in en.body
    assert "The room flooded." in waiting.body


def test_a_reason_in_one_language_reaches_everyone(event, people, editor):
    event_cancel(event=event, by=editor, reason_en="The room flooded.")

    nb = Notification.objects.get(recipient=people["nb"], kind="event_cancelled")
    assert "The room flooded." in nb.body


def test_nobody_can_sign_up_once_it_is_cancelled(event, people, editor):
    event_cancel(event=event, by=editor)

    with pytest.raises(SignupError) as caught:
        signup_create(event=event, user=people["nb"])

    assert caught.value.code == "cancelled"
    assert not Signup.objects.filter(event=event, status__in=["confirmed", "waitlisted"]).exists()


def test_a_second_cancellation_is_refused_and_tells_nobody_again(event, people, editor):
    event_cancel(event=event, by=editor)

    with pytest.raises(OrganiserError) as caught:
        event_cancel(event=event, by=editor)

    assert caught.value.code == "already_cancelled"
    assert Notification.objects.filter(kind="event_cancelled").count() == 3


def test_an_event_that_is_over_cannot_be_cancelled(unit, editor):
    start = timezone.now() - timedelta(hours=3)
    past = event_create(unit, start_at=start, end_at=start + timedelta(hours=2))

    with pytest.raises(OrganiserError) as caught:
        event_cancel(event=past, by=editor)

    assert caught.value.code == "event_over"
    assert not EventCancellation.objects.exists()


@pytest.mark.parametrize("who", ["student", "other_editor"])
def test_only_organisers_may_cancel(event, people, who, request):
    with pytest.raises(OrganiserError) as caught:
        event_cancel(event=event, by=request.getfixturevalue(who))

    assert caught.value.code == "forbidden"
    assert Signup.objects.filter(event=event, status="confirmed").count() == 2
    assert not EventCancellation.objects.exists()


def test_a_reason_too_long_changes_nothing(event, people, editor):
    with pytest.raises(OrganiserError) as caught:
        event_cancel(event=event, by=editor, reason_en="x" * 2001)

    assert caught.value.code == "message_too_long"
    assert Signup.objects.filter(event=event, status="confirmed").count() == 2
    assert not Notification.objects.filter(kind="event_cancelled").exists()


def test_international_section_staff_may_cancel(event, people, section_staff):
    assert event_cancel(event=event, by=section_staff).told == 3


def test_the_cancelled_event_leaves_the_listing_and_the_units_page(unit, event, editor):
    other = event_create(unit, title_en="Board games")
    event_cancel(event=event, by=editor)

    listed = list(selectors.event_list())
    upcoming = list(selectors.unit_upcoming_events(unit=unit))

    assert listed == [other] and [row.event.pk for row in upcoming] == [other.pk]


def test_cancelling_clears_the_page_cache(
    event, people, editor, django_capture_on_commit_callbacks
):
    before = page_cache_generation()
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event, by=editor)

    assert page_cache_generation() != before


# --- The pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_form_cancels_and_returns_to_the_attendee_list(client, event, people, editor, language):
    client.force_login(editor)

    response = client.post(
        url("cancel_event", event, language),
        {"reason_nb": "Sykdom.", "reason_en": "Illness.", "confirm": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == url("attendees", event, language)
    assert EventCancellation.objects.get(event=event).reason_en == "Illness."


def test_the_form_without_the_confirmation_changes_nothing(client, event, people, editor):
    client.force_login(editor)

    response = client.post(url("cancel_event", event), {"reason_en": "Illness."})

    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    assert not EventCancellation.objects.exists()
    assert Signup.objects.filter(event=event, status="confirmed").count() == 2


def test_a_second_post_says_it_is_already_cancelled(client, event, people, editor):
    client.force_login(editor)
    client.post(url("cancel_event", event), {"confirm": "on"})

    response = client.get(url("cancel_event", event))

    assert "This event was cancelled" in response.content.decode()
    assert 'name="confirm"' not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "notice", "reason"),
    [
        ("nb", "Dette arrangementet er avlyst.", "Sykdom."),
        ("en", "This event is cancelled.", "Illness."),
    ],
)
def test_the_event_page_says_it_is_cancelled_with_the_reason(
    client, event, people, editor, student, language, notice, reason
):
    event_cancel(event=event, by=editor, reason_nb="Sykdom.", reason_en="Illness.")
    client.force_login(student)
    with translation.override(language):
        page_url = event.get_url()

    body = client.get(page_url).content.decode()

    assert notice in body and reason in body
    assert url("signup", event, language) not in body


def test_the_signup_post_on_a_cancelled_event_is_refused_with_its_code(
    client, event, editor, student
):
    event_cancel(event=event, by=editor)
    client.force_login(student)

    response = client.post(url("signup", event), HTTP_ACCEPT="application/json")

    assert response.status_code == 409 and response.json()["code"] == "cancelled"
    assert not Signup.objects.filter(event=event, person=student).exists()


def test_the_organisers_overview_marks_the_event_cancelled(client, event, editor):
    client.force_login(editor)
    with translation.override("en"):
        overview = reverse("activities:organiser_events")
    assert "Event cancelled" not in client.get(overview).content.decode()

    event_cancel(event=event, by=editor)

    assert "Event cancelled" in client.get(overview).content.decode()


# --- What the cancelled event shows ---------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "places"), [("nb", "2 av 2 plasser ledige."), ("en", "2 of 2 places free.")]
)
def test_the_cancelled_events_page_shows_no_places_and_no_calendar_link(
    client, event, editor, student, language, places
):
    client.force_login(student)
    with translation.override(language):
        page_url = event.get_url()
    calendar = url("event_ics", event, language)
    assert calendar in client.get(page_url).content.decode()

    event_cancel(event=event, by=editor)
    body = client.get(page_url).content.decode()

    assert places not in body and "data-places-text" not in body
    assert calendar not in body
    assert client.get(url("event_places", event, language)).json()["cancelled"] is True


def test_the_cancelled_events_calendar_file_says_it_is_cancelled(client, event, editor):
    assert b"STATUS:CONFIRMED" in client.get(url("event_ics", event)).content

    event_cancel(event=event, by=editor)

    assert b"STATUS:CANCELLED" in client.get(url("event_ics", event)).content


@pytest.mark.parametrize(
    ("language", "notice", "had_places"),
    [
        ("nb", "Dette arrangementet ble avlyst", "2 personer hadde plass"),
        ("en", "This event was cancelled", "2 people had a place"),
    ],
)
def test_the_attendee_list_keeps_who_was_signed_up_when_the_event_was_cancelled(
    client, event, people, editor, language, notice, had_places
):
    gone = UserFactory()
    signup_cancel(signup=signup_create(event=event, user=gone), user=gone)
    event_cancel(event=event, by=editor)
    client.force_login(editor)

    body = client.get(url("attendees", event, language)).content.decode()

    assert notice in body and had_places in body
    waitlist_part = body[body.index('id="waitlist-heading"') :]
    assert people["nb"].display_name in body and people["en"].display_name in body
    assert people["waiting"].display_name in waitlist_part
    assert gone.display_name not in body  # left on their own before the event was called off


def test_the_csv_of_a_cancelled_event_keeps_the_people_marked_as_cancelled(
    client, event, people, editor
):
    event_cancel(event=event, by=editor)
    client.force_login(editor)

    response = client.get(url("attendees_csv", event))
    header, *rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    last_name, status, position = (
        header.index(name) for name in ("Last name", "Status", "Waitlist position")
    )

    assert {row[last_name]: (row[status], row[position]) for row in rows} == {
        people["nb"].last_name: ("Had a place (event cancelled)", ""),
        people["en"].last_name: ("Had a place (event cancelled)", ""),
        people["waiting"].last_name: ("On the waitlist (event cancelled)", "1"),
    }
