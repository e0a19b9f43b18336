"""The listing: filters, the "for you" order, and a query count that does not grow with events."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.accounts.models import StudentProfile
from onboarding.activities.selectors import EventFilters, event_list
from onboarding.activities.services import signup_create
from onboarding.units.services import follow_create
from tests.onboarding.activities.factories import event_create

pytestmark = pytest.mark.django_db


def _titles(events):
    return [event.title_en for event in events]


def _in(days, hours=2):
    start = timezone.now() + timedelta(days=days)
    return {"start_at": start, "end_at": start + timedelta(hours=hours)}


def test_only_events_that_have_not_ended_are_listed_soonest_first(unit):
    event_create(unit, title_en="Later", **_in(5))
    event_create(unit, title_en="Sooner", **_in(1))
    event_create(unit, title_en="Over", **_in(-2))
    assert _titles(event_list()) == ["Sooner", "Later"]


def test_dates_filter_keeps_events_in_the_range(unit):
    event_create(unit, title_en="Day 2", **_in(2))
    event_create(unit, title_en="Day 6", **_in(6))
    today = timezone.localdate()
    filters = EventFilters(date_from=today + timedelta(days=5), date_to=today + timedelta(days=7))
    assert _titles(event_list(filters=filters)) == ["Day 6"]


def test_unit_filter_keeps_the_units_own_events(tree, unit):
    event_create(unit, title_en="Buddies")
    event_create(tree["choir"], title_en="Choir")
    assert _titles(event_list(filters=EventFilters(unit=tree["choir"]))) == ["Choir"]


def test_faculty_filter_keeps_its_units_events_and_events_meant_for_it(tree, unit):
    event_create(tree["faculty_a"], title_en="At the faculty")
    event_create(unit, title_en="For the faculty", faculties=[tree["faculty_a"]])
    event_create(unit, title_en="Elsewhere")
    found = _titles(event_list(filters=EventFilters(faculty=tree["faculty_a"])))
    assert sorted(found) == ["At the faculty", "For the faculty"]


def test_language_filter_keeps_events_in_that_language_or_both(unit):
    event_create(unit, title_en="English", event_language="en")
    event_create(unit, title_en="Norwegian", event_language="nb")
    event_create(unit, title_en="Both", event_language="both")
    assert sorted(_titles(event_list(filters=EventFilters(language="en")))) == ["Both", "English"]


def test_audience_filter_keeps_events_open_to_that_status(unit):
    event_create(unit, title_en="Everyone")
    event_create(unit, title_en="Exchange", audience_statuses=["incoming_exchange"])
    event_create(unit, title_en="PhD", audience_statuses=["phd"])
    found = _titles(event_list(filters=EventFilters(audience="incoming_exchange")))
    assert sorted(found) == ["Everyone", "Exchange"]
    assert _titles(event_list(filters=EventFilters(audience="everyone"))) == ["Everyone"]


def test_free_places_filter_leaves_out_full_events(unit, students):
    full = event_create(unit, title_en="Full", capacity=1)
    signup_create(event=full, user=students(1)[0])
    event_create(unit, title_en="Room", capacity=1)
    event_create(unit, title_en="Unlimited", capacity=None)
    found = _titles(event_list(filters=EventFilters(free_places=True)))
    assert sorted(found) == ["Room", "Unlimited"]


def test_for_you_puts_the_students_faculty_followed_units_and_language_first(tree, unit, student):
    StudentProfile.objects.create(
        user=student, status="incoming_exchange", faculty=tree["faculty_a"]
    )
    follow_create(user=student, unit=tree["choir"])
    student.language = "en"
    event_create(unit, title_en="Plain, Norwegian", event_language="nb", **_in(1))
    event_create(unit, title_en="Not for them", audience_statuses=["phd"], **_in(2))
    event_create(tree["choir"], title_en="Followed", event_language="nb", **_in(3))
    event_create(tree["faculty_a"], title_en="Faculty", event_language="en", **_in(4))
    event_create(unit, title_en="English", event_language="en", **_in(5))
    found = _titles(event_list(filters=EventFilters(for_you=True), user=student))
    assert found == ["Faculty", "Followed", "English", "Plain, Norwegian", "Not for them"]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_listing_page_filters_through_the_form(client, unit, language):
    event_create(unit, title_en="Pub quiz", title_nb="Pubquiz", event_language="en")
    event_create(unit, title_en="Waffle party", title_nb="Vaffelfest", event_language="nb")
    with translation.override(language):
        path = reverse("activities:event_list")
    body = client.get(path, {"language": "nb"}).content.decode()
    assert {"nb": "Vaffelfest", "en": "Waffle party"}[language] in body
    assert {"nb": "Pubquiz", "en": "Pub quiz"}[language] not in body


def test_listing_refuses_an_end_before_the_start_with_a_message(client, unit):
    response = client.get(
        reverse("activities:event_list"), {"date_from": "2030-05-10", "date_to": "2030-05-01"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("query", "folded"),
    [({}, True), ({"language": "nb"}, False), ({"date_from": "2030-05-10", "date_to": "1"}, False)],
    ids=["no-filter", "filtering", "error"],
)
def test_listing_filters_fold_away_on_small_screens_unless_in_use(client, unit, query, folded):
    event_create(unit, title_en="Pub quiz")
    body = client.get(reverse("activities:event_list"), query).content.decode()
    disclosure = re.search(r"<details class=\"filters-disclosure\"[^>]*>", body)
    assert disclosure is not None
    assert (" open" not in disclosure.group(0)) is folded
    assert body.index("<summary") < body.index('<form method="get" class="event-filters"')


def _listing_queries(client, count, unit, student, others):
    for number in range(count):
        event = event_create(unit, publish=False, capacity=1, **_in(1 + number % 9))
        # The student holds a place or waits on every event: their own status shows on each.
        if number % 2:
            signup_create(event=event, user=others[0])
        signup_create(event=event, user=student)
    client.get(reverse("activities:event_list"))  # fills the site's caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("activities:event_list"))
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def logged_in(client, student, tree):
    StudentProfile.objects.create(user=student, status="phd", faculty=tree["faculty_a"])
    follow_create(user=student, unit=tree["choir"])
    client.force_login(student)
    return client


@pytest.mark.stack
def test_listing_makes_as_many_queries_with_50_events_as_with_5(logged_in, unit, student, students):
    others = students(1)
    few = _listing_queries(logged_in, 5, unit, student, others)
    many = _listing_queries(logged_in, 45, unit, student, others)  # 50 in all
    assert few == many
