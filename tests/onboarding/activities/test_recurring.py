"""Repeating event series: the rule, its occurrences across daylight saving, exceptions,
"this and following" and "this occurrence" edits, the scheduled command and bad input."""

from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from onboarding.activities import recurrence as rules
from onboarding.activities.calendars import event_calendar
from onboarding.activities.errors import RecurrenceError
from onboarding.activities.models import EventPage, EventRecurrence, Signup
from onboarding.activities.services import (
    RecurrenceInput,
    occurrence_update,
    occurrences_create,
    recurrence_create,
    recurrence_split,
    signup_create,
)
from onboarding.live.models import Notification
from tests.factories import UserFactory
from tests.onboarding.activities.factories import series_create

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
# Tuesday 2 March 2027; summer time starts on 28 March and ends on 31 October 2027.
MARCH = datetime(2027, 3, 2, 12, tzinfo=UTC)
TEMPLATE = {
    "title_nb": "Språkkafé",
    "title_en": "Language café",
    "summary_nb": "Snakk norsk over en kopp kaffe.",
    "summary_en": "Speak Norwegian over a cup of coffee.",
    "building": "Studenthuset",
    "room": "Kafeen",
    "capacity": 2,
    "waitlist_enabled": True,
}


def weekly(starts_on=date(2027, 3, 2), *, frequency="weekly", weekday=1, exceptions=(), **parts):
    return RecurrenceInput(
        parts=rules.RuleParts(frequency=frequency, weekday=weekday, **parts),
        starts_on=starts_on,
        start_time=time(9, 0),
        duration=timedelta(hours=2),
        template=dict(TEMPLATE),
        exceptions=tuple(exceptions),
    )


@pytest.fixture
def series(unit):
    return series_create(unit, title_nb="Språkkafeen", title_en="The language café")


def occurrences(series):
    return list(EventPage.objects.child_of(series).order_by("start_at"))


def local(moment):
    return moment.astimezone(OSLO)


# --- The rule and its occurrences -----------------------------------------------------------


def test_the_rule_is_an_rrule_built_by_dateutil(series, editor):
    made = recurrence_create(
        series=series, by=editor, given=weekly(frequency="monthly", week_of_month=2), now=MARCH
    )

    assert made.rule == "FREQ=MONTHLY;BYDAY=+2TU"
    days = [event.occurrence_date for event in occurrences(series)]
    assert days == [date(2027, 3, 9), date(2027, 4, 13)]  # second Tuesdays within eight weeks


def test_occurrences_copy_the_series_template_in_both_languages(series, editor):
    recurrence_create(series=series, by=editor, given=weekly(), now=MARCH)

    event = occurrences(series)[0]
    assert (event.title_nb, event.title_en) == ("Språkkafé", "Language café")
    assert event.summary_en == "Speak Norwegian over a cup of coffee."
    assert (event.building, event.room, event.capacity) == ("Studenthuset", "Kafeen", 2)
    assert event.live and event.get_parent().pk == series.pk


def test_march_occurrences_keep_nine_oclock_across_summer_time(series, editor):
    recurrence_create(series=series, by=editor, given=weekly(), now=MARCH)

    events = occurrences(series)
    assert len(events) == 9  # 2 March to 27 April: the rolling window of eight weeks
    assert {local(event.start_at).time() for event in events} == {time(9, 0)}
    before, after = events[3], events[4]  # 23 and 30 March
    assert before.start_at.astimezone(UTC).hour == 8
    assert after.start_at.astimezone(UTC).hour == 7
    assert after.end_at - after.start_at == timedelta(hours=2)


def test_october_occurrences_keep_nine_oclock_when_summer_time_ends(series, editor):
    recurrence_create(
        series=series,
        by=editor,
        given=weekly(date(2027, 10, 19)),
        now=datetime(2027, 10, 18, tzinfo=UTC),
    )

    events = occurrences(series)
    hours_utc = [event.start_at.astimezone(UTC).hour for event in events[:3]]
    assert [event.occurrence_date for event in events[:3]] == [
        date(2027, 10, 19),
        date(2027, 10, 26),
        date(2027, 11, 2),
    ]
    assert hours_utc == [7, 7, 8]
    assert {local(event.start_at).time() for event in events} == {time(9, 0)}


