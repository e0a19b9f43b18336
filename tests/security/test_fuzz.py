"""Property-based tests of every form and JSON endpoint of the site's own views.

Each test sends what a careless person or an attacker might: text with NUL
bytes and right-to-left overrides, 100,000 characters, several values where
one is expected, numbers beyond 64 bits, dates that do not exist, markup, and
ids that are not ids. Whatever comes in:

- the answer is never a server error (the test client re-raises the
  exception a 500 would hide, so Hypothesis shows it and its input);
- a refusal changes nothing: after an answer of 400 or more, or a POST
  answered without a redirect (the form shown again), every row of the
  site's own tables is as it was.

Each example runs in a savepoint rolled back after it, so examples do not
see each other's changes. The examples are derived from the test's name
(``derandomize``) and nothing is stored between runs (``database=None``):
every run sends the same requests.
"""

import datetime
import json
import os
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onboarding.courses.services import round_get_or_create
from tests.security.snapshots import changed, snapshot

pytestmark = pytest.mark.django_db

# FUZZ_EXAMPLES=500 for a longer search than the suite's (the same examples first, then more).
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "8")),
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202egpj.exe",
    "\u202dabc\u202c\u200f",
    "x" * 100_000,
    "9" * 40,
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "0x10",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2026-01-01",
    "31.12.2026",
    "2026-01-01T25:61",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ 7|add:7 }}",
    "%(name)s %s %n",
    "🙂\U0010ffff",
    "//evil.example/",
    "/\\evil.example",
    "abc",
    "javascript:alert(1)",
    "../../etc/passwd",
    "true",
    "on",
    "[]",
    '{"a": 1}',
    "None",
]

value = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
)
# A field: one value, or several where one is expected (a wrong type for most fields).
field_value = st.one_of(value, st.lists(value, min_size=2, max_size=3))
# A date field: the ends of the calendar, days that do not exist, and any real day.
odd_date = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "1949-12-31", "2101-01-01", "2026-02-29"]),
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    field_value,
)
# A path segment where an id, a code or a token goes.
segment = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.sampled_from(NASTY).filter(bool),
    st.text(min_size=1, max_size=30),
).map(lambda text: quote(text, safe=""))


def form(*names, dates=(), base=None):
    """Form data: any of the fields ``names`` (and the date fields ``dates``) with fuzzed values
    over the valid ``base``, and perhaps an unknown field."""
    optional = {**dict.fromkeys(names, field_value), **dict.fromkeys(dates, odd_date)}
    data = st.fixed_dictionaries({}, optional=optional)
    unknown = st.dictionaries(st.text(min_size=1, max_size=10), value, max_size=1)
    return st.tuples(data, unknown).map(lambda pair: {**pair[1], **(base or {}), **pair[0]})


def send(client, method, url, data=None, *, json=False, then=()):
    """Send the request in a savepoint rolled back after it; check no 500 and no change on a
    refusal; return the response.

    ``then``: (client, address) pairs read after the request, before the rollback: pages that
    show what it saved, which must open too.
    """
    headers = {"Accept": "application/json"} if json else {}
    with transaction.atomic():
        before = snapshot()
        if method == "GET":
            response = client.get(url, data or {}, headers=headers)
        else:
            response = client.post(url, data or {}, headers=headers)
        after = snapshot()
        for reader, address in then:
            shown = reader.get(address)
            assert shown.status_code < 500, (
                f"GET {address} after {method} {url}: {shown.status_code}"
            )
        transaction.set_rollback(True)
    status = response.status_code
    assert status < 500, f"{method} {url}: {status}"
    refused = status >= 400 or (method == "POST" and not json and status == 200)
    if refused:
        assert not changed(before, after), (
            f"{method} {url} answered {status} but changed {changed(before, after)}"
        )
    return response


@pytest.fixture
def as_role(client, world):
    def login(role):
        client.force_login(world[role])
        return client

    return login


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


# --- The person's own forms ----------------------------------------------------------------

PROFILE_FIELDS = (
    "status",
    "home_country",
    "home_institution",
    "faculty",
    "department",
    "programme",
    "language",
    "norwegian_level",
    "interests",
    "contact_consent",
    "next",
)
PROFILE_DATES = ("arrival_date", "departure_date")


@pytest.fixture
def coordinator(world):
    """A second client, for the faculty's coordinator."""
    reader = Client()
    reader.force_login(world["editor"])
    return reader


@FUZZ
@given(data=form(*PROFILE_FIELDS, dates=PROFILE_DATES))
def test_profile(as_role, world, coordinator, data):
    """Whatever a student saves, their plan and their coordinator's progress pages still open."""
    valid = {
        "status": "incoming_exchange",
        "faculty": str(world["faculty_a"].pk),
        "arrival_date": "2026-08-10",
        "language": "en",
        "norwegian_level": "none",
    }
    client = as_role("student")
    checklist = world["checklist"].pk
    shows = [
        (client, url("arrival_plan")),
        (coordinator, url("checklists_admin:index")),
        (coordinator, url("checklists_admin:checklist", checklist_id=checklist)),
        (coordinator, url("checklists_admin:checklist_csv", checklist_id=checklist)),
    ]
    send(client, "POST", url("profile_edit"), {**valid, **data}, then=shows)


@FUZZ
@given(data=form("language", "first_name", "last_name", "preferred_name"))
def test_preferences(as_role, data):
    send(as_role("student"), "POST", url("account_preferences"), data)


@FUZZ
@given(
    data=form("event_changed", "unit_new_event", "organiser_message", "checklist_items_due", "next")
)
def test_notification_preferences(as_role, data):
    send(as_role("student"), "POST", url("live:preferences"), data)


@FUZZ
@given(data=form("next"), pk=segment)
def test_notification_read(as_role, world, data, pk):
    client = as_role("student")
    send(client, "POST", url("live:notification_read", pk=world["notification"].pk), data)
    send(client, "POST", url("live:notification_read_all"), data)
    send(client, "POST", f"/en/notifications/{pk}/read/", data)
    send(client, "GET", f"/en/notifications/{pk}/")


