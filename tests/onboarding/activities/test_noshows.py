"""The no-show rule: no-shows in a semester put a person on the waitlist of events that ask for
it, they are told once a semester, and organisers see the rule applied."""

import csv
import io
import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from onboarding.activities.errors import OrganiserError, SignupError
from onboarding.activities.models import NoShowNotice, NoShowRules, Signup, noshow_rule_help
from onboarding.activities.selectors import noshows_count, semester_span
from onboarding.activities.services import (
    event_cancel,
    events_offers_settle,
    signup_book,
    signup_cancel,
    signup_create,
    signup_message,
    signup_place_give,
)
from onboarding.bookings.models import BookingStatus
from onboarding.live.models import Notification
from tests.onboarding.activities.factories import event_create
from tests.onboarding.units.factories import mfa_enable

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 10, 15, 12, 0, tzinfo=OSLO)


def _local(*args):
    return datetime(*args, tzinfo=OSLO)


def _missed(unit, person, *, start, checked_in=False):
    """An event that started at ``start`` where ``person`` had a place (and came, if told)."""
    event = event_create(unit, start_at=start, capacity=20)
    signup = signup_create(event=event, user=person, now=start - timedelta(hours=1))
    if checked_in:
        Signup.objects.filter(pk=signup.pk).update(checked_in_at=start)
    return event


def _limit(number):
    rules = NoShowRules.load()
    rules.limit = number
    rules.save()


@pytest.fixture
def noshower(unit, student):
    """A student who missed two events this autumn (two no-shows: the default limit)."""
    _missed(unit, student, start=_local(2026, 9, 1, 18))
    _missed(unit, student, start=_local(2026, 9, 8, 18))
    return student