def test_the_calendar_file_says_nine_oclock_in_oslo_on_both_sides(series, editor):
    recurrence_create(series=series, by=editor, given=weekly(), now=MARCH)
    events = occurrences(series)

    for event in (events[3], events[4]):
        ics = event_calendar(event=event, domain="x.test", base_url="https://x.test", language="en")
        start = Calendar.from_ical(ics).walk("VEVENT")[0].decoded("dtstart")
        assert start.replace(tzinfo=None).time() == time(9, 0)
        assert str(start.tzinfo) == "Europe/Oslo" or start.tzname() in ("CET", "CEST")
        assert start == event.start_at


def test_exceptions_are_skipped(series, editor):
    recurrence_create(
        series=series, by=editor, given=weekly(exceptions=[date(2027, 3, 16)]), now=MARCH
    )

    days = [event.occurrence_date for event in occurrences(series)]
    assert date(2027, 3, 16) not in days and date(2027, 3, 23) in days


def test_an_end_date_and_a_count_end_the_series(series, editor):
    recurrence_create(series=series, by=editor, given=weekly(count=3), now=MARCH)
    assert len(occurrences(series)) == 3

    other = series_create(series.get_parent(), title_nb="Andre", title_en="Other")
    recurrence_create(series=other, by=editor, given=weekly(until=date(2027, 3, 16)), now=MARCH)
    assert [e.occurrence_date for e in occurrences(other)] == [
        date(2027, 3, 2),
        date(2027, 3, 9),
        date(2027, 3, 16),
    ]


# --- The scheduled command ------------------------------------------------------------------


def test_the_window_rolls_on_and_running_twice_makes_nothing_new(series, editor):
    recurrence_create(series=series, by=editor, given=weekly(), now=MARCH)
    assert len(occurrences(series)) == 9

    later = MARCH + timedelta(weeks=2)
    assert len(occurrences_create(now=later)) == 2
    assert occurrences_create(now=later) == []
    assert len(occurrences(series)) == 11


def test_the_command_makes_the_missing_occurrences_once(series, editor, settings):
    today = date.today()
    recurrence_create(series=series, by=editor, given=weekly(today, weekday=today.weekday()))
    EventPage.objects.child_of(series).last().delete()
    settings.EVENTS_RECURRENCE_WEEKS = 8

    out = StringIO()
    call_command("events_recur", stdout=out)
    call_command("events_recur", stdout=out)

    assert out.getvalue().splitlines() == [
        "Made 1 occurrence(s) of repeating event series.",
        "Made 0 occurrence(s) of repeating event series.",
    ]
    assert len(occurrences(series)) == 9


# --- Editing: this and following, this occurrence -------------------------------------------


def test_this_and_following_splits_the_rule_and_moves_the_occurrences(series, editor):
    old = recurrence_create(series=series, by=editor, given=weekly(), now=MARCH)
    person = UserFactory(language="en")
    signed_up = EventPage.objects.get(recurrence=old, occurrence_date=date(2027, 3, 30))
    signup_create(event=signed_up, user=person, now=MARCH)
    given = weekly(weekday=3)  # Thursdays from 30 March (a Tuesday): first 1 April
    given.template["room"] = "Peisestua"

    split = recurrence_split(
        recurrence=old, day=date(2027, 3, 30), by=editor, given=given, now=MARCH
    )

    old.refresh_from_db()
    assert "UNTIL=20270329T235959" in old.rule
    assert [e.occurrence_date for e in EventPage.objects.filter(recurrence=old)] == [
        date(2027, 3, 2),
        date(2027, 3, 9),
        date(2027, 3, 16),
        date(2027, 3, 23),
    ]
    moved = EventPage.objects.get(pk=signed_up.pk)
    assert moved.recurrence_id == split.recurrence.pk
    assert moved.occurrence_date == date(2027, 4, 1)
    assert local(moved.start_at) == datetime(2027, 4, 1, 9, tzinfo=OSLO)
    assert moved.room == "Peisestua"
    assert Signup.objects.get(event=moved).person == person
    assert split.told == 1
    notice = Notification.objects.get(recipient=person, kind="event_changed")
    assert "Language café" in notice.subject
    thursdays = EventPage.objects.filter(recurrence=split.recurrence).values_list(
        "occurrence_date", flat=True
    )
    assert all(day.weekday() == 3 for day in thursdays)
    assert len(occurrences(series)) == 4 + len(thursdays)