@FUZZ
@given(query=form("show", "page"))
def test_notification_list_and_count(as_role, query):
    client = as_role("student")
    send(client, "GET", url("live:notification_list"), query)
    send(client, "GET", url("live:unread_count"), query, json=True)


@FUZZ
@given(data=form("next"), unit_id=segment)
def test_unit_follow(as_role, world, data, unit_id):
    client = as_role("student")
    choir = world["choir"].pk
    send(client, "POST", url("unit_follow", unit_id=choir), data)
    send(client, "POST", url("unit_unfollow", unit_id=choir), data)
    send(client, "POST", f"/en/my-connections/follow/{unit_id}/", data)


@FUZZ
@given(item_id=segment, json=st.booleans())
def test_plan_tick(as_role, world, item_id, json):
    client = as_role("student")
    send(client, "POST", f"/en/arrival-plan/items/{item_id}/done/", json=json)
    send(client, "POST", f"/en/arrival-plan/items/{item_id}/not-done/", json=json)


# --- Search and listings -------------------------------------------------------------------


@FUZZ
@given(query=form("q", "page"), role=st.sampled_from(["anonymous", "student"]))
def test_search(client, world, query, role):
    if world[role] is not None:
        client.force_login(world[role])
    send(client, "GET", url("search"), query)


@FUZZ
@given(query=form("q", "type", "page", base={"q": "library"}))
def test_search_filtered_by_type(client, world, query):
    send(client, "GET", url("search"), query)
    send(client, "GET", url("search"), {**query, "type": ["page", "unit", query.get("type", "")]})


EVENT_FILTERS = ("unit", "faculty", "language", "audience", "free")


@FUZZ
@given(
    query=form(*EVENT_FILTERS, "order", "for_you", "page", dates=("date_from", "date_to")),
    signed_in=st.booleans(),
)
def test_event_listing(client, world, query, signed_in):
    if signed_in:
        client.force_login(world["student"])
    send(client, "GET", url("activities:event_list"), query)


@FUZZ
@given(field=st.sampled_from(["date_from", "date_to"]), day=odd_date)
def test_event_listing_dates(client, field, day):
    """One date filter alone, so that the rest of the form is valid and the date is used."""
    send(client, "GET", url("activities:event_list"), {field: day})


@FUZZ
@given(query=form("level", "course_format", "semester", "page"))
def test_course_catalogue(client, world, query):
    send(client, "GET", world["catalogue"].get_url(), query)


@FUZZ
@given(query=form("q", "kind", "faculty", "page"))
def test_unit_directory(client, world, query):
    send(client, "GET", world["directory"].get_url(), query)


# --- Signing up, applying, places ----------------------------------------------------------


@FUZZ
@given(event_id=segment, json=st.booleans(), query=form("panel"))
def test_event_signup_and_places(as_role, world, event_id, json, query):
    client = as_role("other_student")
    event = world["event"].pk
    send(client, "POST", url("activities:cancel", event_id=event), json=json)
    send(client, "POST", url("activities:signup", event_id=event), json=json)
    send(client, "POST", url("activities:claim", event_id=event), json=json)
    send(client, "GET", url("activities:event_places", event_id=event), query, json=True)
    for path in ("signup/", "cancel/", "claim/", "places.json", "calendar.ics"):
        send(client, "POST" if path.endswith("/") else "GET", f"/en/events/{event_id}/{path}")


@pytest.fixture
def asked(world):
    """Questions of each kind on the world's event: the answer fields' names by kind."""
    from onboarding.activities.models import EventQuestion

    fields = {}
    for number, (kind, required) in enumerate(
        [("choice", True), ("text", True), ("yes_no", False)]
    ):
        question = EventQuestion(
            event=world["event"],
            sort_order=number,
            kind=kind,
            required=required,
            personal=kind == "text",
            label_nb=f"Spørsmål {number}",
            label_en=f"Question {number}",
            choices_nb="Ja\nNei\nKanskje" if kind == "choice" else "",
            choices_en="Yes\nNo\nMaybe" if kind == "choice" else "",
        )
        question.save()
        fields[kind] = f"answers-q{question.pk}"
    return fields


@FUZZ
@given(data=form("choice", "text", "yes_no"), json=st.booleans())
def test_event_signup_answers(as_role, world, asked, data, json):
    """Answers at signup (someone not signed up) and changed answers (someone signed up)."""
    answers = {asked.get(name, name): given for name, given in data.items()}
    event = world["event"].pk
    send(as_role("editor"), "POST", url("activities:signup", event_id=event), answers, json=json)
    send(as_role("student"), "POST", url("activities:answers", event_id=event), answers)


@FUZZ
@given(course_id=segment)
def test_course_enrol_and_places(as_role, world, course_id):
    client = as_role("other_student")
    course = world["course"].pk
    send(client, "POST", url("courses:enrol", course_id=course))
    send(client, "POST", url("courses:cancel", course_id=course))
    for path in ("apply/", "cancel/", "places.json"):
        send(
            client,
            "POST" if path.endswith("/") else "GET",
            f"/en/norwegian-courses/{course_id}/{path}",
        )


@FUZZ
@given(data=form("listening", "reading", "speaking", "writing"), signed_in=st.booleans())
def test_placement(client, world, data, signed_in):
    if signed_in:
        client.force_login(world["other_student"])
    send(client, "POST", url("courses:placement"), data)


@FUZZ
@given(data=form("renew"), code=segment)
def test_calendar_and_tickets(as_role, data, code):
    client = as_role("student")
    send(client, "POST", url("activities:calendar_feed_revoke"), data)
    send(client, "GET", f"/en/events/tickets/{code}/")
    send(client, "GET", f"/en/events/calendar/{code}.ics")


# --- Organisers ----------------------------------------------------------------------------


@FUZZ
@given(data=form("signup", "code", "undo", "q"), json=st.booleans(), query=form("q"))
def test_checkin(as_role, world, data, json, query):
    client = as_role("editor")
    address = url("activities:checkin", event_id=world["event"].pk)
    send(client, "POST", address, data, json=json)
    send(client, "GET", address, query)


@FUZZ
@given(data=form("give"))
def test_give_a_held_person_the_place(as_role, world, data):
    send(as_role("editor"), "POST", url("activities:attendees", event_id=world["event"].pk), data)