@pytest.fixture
def on_the_day(monkeypatch):
    """The clock stands at ``NOW`` (for views, which read the time themselves)."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(UTC))


def _rule_event(unit, **fields):
    fields.setdefault("capacity", 3)
    return event_create(
        unit, start_at=NOW + timedelta(days=3), noshow_rule=True, waitlist_enabled=True, **fields
    )


# --- Counting -------------------------------------------------------------------------------


def test_no_shows_are_the_ended_events_of_the_semester_a_person_had_a_place_at_and_missed(
    unit, tree, student, students, editor
):
    _missed(unit, student, start=_local(2026, 6, 30, 22))  # spring: before the semester
    _missed(unit, student, start=_local(2026, 7, 1, 0, 30))  # the first hour of autumn
    _missed(unit, student, start=_local(2026, 9, 1, 18), checked_in=True)  # came
    _missed(unit, student, start=_local(2026, 10, 15, 11))  # not over at NOW
    # Cancelled by the organisers before it took place.
    called_off = _missed(unit, student, start=_local(2026, 10, 1, 18))
    event_cancel(event=called_off, by=editor, reason_en="Rain", now=_local(2026, 10, 1, 12))
    # Cancelled by the person in time.
    given_up = event_create(unit, start_at=_local(2026, 9, 20, 18), capacity=5)
    mine = signup_create(event=given_up, user=student, now=_local(2026, 9, 19, 12))
    signup_cancel(signup=mine, user=student, now=_local(2026, 9, 19, 13))
    # Waited on the waitlist and never got a place.
    full = event_create(unit, start_at=_local(2026, 9, 25, 18), capacity=1)
    signup_create(event=full, user=students(1)[0], now=_local(2026, 9, 24, 12))
    signup_create(event=full, user=student, now=_local(2026, 9, 24, 13))

    assert noshows_count(user=student, now=NOW) == 1
    assert noshows_count(user=student, now=NOW + timedelta(hours=2)) == 2  # that one ended
    assert noshows_count(user=student, now=_local(2026, 7, 1, 12)) == 1  # the first hour
    assert (
        noshows_count(user=student, now=_local(2026, 7, 1, 12), day=_local(2026, 6, 1).date()) == 1
    )


def test_the_semester_runs_from_january_to_june_and_july_to_december():
    spring = semester_span(_local(2027, 6, 30).date())
    autumn = semester_span(_local(2026, 12, 31).date())
    assert (spring.code, spring.starts, spring.ends) == (
        "2027-spring",
        _local(2027, 1, 1),
        _local(2027, 7, 1),
    )
    assert (autumn.code, autumn.starts, autumn.ends) == (
        "2026-autumn",
        _local(2026, 7, 1),
        _local(2027, 1, 1),
    )


# --- The rule at signup ----------------------------------------------------------------------


def test_a_person_with_enough_no_shows_waits_although_places_are_free(unit, noshower):
    event = _rule_event(unit)
    result = signup_book(event=event, user=noshower, now=NOW)
    assert result.signup.status == BookingStatus.WAITLISTED and result.signup.held
    assert result.noshows == 2
    with translation.override("en"):
        message = signup_message(signup=result.signup, noshows=result.noshows)
    assert message == (
        "You have missed 2 events you had a place at this semester without cancelling, so you "
        "are on the waitlist; if a place is still free 24 hours before the start, it is yours."
    )
    with translation.override("nb"):
        assert "2 arrangementer" in signup_message(signup=result.signup, noshows=2)


def test_fewer_no_shows_than_the_limit_get_a_place(unit, student):
    _missed(unit, student, start=_local(2026, 9, 1, 18))
    result = signup_book(event=_rule_event(unit), user=student, now=NOW)
    assert result.signup.status == BookingStatus.CONFIRMED and not result.signup.held


def test_an_event_without_the_rule_gives_the_place(unit, noshower):
    event = event_create(unit, start_at=NOW + timedelta(days=3), capacity=3)
    assert signup_book(event=event, user=noshower, now=NOW).signup.status == "confirmed"


def test_a_limit_of_zero_turns_the_rule_off(unit, noshower):
    _limit(0)
    result = signup_book(event=_rule_event(unit), user=noshower, now=NOW)
    assert result.signup.status == BookingStatus.CONFIRMED
    assert not NoShowNotice.objects.exists()


def test_the_section_sets_the_limit(unit, noshower):
    _limit(3)
    assert signup_book(event=_rule_event(unit), user=noshower, now=NOW).signup.status == "confirmed"


def test_a_place_freed_before_the_release_moment_goes_to_the_others(unit, noshower, students):
    event = _rule_event(unit, capacity=1)
    first, later = students(2)
    place = signup_create(event=event, user=first, now=NOW)
    held = signup_create(event=event, user=noshower, now=NOW)
    queued = signup_create(event=event, user=later, now=NOW)
    signup_cancel(signup=place, user=first, now=NOW)
    assert Signup.objects.get(pk=queued.pk).status == BookingStatus.CONFIRMED
    assert Signup.objects.get(pk=held.pk).status == BookingStatus.WAITLISTED


def test_the_held_get_a_place_still_free_at_the_release_moment_from_the_command(
    unit, noshower, students
):
    event = _rule_event(unit, capacity=1)
    first = students(1)[0]
    place = signup_create(event=event, user=first, now=NOW)
    held = signup_create(event=event, user=noshower, now=NOW)
    signup_cancel(signup=place, user=first, now=NOW)
    # Before the release moment the place stays free, however often the command runs.
    before = events_offers_settle(now=event.start_at - timedelta(hours=25))
    assert before.moved_up == 0
    assert Signup.objects.get(pk=held.pk).status == BookingStatus.WAITLISTED
    release = event.start_at - timedelta(hours=24)
    first_run = events_offers_settle(now=release)
    second_run = events_offers_settle(now=release + timedelta(minutes=5))
    assert (first_run.moved_up, second_run.moved_up) == (1, 0)
    assert second_run.holders == 0
    assert Signup.objects.get(pk=held.pk).status == BookingStatus.CONFIRMED
    told = Notification.objects.filter(recipient=noshower, kind="waitlist_place_given")
    assert told.count() == 1


def test_the_command_leaves_events_that_have_ended(unit, noshower, students):
    event = _rule_event(unit, capacity=1)
    first = students(1)[0]
    place = signup_create(event=event, user=first, now=NOW)
    held = signup_create(event=event, user=noshower, now=NOW)
    signup_cancel(signup=place, user=first, now=NOW)
    assert events_offers_settle(now=event.end_at + timedelta(hours=1)).moved_up == 0
    assert Signup.objects.get(pk=held.pk).status == BookingStatus.WAITLISTED


def test_a_hold_on_an_event_without_a_waitlist_is_refused_clearly(unit, noshower):
    event = _rule_event(unit)
    type(event).objects.filter(pk=event.pk).update(waitlist_enabled=False)
    event.refresh_from_db()
    with pytest.raises(SignupError) as caught:
        signup_book(event=event, user=noshower, now=NOW)
    assert caught.value.code == "held_no_waitlist"
    assert not Signup.objects.filter(event=event).exists()


# --- The notice -------------------------------------------------------------------------------


def test_the_notice_is_sent_once_a_semester(unit, noshower):
    signup_book(event=_rule_event(unit), user=noshower, now=NOW)
    signup_book(event=_rule_event(unit), user=noshower, now=NOW + timedelta(days=1))
    notices = Notification.objects.filter(recipient=noshower, kind="noshow_limit_reached")
    assert notices.count() == 1
    assert NoShowNotice.objects.get(person=noshower).semester == "2026-autumn"
    # A new semester, two new no-shows: a new notice.
    _missed(unit, noshower, start=_local(2027, 1, 10, 18))
    _missed(unit, noshower, start=_local(2027, 1, 17, 18))
    spring = _local(2027, 2, 1, 12)
    event = event_create(unit, start_at=spring + timedelta(days=3), noshow_rule=True, capacity=2)
    signup_book(event=event, user=noshower, now=spring)
    assert notices.count() == 2


def test_the_notice_says_why_in_the_readers_language(unit, noshower):
    noshower.language = "nb"
    noshower.save(update_fields=["language"])
    signup_book(event=_rule_event(unit), user=noshower, now=NOW)
    notice = Notification.objects.get(recipient=noshower, kind="noshow_limit_reached")
    assert "2 arrangementer" in notice.body
    assert "24 timer" in notice.body


# --- Organisers ---------------------------------------------------------------------------------


def test_an_organiser_gives_a_held_person_a_free_place(unit, noshower, editor, caplog):
    event = _rule_event(unit)
    held = signup_create(event=event, user=noshower, now=NOW)
    with caplog.at_level(logging.INFO, logger="onboarding.activities.services"):
        signup = signup_place_give(event=event, by=editor, signup_id=held.pk, now=NOW)
    assert signup.status == BookingStatus.CONFIRMED
    assert f"held-back signup {held.pk} by user {editor.pk}" in caplog.text
    assert Notification.objects.filter(recipient=noshower, kind="waitlist_place_given").exists()


def test_giving_the_place_is_refused_when_the_event_is_full(unit, noshower, editor, students):
    event = _rule_event(unit, capacity=1)
    signup_create(event=event, user=students(1)[0], now=NOW)
    held = signup_create(event=event, user=noshower, now=NOW)
    with pytest.raises(OrganiserError) as caught:
        signup_place_give(event=event, by=editor, signup_id=held.pk, now=NOW)
    assert caught.value.code == "full"
    assert Signup.objects.get(pk=held.pk).status == BookingStatus.WAITLISTED


def test_only_organisers_give_the_place_and_only_at_their_event(
    unit, noshower, other_editor, editor
):
    event = _rule_event(unit)
    other = _rule_event(unit)
    held = signup_create(event=event, user=noshower, now=NOW)
    with pytest.raises(OrganiserError) as refused:
        signup_place_give(event=event, by=other_editor, signup_id=held.pk, now=NOW)
    with pytest.raises(OrganiserError) as elsewhere:
        signup_place_give(event=other, by=editor, signup_id=held.pk, now=NOW)
    assert (refused.value.code, elsewhere.value.code) == ("forbidden", "not_held")
    assert Signup.objects.get(pk=held.pk).status == BookingStatus.WAITLISTED


def _url(name, *args):
    with translation.override("en"):
        return reverse(f"activities:{name}", args=args)


def test_the_attendee_list_and_csv_mark_the_held(client, unit, noshower, editor, on_the_day):
    event = _rule_event(unit)
    held = signup_create(event=event, user=noshower)
    client.force_login(editor)
    body = client.get(_url("attendees", event.pk)).content.decode()
    assert "Held back: 2 no-shows this semester" in body
    assert f'name="give" value="{held.pk}"' in body
    response = client.get(_url("attendees_csv", event.pk))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Held back: no-shows this semester"
    assert rows[-1][-1] == "2"


def test_the_attendee_list_gives_the_place(client, unit, noshower, editor, on_the_day):
    event = _rule_event(unit)
    held = signup_create(event=event, user=noshower)
    client.force_login(editor)
    response = client.post(_url("attendees", event.pk), {"give": str(held.pk)})
    assert response.status_code == 302
    assert Signup.objects.get(pk=held.pk).status == BookingStatus.CONFIRMED
    refused = client.post(_url("attendees", event.pk), {"give": "nonsense"}, follow=True)
    assert "This person is not on the waitlist here." in refused.content.decode()


def test_the_signup_panel_says_why(client, unit, noshower, on_the_day):
    event = _rule_event(unit)
    signup_create(event=event, user=noshower)
    client.force_login(noshower)
    with translation.override("en"):
        page = event.get_url()
    body = client.get(page).content.decode()
    assert "You have missed 2 events you had a place at this semester" in body


# --- The page ----------------------------------------------------------------------------------


def test_the_rule_needs_places_and_a_waitlist(unit):
    event = _rule_event(unit)
    event.waitlist_enabled = False
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    assert "noshow_rule" in caught.value.message_dict
    event.waitlist_enabled, event.capacity = True, None
    with pytest.raises(ValidationError):
        event.full_clean()


def test_the_help_text_gives_the_limit_set_now(db):
    _limit(3)
    with translation.override("en"):
        assert "a place at 3 events" in noshow_rule_help()
    _limit(0)
    with translation.override("en"):
        assert "turned the rule off" in noshow_rule_help()


def test_the_event_editor_explains_the_rule_with_the_limit_set_now(client, unit, editor):
    # The editor reads the admin in Norwegian.
    _limit(3)
    event = _rule_event(unit)
    client.force_login(mfa_enable(editor))
    with translation.override("en"):
        address = reverse("wagtailadmin_pages:edit", args=[event.pk])
    body = client.get(address).content.decode()
    assert "Personer med mange uteblivelser venter på ventelisten" in body
    assert "plass på 3 arrangementer" in body


def test_section_staff_may_set_the_limit(section_staff):
    assert section_staff.has_perm("activities.change_noshowrules")