def test_this_and_following_deletes_an_empty_occurrence_the_new_rule_has_no_date_for(
    series, editor
):
    old = recurrence_create(series=series, by=editor, given=weekly(count=6), now=MARCH)
    person = UserFactory()
    last = EventPage.objects.get(recurrence=old, occurrence_date=date(2027, 4, 6))
    signup_create(event=last, user=person, now=MARCH)

    split = recurrence_split(
        recurrence=old, day=date(2027, 3, 23), by=editor, given=weekly(count=1), now=MARCH
    )

    # 23 March takes the one date; 30 March (empty) goes; 6 April keeps its person.
    assert split.removed == 1
    assert [event.pk for event in split.kept] == [last.pk]
    assert EventPage.objects.get(pk=last.pk).recurrence_detached
    assert Signup.objects.filter(event=last, person=person).exists()


def test_this_occurrence_moves_one_event_and_the_rule_leaves_it_alone(series, editor):
    old = recurrence_create(series=series, by=editor, given=weekly(), now=MARCH)
    event = EventPage.objects.get(recurrence=old, occurrence_date=date(2027, 3, 9))
    person = UserFactory(language="nb")
    signup_create(event=event, user=person, now=MARCH)

    occurrence_update(
        event=event,
        by=editor,
        day=date(2027, 3, 10),
        start_time=time(18, 0),
        duration=timedelta(hours=1),
        building="Realfagbygget",
        room="A4",
    )

    moved = EventPage.objects.get(pk=event.pk)
    assert local(moved.start_at) == datetime(2027, 3, 10, 18, tzinfo=OSLO)
    assert moved.recurrence_detached and moved.occurrence_date == date(2027, 3, 9)
    assert Notification.objects.filter(recipient=person, kind="event_changed").exists()
    assert occurrences_create(now=MARCH) == []  # 9 March is not made again

    recurrence_split(
        recurrence=old, day=date(2027, 3, 2), by=editor, given=weekly(weekday=4), now=MARCH
    )
    assert local(EventPage.objects.get(pk=event.pk).start_at).hour == 18


# --- Refused input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "code"),
    [
        (weekly(until=date(2027, 4, 1), count=3), "two_ends"),
        (weekly(until=date(2027, 2, 1)), "until_before_start"),
        (weekly(count=500), "count"),
        (weekly(frequency="monthly"), "week_of_month"),
        (weekly(frequency="yearly"), "bad_rule"),
        (weekly(exceptions=[date(2027, 3, 3)]), "exception_not_in_rule"),
        (weekly(date(9999, 1, 1)), "date_out_of_range"),
    ],
)
def test_bad_rules_are_refused_and_nothing_is_written(series, editor, given, code):
    with pytest.raises(RecurrenceError) as refused:
        recurrence_create(series=series, by=editor, given=given, now=MARCH)

    assert refused.value.code == code
    assert not EventRecurrence.objects.exists()
    assert occurrences(series) == []


def test_a_zero_duration_is_refused_in_norwegian(series, editor):
    given = RecurrenceInput(**{**weekly().__dict__, "duration": timedelta(0)})

    with translation.override("nb"), pytest.raises(RecurrenceError) as refused:
        recurrence_create(series=series, by=editor, given=given, now=MARCH)

    assert refused.value.code == "duration"
    assert "24 timer" in str(refused.value.message)


def test_a_split_with_a_bad_rule_changes_nothing(series, editor):
    old = recurrence_create(series=series, by=editor, given=weekly(), now=MARCH)
    before = list(EventPage.objects.values_list("pk", "start_at", "recurrence_id"))

    with pytest.raises(RecurrenceError):
        recurrence_split(
            recurrence=old, day=date(2027, 3, 16), by=editor, given=weekly(count=0), now=MARCH
        )

    old.refresh_from_db()
    assert "UNTIL" not in old.rule
    assert list(EventPage.objects.values_list("pk", "start_at", "recurrence_id")) == before
    assert EventRecurrence.objects.count() == 1