@FUZZ
@given(data=form("message_nb", "message_en", "include_waitlist"))
def test_organiser_message(as_role, world, data):
    send(as_role("editor"), "POST", url("activities:message", event_id=world["event"].pk), data)


@FUZZ
@given(data=form("reason_nb", "reason_en", "confirm"))
def test_cancel_event_and_course(as_role, world, data):
    client = as_role("editor")
    send(client, "POST", url("activities:cancel_event", event_id=world["event"].pk), data)
    send(client, "POST", url("courses:cancel_course", course_id=world["course"].pk), data)


@FUZZ
@given(data=form("enrolment", "result"))
def test_course_results(as_role, world, data):
    client = as_role("editor")
    send(client, "POST", url("courses:participants", course_id=world["course"].pk), data)


RECURRENCE_BASE = {
    "frequency": "weekly",
    "weekday": "3",
    "starts_on": "2027-03-02",
    "start_time": "09:00",
    "duration_minutes": "90",
    "title_nb": "Språkkafé",
    "title_en": "Language café",
    "summary_nb": "Snakk norsk.",
    "summary_en": "Speak Norwegian.",
    "building": "Studenthuset",
    "event_language": "both",
}


@FUZZ
@given(
    data=form(
        "frequency",
        "weekday",
        "week_of_month",
        "start_time",
        "duration_minutes",
        "count",
        "exceptions",
        "capacity",
        "scope",
        dates=("starts_on", "until"),
        base=RECURRENCE_BASE,
    )
)
def test_series_recurrence(as_role, world, data):
    client = as_role("editor")
    send(client, "POST", url("activities:series_recurrence", series_id=world["series"].pk), data)
    send(
        client,
        "POST",
        url("activities:occurrence_recurrence", event_id=world["occurrence"].pk),
        data,
    )


# --- Reports -------------------------------------------------------------------------------


@FUZZ
@given(query=form("faculty", "status", "page"))
def test_coverage(as_role, query):
    client = as_role("staff")
    send(client, "GET", url("courses:coverage"), query)
    send(client, "GET", url("courses:coverage_csv"), query)


@FUZZ
@given(query=form("kind", "exported_at_after", "exported_at_before", "page", "ordering", "export"))
def test_export_log(as_role, query):
    send(as_role("staff"), "GET", url("privacy_admin:export_log"), query)


@FUZZ
@given(data=form("password", "confirm"))
def test_account_delete(as_role, data):
    """A password that is not the person's deletes nothing, whatever else comes with it."""
    send(as_role("student"), "POST", url("privacy:account_delete"), data)


@FUZZ
@given(data=form("email", "reason", "confirm"))
def test_account_erase_on_request(as_role, data):
    send(as_role("staff"), "POST", url("privacy_admin:account_erase"), data)


@FUZZ
@given(query=form("overdue"), checklist_id=segment)
def test_arrival_progress(as_role, world, query, checklist_id):
    client = as_role("editor")
    send(
        client, "GET", url("checklists_admin:checklist", checklist_id=world["checklist"].pk), query
    )
    send(client, "GET", f"/admin/arrival-progress/{checklist_id}/csv/")


# --- The anonymous page cache --------------------------------------------------------------


@FUZZ
@given(query=st.lists(st.tuples(value, value), max_size=3))
def test_page_cache_keys_stay_short_and_apart(rf, query):
    """Any query string makes a key every cache backend takes (250 characters at most), and
    two addresses never share one."""
    from cms.middleware import AnonymousPageCacheMiddleware

    with translation.override("en"):
        request = rf.get("/en/", query)
        other = rf.get("/en/", [*query, ("other", "1")])
    key = AnonymousPageCacheMiddleware._key(request)
    assert len(key) <= 250
    assert key != AnonymousPageCacheMiddleware._key(other)


# --- The admin's copy of a StreamField between languages -----------------------------------

stream_field_name = st.one_of(st.sampled_from(["body_en", "body_nb", "intro_en", "body"]), value)
# What the editor's script sends: each input of the origin field, by name and value.
block_input = st.fixed_dictionaries(
    {
        "name": st.one_of(
            st.sampled_from(
                ["body_en-count", "body_en-0-type", "body_en-0-value", "body_en-0-deleted"]
            ),
            value,
        ),
        "value": st.one_of(value, st.integers(), st.none(), st.lists(value, max_size=2)),
    }
)
serialized_blocks = st.one_of(field_value, st.lists(block_input, max_size=4).map(json.dumps))


# Mostly the two languages of one field, so that the fuzzed inputs reach the copy.
field_pair = st.one_of(
    st.just(("body_en", "body_nb")),
    st.just(("body_nb", "body_en")),
    st.tuples(stream_field_name, stream_field_name),
)


@FUZZ
@given(names=field_pair, serialized=serialized_blocks)
def test_copy_translation_content(as_role, world, names, serialized):
    data = {
        "origin_field_name": names[0],
        "target_field_name": names[1],
        "serializedOriginField": serialized,
    }
    address = url("copy_translation_content", page_id=world["home"].pk)
    send(as_role("staff"), "POST", address, data, json=True)


@pytest.mark.parametrize(
    ("inputs", "status"),
    [
        ([{"name": "body_en-count", "value": "0"}], 200),
        # Found by the fuzz test: the field's count missing, or not a number.
        ([], 400),
        ([{"name": "body_en-count", "value": "many"}], 400),
    ],
)
def test_copy_translation_content_copies_a_whole_field_only(as_role, world, inputs, status):
    data = {
        "origin_field_name": "body_en",
        "target_field_name": "body_nb",
        "serializedOriginField": json.dumps(inputs),
    }
    address = url("copy_translation_content", page_id=world["home"].pk)
    assert send(as_role("staff"), "POST", address, data, json=True).status_code == status


@FUZZ
@given(page_id=segment, model=st.one_of(st.sampled_from(["eventpage", "unitpage"]), segment))
def test_admin_page_addresses(as_role, page_id, model):
    client = as_role("staff")
    send(client, "GET", f"/admin/pages/{page_id}/privacy/")
    send(client, "POST", f"/admin/pages/{page_id}/edit/copy_translation_content/", json=True)
    send(client, "GET", f"/admin/pages/add/activities/{model}/{page_id}/")
    send(client, "POST", f"/admin/units/{page_id}/confirm/")


