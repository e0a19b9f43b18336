"""Reserved places (pools): the pure decisions the engine takes under the holder's lock."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.blocks.struct_block import StructBlockValidationError

from onboarding.bookings.pools import (
    OFFER_MINIMUM,
    OPEN,
    PersonFacts,
    Pool,
    PoolBlock,
    PoolRule,
    academic_year_start,
    fill_plan,
    held_by_pool,
    offer_expiry,
    overfull,
    person_facts,
    place_for,
    pool_of,
    pools_errors,
)

NOW = datetime(2026, 9, 1, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)

DEGREE = Pool(key="degree", places=2, rule=PoolRule.STATUS, statuses=("international_degree",))
SCIENCE = Pool(key="science", places=1, rule=PoolRule.FACULTY, faculty_ids=(7,))
NEW = Pool(key="new", places=1, rule=PoolRule.FIRST_YEAR)


def _place(held, own, *, capacity=5, pools=(DEGREE, SCIENCE), now=NOW):
    return place_for(capacity=capacity, pools=list(pools), held=held, own=own, now=now)


# --- Who is in which pool --------------------------------------------------------------------


def test_a_person_is_in_the_first_pool_whose_rule_they_meet():
    both = PersonFacts(status="international_degree", faculty_id=7)
    assert pool_of([DEGREE, SCIENCE], both) == "degree"
    assert pool_of([SCIENCE, DEGREE], both) == "science"
    assert pool_of([DEGREE, SCIENCE], PersonFacts(status="phd", faculty_id=8)) == OPEN
    assert pool_of([DEGREE, SCIENCE, NEW], PersonFacts(first_year=True)) == "new"
    assert pool_of([DEGREE], PersonFacts()) == OPEN


def _profile(**fields):
    return SimpleNamespace(**{"status": "", "faculty_id": None, "arrival_date": None, **fields})


def test_person_facts_of_a_profile_and_of_nobody():
    facts = person_facts(_profile(status="phd", faculty_id=3), today=date(2026, 9, 1))
    assert facts == PersonFacts(status="phd", faculty_id=3, first_year=False)
    assert person_facts(None) == PersonFacts()


def test_the_academic_year_begins_on_1_august():
    assert academic_year_start(date(2026, 8, 1)) == date(2026, 8, 1)
    assert academic_year_start(date(2026, 7, 31)) == date(2025, 8, 1)
    assert academic_year_start(date(2027, 1, 15)) == date(2026, 8, 1)


def _first_year(arrival, today):
    return person_facts(_profile(arrival_date=arrival), today=today).first_year


def test_first_year_edges_on_1_august():
    # Arrived on the first day of the academic year, counted on that day.
    assert _first_year(date(2026, 8, 1), date(2026, 8, 1))
    # Arrived the day before: last academic year's student.
    assert not _first_year(date(2026, 7, 31), date(2026, 8, 1))
    # On 31 July a student who came on 1 August last year is still in their first year ...
    assert _first_year(date(2025, 8, 1), date(2026, 7, 31))
    # ... and on 1 August no longer.
    assert not _first_year(date(2025, 8, 1), date(2026, 8, 1))
    # Not arrived yet, this academic year or later: new all the same (they sign up ahead).
    assert _first_year(date(2026, 9, 15), date(2026, 8, 20))
    assert _first_year(date(2027, 8, 10), date(2027, 7, 1))
    # No arrival date: not first-year.
    assert not _first_year(None, date(2026, 8, 1))


# --- Where a person gets a place -------------------------------------------------------------


def test_a_pool_member_takes_their_pool_first_then_open_places():
    assert _place({}, "degree") == "degree"
    assert _place({"degree": 2}, "degree") == OPEN
    # Capacity 5 less 3 reserved: 2 open places.
    assert _place({"degree": 2, OPEN: 2}, "degree") is None


def test_a_non_member_takes_only_open_places():
    assert _place({}, OPEN) == OPEN
    assert _place({OPEN: 2}, OPEN) is None
    assert _place({OPEN: 2, "degree": 0, "science": 0}, "science") == "science"


def test_released_pools_are_open_to_everyone_from_their_time():
    degree = Pool(
        key="degree",
        places=2,
        rule=PoolRule.STATUS,
        statuses=("international_degree",),
        release_at=NOW,
    )
    held = {OPEN: 3}
    # Capacity 5, 2 reserved: open full.
    assert _place(held, OPEN, pools=[degree], now=NOW - timedelta(seconds=1)) is None
    assert _place(held, OPEN, pools=[degree], now=NOW) == "degree"
    assert _place({OPEN: 3, "degree": 2}, OPEN, pools=[degree], now=NOW) is None


def test_own_pool_before_open_before_released():
    released = Pool(key="r", places=1, rule=PoolRule.FIRST_YEAR, release_at=NOW - HOUR)
    pools = [DEGREE, released]
    assert _place({}, "degree", pools=pools) == "degree"
    assert _place({"degree": 2}, "degree", pools=pools) == OPEN
    assert _place({"degree": 2, OPEN: 2}, "degree", pools=pools) == "r"


def test_without_a_limit_everyone_gets_an_open_place():
    assert place_for(capacity=None, pools=[], held={OPEN: 99}, own=OPEN, now=NOW) == OPEN


def test_places_in_a_pool_that_no_longer_exists_count_as_open():
    assert held_by_pool({"gone": 2, "degree": 1, OPEN: 1}, [DEGREE]) == {"degree": 1, OPEN: 3}
    assert held_by_pool({}, [DEGREE, SCIENCE]) == {"degree": 0, "science": 0, OPEN: 0}


def test_a_person_of_a_removed_pool_waits_for_open_places():
    assert _place({OPEN: 2}, "gone") is None
    assert _place({OPEN: 1}, "gone") == OPEN


# --- Serving the waitlist --------------------------------------------------------------------


def test_fill_plan_serves_each_pools_queue_in_order():
    # Capacity 5: degree 2, science 1, open 2. Open and science full, degree has 1 free.
    held = {OPEN: 2, "science": 1, "degree": 1}
    waitlist = [(1, OPEN), (2, "science"), (3, "degree"), (4, "degree")]
    plan = fill_plan(
        capacity=5, pools=[DEGREE, SCIENCE], held=held, waitlist=waitlist, now=NOW
    ).given
    assert plan == [(3, "degree")]


def test_fill_plan_gives_open_places_to_the_first_of_any_pool():
    held = {OPEN: 1, "degree": 2, "science": 1}
    waitlist = [(1, "degree"), (2, OPEN), (3, "science")]
    plan = fill_plan(capacity=5, pools=[DEGREE, SCIENCE], held=held, waitlist=waitlist, now=NOW)
    assert plan.given == [(1, OPEN)]


def test_fill_plan_gives_released_places_to_the_queue_in_order():
    released = Pool(key="r", places=2, rule=PoolRule.FIRST_YEAR, release_at=NOW)
    waitlist = [(1, OPEN), (2, OPEN), (3, OPEN)]
    plan = fill_plan(capacity=4, pools=[released], held={OPEN: 2}, waitlist=waitlist, now=NOW)
    assert plan.given == [(1, "r"), (2, "r")]
    before = fill_plan(
        capacity=4, pools=[released], held={OPEN: 2}, waitlist=waitlist, now=NOW - HOUR
    )
    assert before.given == []


def test_fill_plan_without_a_limit_gives_everyone_a_place():
    plan = fill_plan(capacity=None, pools=[], held={}, waitlist=[(1, OPEN), (2, OPEN)], now=NOW)
    assert plan.given == [(1, OPEN), (2, OPEN)]


# --- Checks of the pools as a whole -----------------------------------------------------------


def test_overfull_names_the_pools_holding_more_than_they_have():
    assert overfull(capacity=5, pools=[DEGREE, SCIENCE], held={"degree": 2, OPEN: 2}) == []
    assert overfull(capacity=5, pools=[DEGREE, SCIENCE], held={"degree": 3}) == [("degree", 2, 3)]
    # Fewer open places than held in them (capacity lowered to 4: 1 open place).
    assert overfull(capacity=4, pools=[DEGREE, SCIENCE], held={OPEN: 2}) == [(OPEN, 1, 2)]
    assert overfull(capacity=None, pools=[], held={OPEN: 100}) == []


def test_pools_need_a_capacity_and_fit_in_it():
    assert pools_errors(capacity=None, pools=[]) == []
    assert pools_errors(capacity=None, pools=[DEGREE]) != []
    assert pools_errors(capacity=3, pools=[DEGREE, SCIENCE]) == []
    (error,) = pools_errors(capacity=2, pools=[DEGREE, SCIENCE])
    assert "3" in error and "2" in error


def test_a_status_pool_needs_a_status_and_a_faculty_pool_a_faculty():
    block = PoolBlock()
    for rule, field in (("status", "statuses"), ("faculty", "faculties")):
        value = block.to_python({"rule": rule, "statuses": [], "faculties": [], "places": 2})
        try:
            block.clean(value)
        except StructBlockValidationError as error:
            assert set(error.block_errors) == {field}
        else:
            raise AssertionError(f"a {rule} pool without {field} was accepted")
    # A new pool's faculty list starts empty; an empty chooser left in it is no faculty.
    new = block.get_default()
    assert list(new["faculties"]) == []
    new.update(rule="first_year", places=2, faculties=[None])
    assert list(block.clean(new)["faculties"]) == []
    new.update(rule="status", statuses=["phd"])
    block.clean(new)


# --- Offers ----------------------------------------------------------------------------------


def test_an_offer_lasts_the_organisers_hours_far_from_the_start():
    assert offer_expiry(now=NOW, hours=12, ends_at=None) == NOW + 12 * HOUR
    assert offer_expiry(now=NOW, hours=12, ends_at=NOW + timedelta(days=3)) == NOW + 12 * HOUR


def test_an_offer_is_shortened_to_half_the_time_left_near_the_start():
    assert offer_expiry(now=NOW, hours=12, ends_at=NOW + 10 * HOUR) == NOW + 5 * HOUR
    assert offer_expiry(now=NOW, hours=12, ends_at=NOW + OFFER_MINIMUM) == NOW + OFFER_MINIMUM / 2


def test_no_offer_when_less_than_an_hour_is_left():
    limit = NOW + OFFER_MINIMUM
    assert offer_expiry(now=NOW, hours=12, ends_at=limit - timedelta(seconds=1)) is None
    assert offer_expiry(now=NOW, hours=12, ends_at=NOW - HOUR) is None


# --- The property: never overfull, each pool in arrival order ----------------------------------

KEYS = ["a", "b", "c"]


@st.composite
def situations(draw):
    pools = [
        Pool(
            key=key,
            places=draw(st.integers(1, 4)),
            rule=PoolRule.FIRST_YEAR,
            release_at=draw(st.sampled_from([None, NOW - HOUR, NOW + HOUR])),
        )
        for key in draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=3))
    ]
    reserved = sum(pool.places for pool in pools)
    capacity = reserved + draw(st.integers(0, 5))
    keys = [OPEN, *(pool.key for pool in pools)]
    limits = {pool.key: pool.places for pool in pools} | {OPEN: capacity - reserved}
    held = {key: draw(st.integers(0, limits[key])) for key in keys}
    # Own pools of the waitlist, arrival order = position; "gone" is a removed pool.
    owns = draw(st.lists(st.sampled_from([*keys, "gone"]), max_size=15))
    return capacity, pools, held, list(enumerate(owns, start=1))


def _may_take(pools, own, key):
    """May a person of pool ``own`` take a place in ``key`` at NOW?"""
    if key in (OPEN, own):
        return True
    return any(pool.key == key and pool.released(NOW) for pool in pools)


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(situations())
def test_fill_plan_never_overfills_and_keeps_arrival_order(situation):
    capacity, pools, held, waitlist = situation
    plan = fill_plan(capacity=capacity, pools=pools, held=held, waitlist=waitlist, now=NOW)

    after = dict(held)
    for _booking, key in plan.given:
        after[key] = after.get(key, 0) + 1
    assert overfull(capacity=capacity, pools=pools, held=after) == []
    assert sum(after.values()) <= capacity

    own_of = dict(waitlist)
    given = dict(plan.given)
    assert len(given) == len(plan.given)  # nobody gets two places
    for booking, key in plan.given:
        assert _may_take(pools, own_of[booking], key)
    # Nobody left waiting could have taken a place given to someone after them ...
    for waiting, own in waitlist:
        if waiting in given:
            continue
        for booking, key in plan.given:
            assert not (booking > waiting and _may_take(pools, own, key)), (waiting, booking, key)
    # ... nor is any place they may take still free.
    limits = {pool.key: pool.places for pool in pools} | {
        OPEN: capacity - sum(pool.places for pool in pools)
    }
    counted = held_by_pool(after, pools)
    for waiting, own in waitlist:
        if waiting not in given:
            for key, limit in limits.items():
                assert not (_may_take(pools, own, key) and counted[key] < limit)


def test_pools_set_from_code_are_held_to_the_same_rules():
    no_status = Pool(key="a", places=2, rule=PoolRule.STATUS)
    no_faculty = Pool(key="b", places=2, rule=PoolRule.FACULTY)
    empty = Pool(key="c", places=0, rule=PoolRule.FIRST_YEAR)
    assert pools_errors(capacity=10, pools=[no_status]) == ["Tick at least one status."]
    assert pools_errors(capacity=10, pools=[no_faculty]) == ["Choose at least one faculty."]
    assert pools_errors(capacity=10, pools=[empty]) == ["A pool needs at least one place."]