def test_only_the_series_organisers_may_make_it_repeat(series):
    with pytest.raises(RecurrenceError) as refused:
        recurrence_create(series=series, by=UserFactory(), given=weekly(), now=MARCH)

    assert refused.value.code == "forbidden"


# --- The organisers' pages ------------------------------------------------------------------


def form_data(**changes):
    data = {
        "frequency": "weekly",
        "weekday": "1",
        "week_of_month": "",
        "starts_on": date.today().isoformat(),
        "start_time": "09:00",
        "duration_minutes": "90",
        "until": "",
        "count": "",
        "exceptions": "",
        "title_nb": "Språkkafé",
        "title_en": "Language café",
        "summary_nb": "Snakk norsk.",
        "summary_en": "Speak Norwegian.",
        "building": "Studenthuset",
        "room": "",
        "online_url": "",
        "event_language": "both",
        "capacity": "",
        "waitlist_enabled": "on",
    }
    data.update(changes)
    return data


def series_url(series, language):
    with translation.override(language):
        return reverse("activities:series_recurrence", args=[series.pk])


@pytest.mark.parametrize("language", ["nb", "en"])
def test_an_organiser_makes_a_series_repeat_from_its_page(client, series, editor, language):
    client.force_login(editor)

    page = client.get(series_url(series, language))
    assert page.status_code == 200
    heading = "Gjentatte arrangementer" if language == "nb" else "Repeating events"
    assert heading in page.content.decode()

    done = client.post(series_url(series, language), form_data())
    assert done.status_code == 302
    assert EventRecurrence.objects.filter(series=series).count() == 1
    assert len(occurrences(series)) >= 8
    listing = client.get(series_url(series, language)).content.decode()
    coming = "Kommende arrangementer" if language == "nb" else "Coming occurrences"
    assert coming in listing
    first = occurrences(series)[0]
    with translation.override(language):
        assert reverse("activities:occurrence_recurrence", args=[first.pk]) in listing


@pytest.mark.parametrize(
    ("language", "changes", "message"),
    [
        ("nb", {"count": "3", "until": "2099-01-01"}, "ikke begge deler"),
        ("en", {"count": "3", "until": "2099-01-01"}, "not both"),
        ("nb", {"exceptions": "16.03.2027"}, "er ikke en dato"),
        ("en", {"exceptions": "16.03.2027"}, "is not a date"),
        ("nb", {"frequency": "monthly"}, "hvilken uke i måneden"),
    ],
)
def test_bad_input_on_the_form_is_refused_in_the_reader_language(
    client, series, editor, language, changes, message
):
    client.force_login(editor)

    page = client.post(series_url(series, language), form_data(**changes))

    assert page.status_code == 400
    assert message in page.content.decode()
    assert not EventRecurrence.objects.exists()


def test_someone_else_may_not_make_a_series_repeat(client, series):
    client.force_login(UserFactory())

    assert client.post(series_url(series, "en"), form_data()).status_code == 403
    assert not EventRecurrence.objects.exists()


def test_this_occurrence_from_its_organiser_page(client, series, editor):
    recurrence_create(
        series=series, by=editor, given=weekly(date.today(), weekday=date.today().weekday())
    )
    event = occurrences(series)[1]
    client.force_login(editor)
    with translation.override("en"):
        url = reverse("activities:occurrence_recurrence", args=[event.pk])
    assert client.get(url).status_code == 200

    new_day = event.occurrence_date + timedelta(days=1)
    done = client.post(
        url, form_data(scope="this", starts_on=new_day.isoformat(), start_time="18:30")
    )

    assert done.status_code == 302
    moved = EventPage.objects.get(pk=event.pk)
    assert local(moved.start_at) == datetime.combine(new_day, time(18, 30), tzinfo=OSLO)
    assert moved.recurrence_detached