@FUZZ
@given(
    data=form("email", "role", "days"),
    revoke=form("invitation"),
    remove=form("user", "role"),
    token=segment,
)
def test_unit_people_and_invitations(as_role, world, data, revoke, remove, token):
    client = as_role("editor")
    unit = world["faculty_a"].pk
    shows = [(client, url("units_admin:people", page_id=unit))]
    send(client, "POST", url("units_admin:people", page_id=unit), data, then=shows)
    send(client, "POST", url("units_admin:invitation_revoke", page_id=unit), revoke, then=shows)
    send(client, "POST", url("units_admin:person_remove", page_id=unit), remove, then=shows)
    student = as_role("student")
    send(student, "GET", f"/en/unit-invitation/{token}/")
    send(student, "POST", f"/en/unit-invitation/{token}/")


# --- The buddy programme -------------------------------------------------------------------

BUDDY_FIELDS = ("faculty", "programme", "languages", "interests", "phone", "about")


@FUZZ
@given(
    data=form(
        *BUDDY_FIELDS,
        "capacity",
        "student_status",
        "wants_same_faculty",
        "wants_language",
        dates=("available_on",),
    ),
    round_id=segment,
)
def test_buddy_volunteer_and_ask(as_role, world, data, round_id):
    """Someone new volunteers; the student, who asked, changes the answers or leaves."""
    base = {"languages": "en", "capacity": "1", "available_on": "2026-08-01"}
    round = world["buddy_round"].pk
    client = as_role("other_student")
    send(client, "POST", url("buddies:volunteer", round_id=round), {**base, **data})
    send(client, "POST", f"/en/buddies/{round_id}/ask/", data)
    student = as_role("student")
    ask = {"languages": "en", "student_status": "incoming_exchange", "available_on": "2026-08-10"}
    send(student, "POST", url("buddies:ask", round_id=round), {**ask, **data})


@FUZZ
@given(data=form("unit", "name_nb", "name_en", dates=("semester_starts_on", "closes_on")))
def test_buddy_round_new(as_role, world, data):
    base = {
        "unit": str(world["buddies"].pk),
        "name_nb": "Fadderordningen våren 2027",
        "name_en": "Buddy programme spring 2027",
        "semester_starts_on": "2027-01-11",
        "closes_on": "2026-12-15",
    }
    send(as_role("editor"), "POST", url("buddies:round_new"), {**base, **data})


@FUZZ
@given(data=form("student", "buddy", "kind"), rule_id=segment)
def test_buddy_rules_and_matching(as_role, world, data, rule_id):
    client = as_role("editor")
    round = world["buddy_round"].pk
    shows = [(client, url("buddies:organise", round_id=round))]
    send(client, "POST", url("buddies:rule_add", round_id=round), data, then=shows)
    send(client, "POST", f"/en/buddies/{round}/organise/rules/{rule_id}/remove/")
    send(client, "POST", url("buddies:run", round_id=round), data, then=shows)


# --- Going abroad --------------------------------------------------------------------------

FINDER_FILTERS = (
    "q",
    "programme",
    "fits_window",
    "placement_ok",
    "country",
    "language",
    "cefr",
    "subject",
    "level",
    "season",
    "mobility_format",
    "grant",
    "package",
    "page",
)


@FUZZ
@given(query=form(*FINDER_FILTERS), schac=segment, signed_in=st.booleans())
def test_exchange_finder_and_destination(client, world, query, schac, signed_in):
    if signed_in:
        client.force_login(world["student"])
    send(client, "GET", url("exchange:finder"), query)
    send(client, "GET", url("exchange:destination", schac=world["institution"].schac_code), query)
    send(client, "GET", f"/en/exchange/destinations/{schac}/", query)


REPORT_FIELDS = (
    "agreement",
    "language",
    "year",
    "season",
    "title",
    "text",
    "rating_academic",
    "rating_housing",
    "rating_support",
    "rating_social",
)


@FUZZ
@given(data=form(*REPORT_FIELDS), programme=field_value)
def test_exchange_report_and_programme(as_role, world, data, programme):
    base = {
        "agreement": str(world["agreement"].pk),
        "language": "en",
        "year": "2025",
        "season": "autumn",
        "title": "A good semester",
        "text": "Teaching was good and the city was lovely. " * 5,
        **dict.fromkeys(REPORT_FIELDS[6:], "4"),
    }
    client = as_role("other_student")
    schac = world["institution"].schac_code
    send(client, "POST", url("exchange:report_create", schac=schac), {**base, **data})
    send(client, "POST", url("exchange:programme_save"), {"programme": programme})


# --- Pre-approval cases --------------------------------------------------------------------

CASE_NEW_FIELDS = ("agreement", "year", "season", "note")
LINE_FIELDS = (
    "foreign-TOTAL_FORMS",
    "foreign-INITIAL_FORMS",
    "foreign-0-code",
    "foreign-0-title",
    "foreign-0-ects",
    "foreign-0-level",
    "foreign-0-url",
    "foreign-1-code",
    "foreign-1-ects",
    "home-TOTAL_FORMS",
    "home-INITIAL_FORMS",
    "home-0-kind",
    "home-0-code",
    "home-0-title",
    "home-0-ects",
    "home-0-elective_level",
    "home-0-elective_field",
    "line-comment",
)
LINE_BASE = {
    "foreign-TOTAL_FORMS": "2",
    "foreign-INITIAL_FORMS": "0",
    "foreign-0-code": "IN2064",
    "foreign-0-title": "Machine Learning",
    "foreign-0-ects": "7.5",
    "foreign-0-level": "bachelor",
    "foreign-1-level": "bachelor",
    "home-TOTAL_FORMS": "1",
    "home-INITIAL_FORMS": "0",
    "home-0-kind": "course",
    "home-0-code": "DAT340",
    "home-0-title": "Machine learning",
    "home-0-ects": "7.5",
}
MESSAGE_FIELDS = ("action", "text", "line")


