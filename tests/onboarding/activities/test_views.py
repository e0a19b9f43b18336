"""Views in both languages, and who may reach each personal or organiser endpoint."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation

from onboarding.activities.models import Signup
from onboarding.activities.services import (
    calendar_feed_create,
    calendar_feed_revoke,
    checkin_perform,
    signup_create,
)
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create

pytestmark = pytest.mark.django_db
LANGUAGES = ["nb", "en"]


def url(name, language="en", *args):
    with translation.override(language):
        return reverse(f"activities:{name}", args=args)


def page_url(page, language):
    with translation.override(language):
        return page.get_url()


@pytest.fixture
def event(unit):
    return event_create(
        unit, capacity=2, title_nb="Velkomstfest", title_en="Welcome party", waitlist_enabled=True
    )


# --- Public pages in both languages ----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_listing_shows_upcoming_events_in_the_language(client, event, language):
    response = client.get(url("event_list", language))
    assert response.status_code == 200
    title = {"nb": "Velkomstfest", "en": "Welcome party"}[language]
    assert title in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_page_shows_free_places(client, event, language):
    response = client.get(page_url(event, language))
    assert response.status_code == 200
    text = {"nb": "2 av 2 plasser ledige", "en": "2 of 2 places free"}[language]
    body = response.content.decode()
    assert text in body
    assert f'data-live-topic="event:{event.pk}"' in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_unit_page_lists_its_upcoming_events(client, unit, event, language):
    unit.save_revision().publish()
    response = client.get(page_url(unit, language))
    assert response.status_code == 200
    assert {"nb": "Velkomstfest", "en": "Welcome party"}[language] in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_calendar_file_downloads(client, event, language):
    response = client.get(url("event_ics", language, event.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


# --- Signing up through the page -----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_signup_form_signs_the_person_up_and_returns_to_the_event(client, event, student, language):
    client.force_login(student)
    response = client.post(url("signup", language, event.pk))
    assert response.status_code == 302
    assert response["Location"] == page_url(event, language)
    assert Signup.objects.get(person=student).status == "confirmed"


def test_anonymous_signup_is_sent_to_log_in(client, event):
    response = client.post(url("signup", "en", event.pk))
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not Signup.objects.exists()


def test_signup_answers_json_with_the_outcome_and_the_panel(client, event, students):
    for person in students(2):
        signup_create(event=event, user=person)
    late = UserFactory()
    client.force_login(late)
    response = client.post(url("signup", "en", event.pk), HTTP_ACCEPT="application/json")
    data = response.json()
    assert data["ok"] is True and data["code"] == "waitlisted"
    assert data["places"]["waitlisted"] == 1
    assert "Leave the waitlist" in data["panel_html"]


def test_a_refused_signup_answers_json_with_its_code(client, event, student):
    signup_create(event=event, user=student)
    client.force_login(student)
    response = client.post(url("signup", "en", event.pk), HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "already_signed_up"


@pytest.mark.parametrize("language", LANGUAGES)
def test_cancel_form_cancels_the_signup(client, event, student, language):
    signup_create(event=event, user=student)
    client.force_login(student)
    response = client.post(url("cancel", language, event.pk))
    assert response.status_code == 302
    assert Signup.objects.get(person=student).status == "cancelled"


def test_places_json_gives_the_count_and_the_persons_own_status(client, event, students):
    first, second, third = students(3)
    for person in (first, second, third):
        signup_create(event=event, user=person)
    client.force_login(third)
    data = client.get(url("event_places", "en", event.pk)).json()
    assert (data["confirmed"], data["waitlisted"], data["free"]) == (2, 1, 0)
    assert data["mine"]["status"] == "waitlisted" and data["mine"]["position"] == 1
    assert isinstance(data["version"], int)


def test_places_json_of_an_unpublished_event_is_not_found(client, event):
    event.unpublish()
    assert client.get(url("event_places", "en", event.pk)).status_code == 404


# --- Tickets ------------------------------------------------------------------------------


@pytest.fixture
def ticket(event, student):
    return signup_create(event=event, user=student)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_student_sees_their_own_ticket_with_a_qr_code(client, ticket, student, language):
    client.force_login(student)
    response = client.get(url("ticket", language, ticket.ticket_code))
    assert response.status_code == 200
    body = response.content.decode()
    assert "data:image/svg+xml" in body
    assert ticket.ticket_code_display in body


def test_another_students_ticket_is_not_found(client, ticket):
    client.force_login(UserFactory())
    assert client.get(url("ticket", "en", ticket.ticket_code)).status_code == 404


def test_an_anonymous_person_must_log_in_to_see_a_ticket(client, ticket):
    response = client.get(url("ticket", "en", ticket.ticket_code))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_organiser_sees_a_ticket_with_a_check_in_button(client, ticket, editor):
    client.force_login(editor)
    response = client.get(url("ticket", "en", ticket.ticket_code))
    assert response.status_code == 200
    assert url("checkin", "en", ticket.event_id) in response.content.decode()


def test_an_editor_of_another_unit_cannot_see_a_ticket(client, ticket, other_editor):
    client.force_login(other_editor)
    assert client.get(url("ticket", "en", ticket.ticket_code)).status_code == 404


# --- Organiser tools: who may reach them -------------------------------------------------------

ORGANISER_PAGES = ["attendees", "attendees_csv", "checkin", "message", "cancel_event"]


@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_pages_send_anonymous_people_to_log_in(client, event, name):
    response = client.get(url(name, "en", event.pk))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("name", ORGANISER_PAGES)
@pytest.mark.parametrize("who", ["student", "other_editor"])
def test_organiser_pages_refuse_students_and_other_units_editors(client, event, name, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(name, "en", event.pk)).status_code == 403


@pytest.mark.parametrize("name", ORGANISER_PAGES)
@pytest.mark.parametrize("who", ["editor", "section_staff"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_organiser_pages_open_for_the_units_editors_and_staff(
    client, event, name, who, language, request
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(name, language, event.pk)).status_code == 200


@pytest.mark.parametrize("who", ["student", "other_editor"])
def test_check_in_and_message_posts_refuse_others(client, event, ticket, who, request):
    client.force_login(request.getfixturevalue(who))
    assert (
        client.post(url("checkin", "en", event.pk), {"code": ticket.ticket_code}).status_code == 403
    )
    assert client.post(url("message", "en", event.pk), {"message_en": "Hi"}).status_code == 403
    assert client.post(url("cancel_event", "en", event.pk), {"confirm": "on"}).status_code == 403
    assert Signup.objects.get(pk=ticket.pk).checked_in_at is None
    assert Signup.objects.get(pk=ticket.pk).status == "confirmed"


def test_attendee_list_shows_attendees_and_the_waitlist_in_order(client, event, editor, students):
    people = students(4)
    for number, person in enumerate(people):
        person.first_name, person.last_name = f"Student{number}", "Test"
        person.save(update_fields=["first_name", "last_name"])
        signup_create(event=event, user=person)
    client.force_login(editor)
    body = client.get(url("attendees", "en", event.pk)).content.decode()
    assert body.index(people[2].display_name) < body.index(people[3].display_name)
    assert all(person.display_name in body for person in people)


def test_csv_lists_attendees_then_the_waitlist_and_defuses_formulas(client, event, editor):
    sneaky = UserFactory(first_name="=HYPERLINK(1)", last_name="Doe")
    signup_create(event=event, user=sneaky)
    for _ in range(2):
        signup_create(event=event, user=UserFactory())
    client.force_login(editor)
    response = client.get(url("attendees_csv", "en", event.pk))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "First name"
    assert len(rows) == 4
    assert rows[0][2] == "Preferred name"
    assert rows[-1][5] == "1"  # the waitlisted person, first in the queue
    assert any(row[0] == "'=HYPERLINK(1)" for row in rows)


def test_check_in_post_answers_json_and_a_second_scan_changes_nothing(
    client, event, ticket, editor
):
    client.force_login(editor)
    checkin = url("checkin", "en", event.pk)
    first = client.post(checkin, {"code": ticket.ticket_code}, HTTP_ACCEPT="application/json")
    second = client.post(checkin, {"code": ticket.ticket_code}, HTTP_ACCEPT="application/json")
    assert first.json()["ok"] is True and first.json()["checked_in"] == 1
    assert second.status_code == 409 and second.json()["code"] == "already_checked_in"


@pytest.mark.stack
def test_check_in_search_finds_a_person_by_name(client, event, ticket, editor, student):
    client.force_login(editor)
    response = client.get(url("checkin", "en", event.pk), {"q": student.last_name})
    assert student.email in response.content.decode()


def test_message_form_sends_and_returns_to_the_attendee_list(client, event, ticket, editor):
    client.force_login(editor)
    response = client.post(url("message", "en", event.pk), {"message_en": "See you!"})
    assert response.status_code == 302
    assert response["Location"] == url("attendees", "en", event.pk)


def test_organiser_overview_lists_only_organised_events(client, tree, event, editor):
    other = event_create(tree["choir"], title_en="Choir practice")
    client.force_login(editor)
    body = client.get(url("organiser_events", "en")).content.decode()
    assert event.title in body and other.title not in body


# --- Calendar feeds ---------------------------------------------------------------------------


def test_a_feed_holds_only_its_owners_events(client, unit, student):
    mine = event_create(unit, title_nb="Mitt", title_en="Mine")
    theirs = event_create(unit, title_nb="Deres", title_en="Theirs")
    signup_create(event=mine, user=student)
    signup_create(event=theirs, user=UserFactory())
    feed = calendar_feed_create(user=student)
    body = client.get(url("calendar_feed", "en", feed.token)).content.decode()
    assert "Mine" in body and "Theirs" not in body


def test_a_revoked_feed_stops_working(client, unit, student):
    signup_create(event=event_create(unit), user=student)
    feed = calendar_feed_create(user=student)
    calendar_feed_revoke(user=student)
    assert client.get(url("calendar_feed", "en", feed.token)).status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_my_events_offers_a_webcal_address(client, ticket, student, language):
    calendar_feed_create(user=student)
    client.force_login(student)
    response = client.get(url("my_events", language))
    assert response.status_code == 200
    assert "webcal://" in response.content.decode()


def test_checked_in_shows_on_the_ticket(client, event, ticket, editor, student):
    checkin_perform(event=event, by=editor, code=ticket.ticket_code)
    client.force_login(student)
    assert "Checked in" in client.get(url("ticket", "en", ticket.ticket_code)).content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_check_in_page_describes_fields_only_by_ids_that_exist(client, event, editor, language):
    client.force_login(editor)
    body = client.get(url("checkin", language, event.pk)).content.decode()
    described_by = re.findall(r'aria-describedby="([^"]+)"', body)
    ids = set(re.findall(r'\sid="([^"]+)"', body))
    assert described_by
    missing = [ref for refs in described_by for ref in refs.split() if ref not in ids]
    assert missing == []