def test_this_and_following_from_the_organiser_page_keeps_the_later_dates_skipped(
    client, series, editor
):
    today = date.today()
    skipped = today + timedelta(weeks=1)
    recurrence_create(
        series=series,
        by=editor,
        given=weekly(
            today, weekday=today.weekday(), exceptions=[skipped, today + timedelta(weeks=4)]
        ),
    )
    event = EventPage.objects.get(occurrence_date=today + timedelta(weeks=2))
    client.force_login(editor)
    with translation.override("nb"):
        url = reverse("activities:occurrence_recurrence", args=[event.pk])
    form = client.get(url).context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in ((n, form[n].value()) for n in form.fields)
        if name != "audience_statuses"
    }
    data.update(scope="following", start_time="17:00", waitlist_enabled="on")
    data["starts_on"] = str(data["starts_on"])

    done = client.post(url, data)

    assert done.status_code == 302, done.content.decode()[:2000]
    new = EventRecurrence.objects.latest("pk")
    assert new.exceptions == [(today + timedelta(weeks=4)).isoformat()]
    assert local(EventPage.objects.get(pk=event.pk).start_at).time() == time(17, 0)


def test_the_demo_language_cafe_repeats_weekly_and_seeds_once(unit, editor):
    from onboarding.activities import demo

    units = {demo.DATA["language_cafe"]["unit"]: unit}
    cafe = demo._language_cafe(units, editor)
    again = demo._language_cafe(units, editor)

    assert again.pk == cafe.pk
    events = occurrences(cafe)
    assert len(events) >= 7
    assert {event.start_at.astimezone(OSLO).weekday() for event in events} == {3}
    assert {local(event.start_at).time() for event in events} == {time(16, 0)}
    assert EventRecurrence.objects.filter(series=cafe).count() == 1


def test_a_split_to_fewer_places_than_people_signed_up_is_refused_and_changes_nothing(
    series, editor
):
    old = recurrence_create(series=series, by=editor, given=weekly(), now=MARCH)
    event = EventPage.objects.get(recurrence=old, occurrence_date=date(2027, 3, 16))
    for _person in range(2):
        signup_create(event=event, user=UserFactory(), now=MARCH)
    given = weekly()
    given.template["capacity"] = 1

    with pytest.raises(RecurrenceError) as refused:
        recurrence_split(recurrence=old, day=date(2027, 3, 9), by=editor, given=given, now=MARCH)

    assert refused.value.code == "occurrence"
    old.refresh_from_db()
    assert "UNTIL" not in old.rule
    assert EventPage.objects.get(pk=event.pk).capacity == 2
    assert EventRecurrence.objects.count() == 1


def test_in_a_series_that_waits_for_approval_only_approvers_make_it_repeat(series, editor):
    from wagtail.models import WorkflowPage

    from onboarding.activities.demo import welcome_week_workflow_ensure

    WorkflowPage.objects.create(page=series, workflow=welcome_week_workflow_ensure())

    with pytest.raises(RecurrenceError) as refused:
        recurrence_create(series=series, by=editor, given=weekly(), now=MARCH)

    assert refused.value.code == "approval_required"
    assert occurrences(series) == []


def test_a_split_from_a_past_date_moves_no_occurrence_into_the_past(series, editor):
    old = recurrence_create(series=series, by=editor, given=weekly(), now=MARCH)
    later = datetime(2027, 3, 17, 12, tzinfo=UTC)  # a Wednesday: 16 March is over

    recurrence_split(
        recurrence=old, day=date(2027, 3, 9), by=editor, given=weekly(weekday=3), now=later
    )

    moved = EventPage.objects.filter(recurrence__isnull=False, start_at__gte=later)
    assert moved.exists()
    assert all(local(event.start_at).weekday() == 3 for event in moved)
    past = EventPage.objects.filter(start_at__lt=later).order_by("start_at")
    assert [local(event.start_at).date() for event in past] == [
        date(2027, 3, 2),
        date(2027, 3, 9),
        date(2027, 3, 16),
    ]


def test_the_series_has_a_repeat_button_in_the_admin_for_its_editors(series, editor):
    from onboarding.bookings.admin_guard import organiser_buttons

    with translation.override("en"):
        buttons = list(organiser_buttons(series, editor))
        target = reverse("activities:series_recurrence", args=[series.pk])

    assert [button.url for button in buttons] == [target]
    assert list(organiser_buttons(series, UserFactory())) == []