@FUZZ
@given(data=form(*CASE_NEW_FIELDS))
def test_case_new(as_role, world, data):
    """Whatever a student sends to open a case, their cases still list."""
    from onboarding.exchange.services import student_programme_set

    student_programme_set(user=world["student"], programme=world["programme"])
    base = {"agreement": str(world["agreement"].pk), "year": "2027", "season": "autumn"}
    client = as_role("student")
    send(
        client,
        "POST",
        url("approvals:case_new"),
        {**base, **data},
        then=[(client, url("approvals:my_cases"))],
    )


@FUZZ
@given(data=form(*LINE_FIELDS, base=LINE_BASE), precedent=field_value)
def test_case_lines(as_role, world, data, precedent):
    """Whatever courses a student sends for a line of their draft, the case page still opens."""
    from tests.onboarding.approvals.factories import case_make

    draft = case_make(student=world["student"], agreement=world["agreement"])
    line = draft.lines.get()
    client = as_role("student")
    page = [(client, url("approvals:case_detail", case_id=draft.pk))]
    send(client, "POST", url("approvals:case_line_add", case_id=draft.pk), data, then=page)
    send(
        client,
        "POST",
        url("approvals:case_line_edit", case_id=draft.pk, line_id=line.pk),
        data,
        then=page,
    )
    send(
        client,
        "POST",
        url("approvals:case_use_precedent", case_id=draft.pk),
        {"precedent": precedent},
        then=page,
    )
    send(client, "GET", url("approvals:case_detail", case_id=draft.pk), {"q": precedent})


@FUZZ
@given(
    decision=form("decision", "comment"),
    message=form(*MESSAGE_FIELDS),
    role=st.sampled_from(["editor", "student"]),
)
def test_case_decide_and_message(as_role, world, decision, message, role):
    """Whatever the advisers and the student send on an open case, its page still opens."""
    case, line = world["case"], world["case_line"]
    client = as_role(role)
    page = [(client, url("approvals:case_detail", case_id=case.pk))]
    prefixed = {f"line-{line.pk}-{name}": value for name, value in decision.items()}
    send(
        client,
        "POST",
        url("approvals:case_line_decide", case_id=case.pk, line_id=line.pk),
        prefixed,
        then=page,
    )
    send(client, "POST", url("approvals:case_message", case_id=case.pk), message, then=page)


# --- Arrival documents ---------------------------------------------------------------------

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
file_name = st.one_of(
    st.sampled_from(
        ["letter.pdf", "letter.PDF", "letter.pdf.exe", ".pdf", "pdf", "a" * 300 + ".pdf", "x.png"]
    ),
    st.text(max_size=40),
    st.sampled_from(NASTY),
)
file_content = st.one_of(
    st.sampled_from([b"", PDF, PNG, b"%PDF", b"GIF89a", b"<html><script>", PDF * 2000]),
    st.binary(max_size=200),
    st.binary(max_size=40).map(lambda tail: PDF + tail),
)


@FUZZ
@given(
    name=file_name,
    content=file_content,
    content_type=st.sampled_from(["application/pdf", "image/png", "text/html", ""]),
    item_id=segment,
)
def test_document_upload(as_role, world, coordinator, name, content, content_type, item_id):
    """Whatever file a student sends, their plan and the coordinator's documents still open."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_role("student")
    item = world["document_item"]
    shows = [
        (client, url("arrival_plan")),
        (
            coordinator,
            url("checklists_admin:checklist_documents", checklist_id=world["checklist"].pk),
        ),
    ]
    document = SimpleUploadedFile(name.replace("\x00", "") or "x", content, content_type)
    address = url("arrival_plan_upload", item_id=item.pk)
    send(client, "POST", address, {"document": document}, then=shows)
    send(client, "POST", f"/en/arrival-plan/items/{item_id}/document/")


@FUZZ
@given(data=form("submission", "decision", "comment"), query=form("state"))
def test_document_review(as_role, world, data, query):
    client = as_role("editor")
    address = url("checklists_admin:checklist_documents", checklist_id=world["checklist"].pk)
    send(client, "POST", address, {"submission": str(world["submission"].pk), **data})
    send(client, "GET", address, query)


# --- Earlier course decisions --------------------------------------------------------------

PRECEDENT_FILTERS = ("q", "institution", "home_code", "isced", "include_expired", "searched")


@FUZZ
@given(
    query=form(*PRECEDENT_FILTERS, "page", "limit"),
    approval_id=segment,
    signed_in=st.booleans(),
)
def test_precedent_search_detail_and_picker(client, world, query, approval_id, signed_in):
    if signed_in:
        client.force_login(world["student"])
    send(client, "GET", url("approvals:precedent_search"), query)
    send(client, "GET", url("approvals:precedent_pick_json"), query, json=True)
    send(client, "GET", url("approvals:precedent_detail", approval_id=world["precedent"].pk))
    send(client, "GET", f"/en/exchange/approvals/earlier-decisions/{approval_id}/")


PRECEDENT_FIELDS = (
    "institution",
    "deciding_unit",
    "isced",
    "note",
    "foreign_courses-TOTAL_FORMS",
    "foreign_courses-0-code",
    "foreign_courses-0-title",
    "foreign_courses-0-ects",
    "foreign_courses-0-level",
    "foreign_courses-0-taught",
    "foreign_courses-0-url",
    "home_courses-TOTAL_FORMS",
    "home_courses-0-kind",
    "home_courses-0-code",
    "home_courses-0-title_nb",
    "home_courses-0-title_en",
    "home_courses-0-elective_level",
    "home_courses-0-elective_field",
    "home_courses-0-ects",
)


def _precedent_form(world):
    return {
        "institution": str(world["institution"].pk),
        "deciding_unit": str(world["faculty_a"].pk),
        "decided_on": "2025-03-04",
        "isced": "0613",
        "foreign_courses-TOTAL_FORMS": "1",
        "foreign_courses-INITIAL_FORMS": "0",
        "foreign_courses-MIN_NUM_FORMS": "1",
        "foreign_courses-MAX_NUM_FORMS": "1000",
        "foreign_courses-0-code": "QM200",
        "foreign_courses-0-title": "Quantenmechanik",
        "foreign_courses-0-ects": "7.5",
        "foreign_courses-0-level": "bachelor",
        "home_courses-TOTAL_FORMS": "1",
        "home_courses-INITIAL_FORMS": "0",
        "home_courses-MIN_NUM_FORMS": "1",
        "home_courses-MAX_NUM_FORMS": "1000",
        "home_courses-0-kind": "course",
        "home_courses-0-code": "FYS200",
        "home_courses-0-title_nb": "Kvantemekanikk",
        "home_courses-0-ects": "7.5",
    }


@FUZZ
@given(data=form(*PRECEDENT_FIELDS, dates=("decided_on", "valid_until")))
def test_precedent_admin_form(as_role, world, data):
    """Whatever an editor saves, the decisions' list and the public pages still open."""
    from django.urls import reverse

    client = as_role("editor")
    snippets = "wagtailsnippets_approvals_courseapproval"
    shows = [
        (client, reverse(f"{snippets}:list")),
        (Client(), url("approvals:precedent_search")),
        (Client(), url("approvals:precedent_pick_json")),
    ]
    payload = {**_precedent_form(world), **data}
    send(client, "POST", reverse(f"{snippets}:add"), payload, then=shows)
    edit = reverse(f"{snippets}:edit", args=[world["precedent"].pk])
    send(client, "POST", edit, payload, then=shows)


