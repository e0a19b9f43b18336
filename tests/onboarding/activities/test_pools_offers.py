"""Reserved places (pools) and time-limited offers from the waitlist, on events."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.accounts.models import StudentProfile
from onboarding.activities.errors import SignupError
from onboarding.activities.models import EventPage, Signup
from onboarding.activities.services import (
    events_offers_settle,
    signup_cancel,
    signup_create,
    signup_offer_claim,
)
from onboarding.bookings.models import BookingStatus
from onboarding.bookings.pools import OPEN, academic_year_start
from onboarding.live import kinds
from onboarding.live.models import Notification
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create

pytestmark = [pytest.mark.stack, pytest.mark.django_db]
HOUR = timedelta(hours=1)
TICK = timedelta(microseconds=1)


# --- Building events with pools, and people with profiles ------------------------------------


def status_pool(key, places, *statuses, release_at=None):
    return _pool(key, {"rule": "status", "statuses": list(statuses), "places": places}, release_at)


def faculty_pool(key, places, *faculties, release_at=None):
    value = {"rule": "faculty", "faculties": [unit.pk for unit in faculties], "places": places}
    return _pool(key, value, release_at)


def first_year_pool(key, places, release_at=None):
    return _pool(key, {"rule": "first_year", "places": places}, release_at)


def _pool(key, value, release_at):
    value = {"statuses": [], "faculties": [], "release_at": None, **value}
    if release_at is not None:
        value["release_at"] = release_at.isoformat()
    return {"type": "pool", "id": key, "value": value}


def pooled_event(unit, pools, **fields):
    fields.setdefault("waitlist_enabled", True)
    return event_create(unit, pools=pools, **fields)


def person(status="incoming_exchange", faculty=None, arrival=None, **fields):
    user = UserFactory(**fields)
    StudentProfile.objects.create(user=user, status=status, faculty=faculty, arrival_date=arrival)
    return user


def _status(signup):
    return Signup.objects.get(pk=signup.pk).status


def _error(function, **kwargs):
    with pytest.raises(SignupError) as caught:
        function(**kwargs)
    return caught.value


def _rows(event):
    return list(
        Signup.objects.filter(event=event)
        .order_by("sequence")
        .values_list("person_id", "status", "pool", "offer_expires_at")
    )


# --- Signing up into the right pool -----------------------------------------------------------


def test_signup_takes_a_place_in_the_pool_of_the_persons_status_faculty_or_year(tree, unit):
    event = pooled_event(
        unit,
        [
            status_pool("degree", 1, "international_degree"),
            faculty_pool("science", 1, tree["faculty_a"]),
            first_year_pool("new", 1),
        ],
        capacity=5,
    )
    this_year = academic_year_start(timezone.localdate())
    degree = signup_create(event=event, user=person("international_degree"))
    science = signup_create(event=event, user=person(faculty=tree["faculty_a"]))
    new = signup_create(event=event, user=person(arrival=this_year))
    last_year = signup_create(event=event, user=person(arrival=this_year - timedelta(days=1)))
    nobody = signup_create(event=event, user=UserFactory())  # no profile at all

    assert [degree.pool, science.pool, new.pool] == ["degree", "science", "new"]
    assert [last_year.pool, nobody.pool] == [OPEN, OPEN]
    assert {s.status for s in (degree, science, new, last_year, nobody)} == {"confirmed"}


def test_a_pool_member_takes_an_open_place_when_their_pool_is_full(unit):
    event = pooled_event(unit, [status_pool("degree", 1, "international_degree")], capacity=3)
    first, second, third, fourth = (
        signup_create(event=event, user=person("international_degree")) for _ in range(4)
    )
    assert [(s.status, s.pool) for s in (first, second, third)] == [
        ("confirmed", "degree"),
        ("confirmed", OPEN),
        ("confirmed", OPEN),
    ]
    # Full: they wait for a place in their pool or an open one.
    assert (fourth.status, fourth.pool) == ("waitlisted", "degree")


def test_people_outside_a_pool_cannot_take_its_places(unit):
    event = pooled_event(unit, [status_pool("degree", 2, "international_degree")], capacity=3)
    open_one = signup_create(event=event, user=person("phd"))
    waiting = signup_create(event=event, user=person("phd"))
    assert (open_one.status, waiting.status, waiting.pool) == ("confirmed", "waitlisted", OPEN)
    # The reserved places are still free, for their group.
    member = signup_create(event=event, user=person("international_degree"))
    assert (member.status, member.pool) == ("confirmed", "degree")


def test_without_a_waitlist_a_non_member_is_refused_while_reserved_places_are_free(unit):
    event = pooled_event(
        unit, [status_pool("degree", 2, "international_degree")], capacity=3, waitlist_enabled=False
    )
    signup_create(event=event, user=person("phd"))
    assert _error(signup_create, event=event, user=person("phd")).code == "full"
    assert Signup.objects.filter(event=event).count() == 1


def test_a_released_pool_opens_to_everyone_at_its_time(unit):
    # Whole seconds: the page stores times to the millisecond.
    release = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    event = pooled_event(
        unit, [status_pool("degree", 1, "international_degree", release_at=release)], capacity=2
    )
    signup_create(event=event, user=person("phd"))
    waiting = person("phd")
    before = signup_create(event=event, user=waiting, now=release - TICK)
    assert before.status == "waitlisted"
    after = signup_create(event=event, user=person("phd"), now=release)
    # The place released goes to the first in the queue, not to the newcomer.
    assert (_status(before), Signup.objects.get(pk=before.pk).pool) == ("confirmed", "degree")
    assert after.status == "waitlisted"
    told = Notification.objects.filter(kind="waitlist_place_given")
    assert [n.recipient_id for n in told] == [waiting.pk]


def test_the_settle_command_gives_released_places_to_the_waitlist_once(unit, students):
    release = timezone.now() - HOUR
    event = pooled_event(
        unit, [status_pool("degree", 2, "international_degree", release_at=release)], capacity=3
    )
    # Booked before the release (as if long ago): the open place, then two waiting.
    early = release - timedelta(days=1)
    people = [person("phd") for _ in range(4)]
    signups = [signup_create(event=event, user=p, now=early) for p in people]
    assert [s.status for s in signups] == ["confirmed", "waitlisted", "waitlisted", "waitlisted"]

    out = io.StringIO()
    call_command("events_offers", stdout=out)
    assert "2 person(s) moved up" in out.getvalue()
    assert [_status(s) for s in signups] == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert {Signup.objects.get(pk=s.pk).pool for s in signups[1:3]} == {"degree"}
    told = Notification.objects.filter(kind="waitlist_place_given")
    assert sorted(n.recipient_id for n in told) == sorted(p.pk for p in people[1:3])

    rows = _rows(event)
    call_command("events_offers", stdout=io.StringIO())
    assert _rows(event) == rows
    assert Notification.objects.filter(kind="waitlist_place_given").count() == 2


# --- The page: pools need places, and cannot shrink below what they hold ------------------------


def test_pools_need_a_number_of_places(unit):
    event = event_create(unit, capacity=None)
    event.pools = [status_pool("degree", 2, "phd")]
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    assert "pools" in caught.value.message_dict


def test_pools_may_not_reserve_more_than_the_capacity(unit):
    event = event_create(unit, capacity=3)
    event.pools = [status_pool("a", 2, "phd"), status_pool("b", 2, "international_degree")]
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    (message,) = caught.value.message_dict["pools"]
    assert "4" in message and "3" in message


def _held_in_degree(unit, count, capacity=4):
    event = pooled_event(
        unit, [status_pool("degree", 3, "international_degree")], capacity=capacity
    )
    for _ in range(count):
        signup_create(event=event, user=person("international_degree"))
    return EventPage.objects.get(pk=event.pk)


def test_editing_a_pool_below_the_places_it_holds_is_refused_on_the_pools_field(unit):
    event = _held_in_degree(unit, 3)
    event.pools = [status_pool("degree", 2, "international_degree")]
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    (message,) = caught.value.message_dict["pools"]
    assert "3 people already have a place" in message


def test_saving_a_pool_below_its_places_is_refused_under_the_lock_and_changes_nothing(unit):
    event = _held_in_degree(unit, 3)
    event.pools = [status_pool("degree", 1, "international_degree")]
    with pytest.raises(ValidationError) as caught:
        event.save()
    assert "pools" in caught.value.message_dict
    assert EventPage.objects.get(pk=event.pk).booking_pools()[0].places == 3


def test_removing_a_pool_counts_its_places_as_open_ones(unit):
    event = _held_in_degree(unit, 3)
    # Capacity 4 with no pools: the 3 places held count as open, and fit.
    event.pools = []
    event.full_clean()
    event.save()
    # With a smaller capacity they no longer fit.
    event.capacity = 2
    with pytest.raises(ValidationError) as caught:
        event.save()
    assert "capacity" in caught.value.message_dict


def test_publishing_bigger_pools_gives_their_places_to_the_waitlist(unit):
    event = pooled_event(unit, [status_pool("degree", 1, "international_degree")], capacity=2)
    people = [person("international_degree") for _ in range(3)]
    signups = [signup_create(event=event, user=p) for p in people]
    assert _status(signups[2]) == "waitlisted"
    event = EventPage.objects.get(pk=event.pk)
    event.capacity = 3
    event.pools = [status_pool("degree", 2, "international_degree")]
    event.save_revision().publish()
    assert (_status(signups[2]), Signup.objects.get(pk=signups[2].pk).pool) == (
        "confirmed",
        "degree",
    )


# --- Offers ---------------------------------------------------------------------------------


def offering_event(unit, *, capacity=1, hours=12, start_in=timedelta(days=3), **fields):
    start = timezone.now() + start_in
    return event_create(
        unit,
        capacity=capacity,
        waitlist_enabled=True,
        waitlist_offers=True,
        offer_hours=hours,
        start_at=start,
        end_at=start + 2 * HOUR,
        signup_closes_at=fields.pop("signup_closes_at", start - 2 * HOUR),
        **fields,
    )


@pytest.fixture
def offered(unit, students):
    """Capacity 1: one place, two waiting; the place is given up, so the first waiting is
    offered it."""
    event = offering_event(unit)
    holder, first, second = students(3)
    signups = [signup_create(event=event, user=p) for p in (holder, first, second)]
    signup_cancel(signup=signups[0], user=holder)
    return event, (holder, first, second), signups


def test_a_freed_place_is_offered_to_the_next_until_a_time_and_they_are_told(offered):
    event, people, signups = offered
    offer = Signup.objects.get(pk=signups[1].pk)
    assert offer.status == BookingStatus.OFFERED
    assert offer.confirmed_at is None
    assert timezone.now() + 11 * HOUR < offer.offer_expires_at <= timezone.now() + 12 * HOUR
    assert _status(signups[2]) == "waitlisted"
    told = Notification.objects.filter(kind="waitlist_place_offered")
    assert [n.recipient_id for n in told] == [people[1].pk]
    assert kinds.get_kind("waitlist_place_offered").mandatory
    assert not Notification.objects.filter(kind="waitlist_place_given").exists()


def test_an_offered_place_counts_as_taken(offered, students):
    event, _people, _signups = offered
    (late,) = students(1)
    assert signup_create(event=event, user=late).status == "waitlisted"


def test_claiming_an_offer_gives_the_place(offered):
    _event, people, signups = offered
    claimed = signup_offer_claim(signup=signups[1], user=people[1])
    assert claimed.status == BookingStatus.CONFIRMED
    assert claimed.confirmed_at is not None
    assert _status(signups[2]) == "waitlisted"
    # Claimed once: a second claim has nothing to claim.
    assert _error(signup_offer_claim, signup=claimed, user=people[1]).code == "not_offered"


def test_a_claim_after_the_expiry_is_refused_and_changes_nothing(offered):
    event, people, signups = offered
    expires = Signup.objects.get(pk=signups[1].pk).offer_expires_at
    rows = _rows(event)
    error = _error(signup_offer_claim, signup=signups[1], user=people[1], now=expires)
    assert error.code == "offer_lapsed"
    assert _rows(event) == rows
    # Just before the expiry it is still theirs.
    assert signup_offer_claim(signup=signups[1], user=people[1], now=expires - TICK).is_active


def test_someone_else_cannot_claim_an_offer(offered):
    _event, people, signups = offered
    assert _error(signup_offer_claim, signup=signups[1], user=people[2]).code == "forbidden"
    assert _status(signups[1]) == "offered"


def test_a_waitlisted_person_has_nothing_to_claim(offered):
    _event, people, signups = offered
    assert _error(signup_offer_claim, signup=signups[2], user=people[2]).code == "not_offered"


def test_an_expired_offer_passes_to_the_next_person_exactly_once(offered, students):
    event, people, signups = offered
    (fourth,) = students(1)
    last = signup_create(event=event, user=fourth)
    expires = Signup.objects.get(pk=signups[1].pk).offer_expires_at

    settled = events_offers_settle(now=expires - TICK)
    assert (settled.lapsed, settled.moved_up) == (0, 0)
    assert _status(signups[1]) == "offered"

    settled = events_offers_settle(now=expires)
    assert (settled.lapsed, settled.moved_up) == (1, 1)
    lapsed = Signup.objects.get(pk=signups[1].pk)
    assert lapsed.status == "cancelled" and lapsed.offer_expires_at == expires
    assert _status(signups[2]) == "offered"
    assert _status(last) == "waitlisted"
    told = Notification.objects.filter(kind="waitlist_offer_lapsed")
    assert [n.recipient_id for n in told] == [people[1].pk]
    offers = Notification.objects.filter(kind="waitlist_place_offered")
    assert sorted(n.recipient_id for n in offers) == sorted([people[1].pk, people[2].pk])

    rows = _rows(event)
    again = events_offers_settle(now=expires)
    assert (again.lapsed, again.moved_up) == (0, 0)
    assert _rows(event) == rows
    assert Notification.objects.filter(kind="waitlist_offer_lapsed").count() == 1
    # The lapsed person's claim now says why.
    error = _error(signup_offer_claim, signup=lapsed, user=people[1], now=expires)
    assert error.code == "offer_lapsed"


def test_an_offer_found_lapsed_after_the_event_moves_nobody_up(offered):
    """The command did not run for days: the offer lapses, but once the event is over
    nobody on the waitlist is given the place (or told so)."""
    event, people, signups = offered
    after = event.end_at + HOUR
    settled = events_offers_settle(now=after)
    assert (settled.lapsed, settled.moved_up) == (1, 0)
    assert _status(signups[2]) == "waitlisted"
    assert not Notification.objects.filter(
        kind="waitlist_place_offered", recipient=people[2]
    ).exists()
    assert events_offers_settle(now=after).holders == 0


def test_the_events_offers_command_runs_twice_without_changing_more(offered):
    event, _people, signups = offered
    Signup.objects.filter(pk=signups[1].pk).update(offer_expires_at=timezone.now() - TICK)
    out = io.StringIO()
    call_command("events_offers", stdout=out)
    assert "1 offer(s) lapsed, 1 person(s) moved up" in out.getvalue()
    rows = _rows(event)
    out = io.StringIO()
    call_command("events_offers", stdout=out)
    assert "0 offer(s) lapsed" in out.getvalue()
    assert _rows(event) == rows
    assert [status for _p, status, _k, _e in rows] == ["cancelled", "cancelled", "offered"]


def test_declining_an_offer_passes_it_on(offered):
    _event, people, signups = offered
    declined = signup_cancel(signup=signups[1], user=people[1])
    assert declined.status == "cancelled"
    assert _status(signups[2]) == "offered"


def test_an_offer_close_to_the_start_is_shortened_to_half_the_time_left(unit, students):
    event = offering_event(unit, hours=12, start_in=10 * HOUR)
    a, b = students(2)
    first, second = (signup_create(event=event, user=p) for p in (a, b))
    now = timezone.now()
    signup_cancel(signup=first, user=a, now=now)
    offer = Signup.objects.get(pk=second.pk)
    assert offer.status == "offered"
    assert offer.offer_expires_at == now + (event.start_at - now) / 2


def test_less_than_an_hour_before_the_start_the_place_is_given_at_once(unit, students):
    event = offering_event(unit, start_in=50 * timedelta(minutes=1))
    a, b = students(2)
    first, second = (
        signup_create(event=event, user=p, now=event.start_at - 3 * HOUR) for p in (a, b)
    )
    signup_cancel(signup=first, user=a)
    given = Signup.objects.get(pk=second.pk)
    assert (given.status, given.offer_expires_at) == ("confirmed", None)
    assert [n.recipient_id for n in Notification.objects.filter(kind="waitlist_place_given")] == [
        b.pk
    ]


def test_an_offer_in_a_pool_stays_in_that_pool(unit):
    event = pooled_event(
        unit, [status_pool("degree", 1, "international_degree")], capacity=2, waitlist_offers=True
    )
    member, other, waiting_other, waiting_member = (
        person(status) for status in ("international_degree", "phd", "phd", "international_degree")
    )
    signups = [signup_create(event=event, user=p) for p in (member, other, waiting_other)]
    last = signup_create(event=event, user=waiting_member)
    # The degree place is freed: the first waiting is not in the pool; the member is offered it.
    signup_cancel(signup=signups[0], user=member)
    assert _status(signups[2]) == "waitlisted"
    offer = Signup.objects.get(pk=last.pk)
    assert (offer.status, offer.pool) == ("offered", "degree")
    claimed = signup_offer_claim(signup=offer, user=waiting_member)
    assert (claimed.status, claimed.pool) == ("confirmed", "degree")


# --- The claim view --------------------------------------------------------------------------


def claim_url(event, language="en"):
    with translation.override(language):
        return reverse("activities:claim", args=[event.pk])


def test_claim_view_answers_a_form_with_a_redirect_and_a_message(client, offered):
    event, people, signups = offered
    client.force_login(people[1])
    response = client.post(claim_url(event), follow=True)
    assert response.redirect_chain[-1][0] == event.get_url()
    assert "The place is yours" in response.content.decode()
    assert _status(signups[1]) == "confirmed"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_claim_view_answers_a_script_with_json_and_the_panel(client, offered, language):
    event, people, signups = offered
    client.force_login(people[1])
    response = client.post(claim_url(event, language), headers={"accept": "application/json"})
    assert response.status_code == 200
    data = response.json()
    assert (data["ok"], data["code"]) == (True, "confirmed")
    assert data["places"]["confirmed"] == 1 and data["places"]["offered"] == 0
    assert 'data-my-status="confirmed"' in data["panel_html"] or "ticket" in data["panel_html"]


def test_claim_view_refuses_a_lapsed_offer_with_409(client, offered):
    event, people, signups = offered
    Signup.objects.filter(pk=signups[1].pk).update(offer_expires_at=timezone.now() - TICK)
    client.force_login(people[1])
    response = client.post(claim_url(event), headers={"accept": "application/json"})
    assert response.status_code == 409
    assert response.json()["code"] == "offer_lapsed"
    assert _status(signups[1]) == "offered"


def test_claim_view_sends_anonymous_people_to_log_in(client, offered):
    event, _people, signups = offered
    response = client.post(claim_url(event))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert _status(signups[1]) == "offered"


def test_another_student_cannot_claim_through_the_view(client, offered):
    event, people, signups = offered
    client.force_login(people[2])  # waitlisted, not offered
    response = client.post(claim_url(event), headers={"accept": "application/json"})
    assert response.status_code == 409
    assert response.json()["code"] == "not_offered"
    assert (_status(signups[1]), _status(signups[2])) == ("offered", "waitlisted")


def test_the_claim_view_takes_only_post(client, offered):
    event, people, _signups = offered
    client.force_login(people[1])
    assert client.get(claim_url(event)).status_code == 405


def test_the_event_page_shows_the_offer_and_the_pools(client, unit):
    event = pooled_event(
        unit,
        [status_pool("degree", 1, "international_degree")],
        capacity=2,
        waitlist_offers=True,
    )
    a, b, c = (person("phd") for _ in range(3))
    first = signup_create(event=event, user=a)
    signup_create(event=event, user=b)
    signup_create(event=event, user=c)
    signup_cancel(signup=first, user=a)
    client.force_login(b)
    page = client.get(event.get_url()).content.decode()
    assert "Claim the place" in page
    assert "Decline the place" in page
    client.force_login(UserFactory())
    page = client.get(event.get_url()).content.decode()
    assert "Some places are reserved" in page
    assert "Reserved for: International degree student" in page


def test_first_year_is_counted_from_1_august_when_signing_up(unit):
    event = pooled_event(unit, [first_year_pool("new", 1)], capacity=3)
    today = timezone.localdate()
    start = academic_year_start(today)
    newest = signup_create(event=event, user=person(arrival=start))
    older = signup_create(event=event, user=person(arrival=date(start.year - 1, 8, 1)))
    assert (newest.pool, older.pool) == ("new", OPEN)