def _csv(rows):
    import csv
    import io

    from onboarding.approvals.imports import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for cells in rows:
        writer.writerow([cell.replace("\x00", "") for cell in cells])
    return out.getvalue().encode("utf-8")


precedent_rows = st.lists(
    st.lists(st.sampled_from(NASTY) | st.text(max_size=12), min_size=20, max_size=20), max_size=3
)


@FUZZ
@given(
    content=st.one_of(file_content, precedent_rows.map(_csv)),
    name=file_name,
    unit=field_value,
    job=field_value,
    segment_job=segment,
)
def test_precedent_import_upload(as_role, world, content, name, unit, job, segment_job):
    """Whatever file is sent, a refusal imports nothing and the progress address answers."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = as_role("editor")
    upload = SimpleUploadedFile(name.replace("\x00", "") or "x", content, "text/csv")
    send(
        client,
        "POST",
        reverse("precedents_admin:import"),
        {"file": upload, "unit": unit, "job": job},
    )
    send(client, "GET", f"/admin/earlier-decisions/import/progress/{segment_job}/", json=True)


# --- Course swaps and rounds ---------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_course_swap_and_round(as_role, world, data):
    course = world["round_course"]
    ranks = form(f"rank-{course.pk}", "withdraw")
    client = as_role("student")
    send(client, "POST", url("courses:swap", course_id=world["parallel_course"].pk))
    send(client, "POST", url("courses:round_apply", course_id=course.pk), data.draw(ranks))
    # The organiser's first visit makes the round; a form shown again changes nothing after it.
    round_get_or_create(course=course)
    rules = form("rules", "allocate", "first", "second", "seed")
    send(
        as_role("editor"),
        "POST",
        url("courses:round_allocate", course_id=course.pk),
        data.draw(rules),
    )


@pytest.mark.parametrize("programme", [" ", "1.5", "9" * 40, "", "١"])
def test_programme_save_takes_only_an_id(as_role, programme):
    """Found by the fuzz test: a programme that is not an id is a message, not a server error."""
    response = send(
        as_role("student"), "POST", url("exchange:programme_save"), {"programme": programme}
    )
    assert response.status_code == 302


# --- Course approval: the advisers' queue and the public response times ---------------------

QUEUE_FILTERS = ("unit", "status", "waiting_for", "light", "adviser", "mine", "sort", "p")


@pytest.fixture
def approval_case(world):
    """A pre-approval case of faculty A's, submitted a week ago, in its editor's queue."""
    from tests.onboarding.approvals.factories import case_make

    return case_make(
        student=world["student"],
        agreement=world["agreement"],
        unit=world["faculty_a"],
        submitted_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=7),
    )


@FUZZ
@given(query=form(*QUEUE_FILTERS), role=st.sampled_from(["editor", "staff"]))
def test_approval_queue_and_csv(as_role, approval_case, query, role):
    client = as_role(role)
    send(client, "GET", url("approval_cases:queue"), query)
    send(client, "GET", url("approval_cases:queue_csv"), query)


@FUZZ
@given(data=form("cases", "adviser", "query"))
def test_approval_reassign(as_role, world, approval_case, data):
    """Giving cases to an adviser: a refusal changes no case; the queue opens after anything."""
    valid = {"cases": str(approval_case.pk), "adviser": str(world["staff"].pk)}
    client = as_role("editor")
    shows = [(client, url("approval_cases:queue")), (client, url("approval_cases:queue_csv"))]
    send(client, "POST", url("approval_cases:queue"), {**valid, **data}, then=shows)


@FUZZ
@given(data=form("first_response_days", "decision_days"))
def test_approval_promise(as_role, world, approval_case, data):
    """Whatever promise is saved, the unit's admin page and its public page still open."""
    unit = world["faculty_a"].pk
    client = as_role("editor")
    address = url("approval_cases:unit", unit_id=unit)
    shows = [(client, address), (Client(), url("approvals:response_times", unit_id=unit))]
    valid = {"first_response_days": "5", "decision_days": "15"}
    send(client, "POST", address, {**valid, **data}, then=shows)


@FUZZ
@given(unit_id=segment)
def test_approval_unit_addresses(world, as_role, unit_id):
    anonymous = Client()
    send(anonymous, "GET", f"/en/exchange/approvals/response-times/{unit_id}/")
    send(anonymous, "GET", url("approvals:response_times_index"))
    editor = as_role("editor")
    send(editor, "GET", f"/admin/approval-cases/units/{unit_id}/")
    send(editor, "POST", f"/admin/approval-cases/units/{unit_id}/")


# --- Learning agreements and recognition ---------------------------------------------------


@FUZZ
@given(
    details=form("language", "cefr"),
    change=form("reason"),
    drop=form("line", "course"),
    transcript=form("code", "title", "grade", "ects"),
    decide=form("comment"),
    case_id=segment,
)
def test_learning_agreement_and_recognition(
    as_role, world, details, change, drop, transcript, decide, case_id
):
    """Whatever the student and the adviser send, the agreement and the recognition still open."""
    case = world["approval_case"]
    agreement = url("approvals:learning_agreement", case_id=case.pk)
    recognition = url("approvals:recognition", case_id=case.pk)
    student = as_role("student")
    shows = [(student, agreement), (student, recognition)]
    send(
        student,
        "POST",
        url("approvals:learning_agreement_update", case_id=case.pk),
        details,
        then=shows,
    )
    send(student, "POST", url("approvals:change_create", case_id=case.pk), change, then=shows)
    change_id = world["approval_change"].pk
    send(student, "POST", url("approvals:change_drop", change_id=change_id), drop, then=shows)
    send(student, "POST", url("approvals:change_drop_remove", change_id=change_id), drop)
    send(student, "POST", recognition, transcript, then=shows)
    line = world["transcript_line"].pk
    edit = url("approvals:transcript_line_edit", case_id=case.pk, line_id=line)
    send(student, "POST", edit, transcript, then=shows)
    send(student, "GET", f"/en/exchange/approvals/cases/{case_id}/learning-agreement/")
    send(student, "GET", f"/en/exchange/approvals/cases/{case_id}/learning-agreement.json")
    adviser = as_role("editor")
    decided = [(adviser, recognition), (adviser, agreement)]
    send(
        adviser, "POST", url("approvals:recognition_decide", case_id=case.pk), decide, then=decided
    )


# --- Coming home early ---------------------------------------------------------------------

RETURN_FIELDS = (
    "reason",
    "crisis",
    "explanation",
    "catalogue",
    "courses-TOTAL_FORMS",
    "courses-INITIAL_FORMS",
    "courses-MAX_NUM_FORMS",
    "courses-0-keep",
    "courses-0-code",
    "courses-0-title",
    "courses-0-ects",
    "courses-0-course",
    "courses-1-code",
    "courses-1-title",
    "courses-1-ects",
    "courses-1-course",
)


@pytest.fixture
def other_stay(world):
    """A second current stay of the student's, with nothing asked from it yet."""
    from tests.onboarding.stays.factories import stay_make

    return stay_make(world["student"], city="Lisbon", country="PT")


@FUZZ
@given(data=form(*RETURN_FIELDS, dates=("return_on",)), answer=form("text"))
def test_return_request_and_answer(as_role, world, other_stay, data, answer):
    """Whatever a student sends to ask to come home or to answer, their requests still open."""
    valid = {
        "reason": "health",
        "return_on": (other_stay.starts_on + datetime.timedelta(days=40)).isoformat(),
        "courses-TOTAL_FORMS": "1",
        "courses-INITIAL_FORMS": "0",
        "courses-0-code": "INF1000",
        "courses-0-title": "Programming",
        "courses-0-ects": "10",
    }
    client = as_role("student")
    request = world["return_request"].pk
    shows = [
        (client, url("stays:return_list")),
        (client, url("stays:return_detail", request_id=request)),
    ]
    address = url("stays:return_new", stay_id=other_stay.pk)
    send(client, "GET", address)
    send(client, "POST", address, {**valid, **data}, then=shows)
    send(client, "POST", url("stays:return_answer", request_id=request), answer, then=shows)


# --- Stays abroad ---------------------------------------------------------------------------

STAY_FIELDS = (
    "agreement",
    "host_name",
    "city",
    "country",
    "local_address",
    "local_phone",
    "emergency_name",
    "emergency_relation",
    "emergency_phone",
    "emergency_email",
    "second_name",
    "second_phone",
    "second_email",
    "consent",
    "planb-TOTAL_FORMS",
    "planb-INITIAL_FORMS",
    "planb-0-course",
    "planb-0-code",
    "planb-0-title",
    "planb-0-ects",
)
STAY_BASE = {
    "host_name": "Universitat de València",
    "city": "Valencia",
    "country": "ES",
    "starts_on": datetime.date.today().isoformat(),
    "ends_on": (datetime.date.today() + datetime.timedelta(days=90)).isoformat(),
    "emergency_name": "Kari Nordmann",
    "emergency_phone": "+47 900 00 000",
    "consent": "on",
    "planb-TOTAL_FORMS": "1",
    "planb-INITIAL_FORMS": "0",
}
# --- Crises and safety checks --------------------------------------------------------------


@FUZZ
@given(data=form("answer", "message"), token=segment, check_id=segment)
def test_safety_check_answers(as_role, world, data, token, check_id):
    """Whatever a student sends on their check or through an answer link, and whatever link
    anyone opens, the student's checks still open."""
    check = world["safety_check"]
    student = as_role("student")
    shows = [
        (student, url("stays:check_detail", check_id=check.pk)),
        (student, url("stays:check_list")),
        (student, url("stays:open_checks")),
    ]
    send(student, "POST", url("stays:check_detail", check_id=check.pk), data, then=shows)
    link = url("stays:answer_link", answer_token=world["answer_token"])
    send(Client(), "POST", link, data, then=shows)
    anonymous = Client()
    send(anonymous, "GET", f"/en/exchange/abroad/checks/answer/{token}/")
    send(anonymous, "POST", f"/en/exchange/abroad/checks/answer/{token}/", data)
    send(student, "GET", f"/en/exchange/abroad/checks/{check_id}/")


DECLARE_FIELDS = (
    "title_nb",
    "title_en",
    "message_nb",
    "message_en",
    "severity",
    "duty_officer",
    "reminder_hours",
    "acknowledge_minutes",
    "areas-TOTAL_FORMS",
    "areas-INITIAL_FORMS",
    "areas-0-country",
    "areas-0-city",
    "areas-1-country",
    "areas-1-city",
)


@FUZZ
@given(
    message=form("action", "text"),
    decide=form("decision", "outcome", "note"),
    request_id=segment,
)
def test_return_message_and_decision(as_role, world, message, decide, request_id):
    """Whatever the faculty sends on a request, its page and the queue still open."""
    request = world["return_request"].pk
    student = Client()
    student.force_login(world["student"])
    client = as_role("editor")
    page = [
        (client, url("stays_returns:request", request_id=request)),
        (client, url("stays_returns:queue")),
        (student, url("stays:return_detail", request_id=request)),
    ]
    send(client, "POST", url("stays_returns:message", request_id=request), message, then=page)
    send(client, "POST", url("stays_returns:decide", request_id=request), decide, then=page)
    send(client, "GET", f"/admin/come-home/{request_id}/")
    send(client, "GET", f"/en/exchange/abroad/come-home/{request_id}/")


@FUZZ
@given(
    data=form(*STAY_FIELDS, dates=("starts_on", "ends_on"), base=STAY_BASE),
    contact=form("local_phone", "local_address"),
    stay_id=segment,
)
def test_stay_registry(as_role, world, data, contact, stay_id):
    """Whatever a student sends for a stay, their stays still list and the stay still opens."""
    client = as_role("student")
    stay = world["stay"].pk
    shows = [(client, url("stays:my_stays")), (client, url("stays:stay_edit", stay_id=stay))]
    send(client, "POST", url("stays:stay_new"), data, then=shows)
    send(client, "POST", url("stays:stay_edit", stay_id=stay), data, then=shows)
    send(client, "POST", url("stays:stay_contact", stay_id=stay), contact, then=shows)
    send(client, "GET", url("stays:stay_new"), {"agreement": data.get("agreement", "")})
    send(client, "GET", f"/en/exchange/abroad/{stay_id}/edit/")
    send(client, "POST", f"/en/exchange/abroad/{stay_id}/delete/")


@FUZZ
@given(query=form("country", "faculty"), export=form("reason", "query"))
def test_stays_overview_and_csv(as_role, world, query, export):
    """Whatever staff filter and give as a reason, the overview still opens."""
    client = as_role("staff")
    send(client, "GET", url("stays_overview:index"), query)
    # A download answers 200 with the file (and records itself); a refusal 400, changing nothing.
    with transaction.atomic():
        before = snapshot()
        response = client.post(url("stays_overview:csv"), export)
        after = snapshot()
        transaction.set_rollback(True)
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400:
        assert not changed(before, after)
    else:
        assert response["Content-Type"].startswith("text/csv")
        assert changed(before, after) == ["privacy.PersonalDataExport"]


@FUZZ
@given(
    data=form(*DECLARE_FIELDS),
    query=form("answer", "p"),
    acknowledge=form("next"),
    crisis_id=segment,
)
def test_crisis_declare_board_and_acknowledge(as_role, world, data, query, acknowledge, crisis_id):
    """Whatever staff send when declaring, and whatever a board is asked for, the list and the
    boards still open."""
    crisis, check = world["crisis"], world["safety_check"]
    valid = {
        "title_nb": "Flom",
        "title_en": "Floods",
        "message_nb": "Hold deg inne.",
        "message_en": "Stay indoors.",
        "severity": "serious",
        "duty_officer": str(world["staff"].pk),
        "reminder_hours": "6",
        "acknowledge_minutes": "60",
        "areas-TOTAL_FORMS": "5",
        "areas-INITIAL_FORMS": "0",
        "areas-0-country": "ES",
        "areas-0-city": "Valencia",
    }
    staff = as_role("staff")
    board = url("crises_admin:board", crisis_id=crisis.pk)
    shows = [(staff, url("crises_admin:list")), (staff, board)]
    send(staff, "POST", url("crises_admin:declare"), {**valid, **data}, then=shows)
    send(staff, "GET", board, query)
    send(staff, "GET", url("crises_admin:board_state", crisis_id=crisis.pk), query)
    address = url("crises_admin:acknowledge", crisis_id=crisis.pk, check_id=check.pk)
    send(staff, "POST", address, acknowledge, then=shows)
    send(staff, "GET", f"/admin/crises/{crisis_id}/")
    send(staff, "POST", f"/admin/crises/{crisis_id}/checks/{check.pk}/acknowledge/")


# --- The glossary ----------------------------------------------------------------------------

PROPOSAL_FIELDS = ("term", "language", "definition", "field", "owner")
PROPOSAL_BASE = {"term": "hybel", "language": "nb", "field": "0111"}
DECISION_FIELDS = ("decision", "other_term", "definition_nb", "definition_en", "reason")


@FUZZ
@given(
    data=form(*PROPOSAL_FIELDS, base=PROPOSAL_BASE),
    decide=form(*DECISION_FIELDS, base={"decision": "accept"}),
    slug=segment,
)
def test_glossary_proposal_and_decision(as_role, world, data, decide, slug):
    """Whatever a student proposes and an editor decides, the glossary and the proposals still
    open, and an odd slug or field code is a 404, never an error."""
    client = as_role("student")
    send(client, "POST", url("glossary:propose"), data, then=[(client, url("glossary:index"))])
    send(client, "GET", url("glossary:propose"), {"term": data.get("term", "")})
    send(client, "GET", f"/en/glossary/{slug}/")
    send(client, "GET", f"/en/glossary/fields/{slug}/")
    editor = as_role("editor")
    address = url("glossary_admin:proposal_decide", proposal_id=world["term_proposal"].pk)
    send(editor, "POST", address, decide, then=[(editor, url("glossary_admin:proposals"))])
    send(editor, "POST", f"/admin/glossary/proposals/{slug}/decide/", decide)


# --- Student democracy: standing in an election ------------------------------------------------


@FUZZ
@given(
    data=form("statement", "statement_language", "group", "seat_type"),
    election_id=segment,
)
def test_candidacy(as_role, world, data, election_id):
    """Whatever a student sends to stand, the election and the calendar still open; a refusal
    writes nothing."""
    election = world["election"]
    client = as_role("student")
    with translation.override("en"):
        shows = [(client, election.get_url()), (client, url("democracy:elections_calendar"))]
    send(client, "POST", url("democracy:candidacy_new", election_id=election.pk), data, then=shows)
    send(client, "GET", f"/en/student-democracy/elections/{election_id}/stand/")
    send(client, "GET", f"/en/student-democracy/meetings/{election_id}/calendar.ics")
