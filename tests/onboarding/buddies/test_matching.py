"""The matching on its own: maximal coverage and best fit against a brute force, capacities,
pins and forbids, determinism. Small random instances, many seeds (no database)."""

import datetime
import itertools
import random

import pytest

from onboarding.buddies import matching
from onboarding.buddies.matching import Person, fit, solve

LANGUAGES = ["en", "nb", "de", "es"]
INTERESTS = ["outdoors", "music", "food", "games"]
DAY = datetime.date(2026, 8, 10)


def _person(rng, pid, capacity=1):
    return Person(
        id=pid,
        languages=frozenset(rng.sample(LANGUAGES, rng.randint(1, 2))),
        day=DAY + datetime.timedelta(days=rng.randint(-6, 6)),
        faculty=rng.choice([None, 1, 2]),
        programme=rng.choice(["", "Physics", "Law"]),
        interests=frozenset(rng.sample(INTERESTS, rng.randint(0, 2))),
        capacity=capacity,
        wants_same_faculty=rng.random() < 0.4,
        wants_language=rng.choice(["", "de", "es"]),
    )


def instance(seed):
    rng = random.Random(seed)
    students = [_person(rng, pid) for pid in range(1, rng.randint(1, 6) + 1)]
    buddies = [_person(rng, 100 + n, capacity=rng.randint(1, 3)) for n in range(rng.randint(1, 3))]
    pairs = [(s.id, b.id) for s in students for b in buddies]
    forbidden = set(rng.sample(pairs, rng.randint(0, min(2, len(pairs)))))
    return students, buddies, forbidden


def brute_force(students, buddies, forbidden=frozenset(), fixed=()):
    """The best (matched, total fit) over every assignment of each student to a buddy or none."""
    fixed = dict(fixed)
    options = []
    for student in students:
        if student.id in fixed:
            options.append([fixed[student.id]])
            continue
        allowed = [
            b.id
            for b in buddies
            if (student.id, b.id) not in forbidden and fit(student, b) is not None
        ]
        options.append([None, *allowed])
    by_id = {b.id: b for b in buddies}
    best = (-1, -1)
    for choice in itertools.product(*options):
        load = {}
        for buddy_id in choice:
            if buddy_id is not None:
                load[buddy_id] = load.get(buddy_id, 0) + 1
        if any(load[b] > by_id[b].capacity for b in load):
            continue
        total = 0
        for student, buddy_id in zip(students, choice, strict=True):
            if buddy_id is not None:
                known = fit(student, by_id[buddy_id])
                total += known.score if known else 0
        best = max(best, (sum(1 for c in choice if c is not None), total))
    return best


def check_feasible(result, students, buddies, forbidden=frozenset()):
    by_id = {b.id: b for b in buddies}
    load = {}
    seen = set()
    for pair in result.pairs:
        assert pair.student not in seen, "a student has two buddies"
        seen.add(pair.student)
        load[pair.buddy] = load.get(pair.buddy, 0) + 1
        assert (pair.student, pair.buddy) not in forbidden
    for buddy_id, count in load.items():
        assert count <= by_id[buddy_id].capacity
    assert seen | {u.student for u in result.unmatched} == {s.id for s in students}


@pytest.mark.parametrize("sparse", [False, True], ids=["full", "sparse"])
@pytest.mark.parametrize("seed", range(150))
def test_coverage_and_fit_are_optimal_against_brute_force(seed, sparse, monkeypatch):
    # The sparse network starts from one candidate per student, so pricing must find the rest.
    monkeypatch.setattr(matching, "CANDIDATES", 1)
    monkeypatch.setattr(matching, "SAMPLE", 1)
    students, buddies, forbidden = instance(seed)
    result = solve(students, buddies, forbidden=forbidden, sparse=sparse)
    check_feasible(result, students, buddies, forbidden)
    assert (result.matched, result.total_fit) == brute_force(students, buddies, forbidden)


@pytest.mark.parametrize("sparse", [False, True], ids=["full", "sparse"])
@pytest.mark.parametrize("seed", range(40))
def test_everyone_gets_a_buddy_whenever_capacity_and_languages_allow(seed, sparse):
    rng = random.Random(seed)
    students = [_person(rng, pid) for pid in range(1, 30)]
    students = [Person(**{**s.__dict__, "languages": s.languages | {"en"}}) for s in students]
    buddies = []
    while sum(b.capacity for b in buddies) < len(students):
        buddies.append(_person(rng, 1000 + len(buddies), capacity=rng.randint(1, 4)))
    buddies = [Person(**{**b.__dict__, "languages": b.languages | {"en"}}) for b in buddies]
    result = solve(students, buddies, sparse=sparse)
    assert result.unmatched == []
    assert result.matched == len(students) == matching.coverage_bound(students, buddies)


@pytest.mark.parametrize("seed", range(60))
def test_fixed_pairs_are_kept_and_the_rest_is_optimal(seed):
    students, buddies, forbidden = instance(seed)
    rng = random.Random(seed)
    student = rng.choice(students)
    buddy = rng.choice(buddies)
    fixed = [(student.id, buddy.id)]
    forbidden.discard((student.id, buddy.id))
    result = solve(students, buddies, fixed=fixed, forbidden=forbidden)
    check_feasible(result, students, buddies, forbidden)
    assert any(p.student == student.id and p.buddy == buddy.id for p in result.pairs)
    assert result.matched == brute_force(students, buddies, forbidden, fixed)[0]


def test_a_buddy_is_never_given_more_students_than_they_can_take():
    students = [Person(id=n, languages=frozenset({"en"}), day=DAY) for n in range(1, 8)]
    buddies = [
        Person(id=100, languages=frozenset({"en"}), day=DAY, capacity=2),
        Person(id=101, languages=frozenset({"en"}), day=DAY, capacity=3),
    ]
    result = solve(students, buddies)
    assert result.matched == 5
    assert sorted(u.reason for u in result.unmatched) == ["full", "full"]


def test_fixed_pairs_over_capacity_are_refused():
    students = [Person(id=n, languages=frozenset({"en"}), day=DAY) for n in (1, 2)]
    buddy = Person(id=100, languages=frozenset({"en"}), day=DAY, capacity=1)
    with pytest.raises(ValueError, match="more fixed students"):
        solve(students, [buddy], fixed=[(1, 100), (2, 100)])


def test_the_sparse_network_finds_the_same_optimum_as_the_full_one():
    rng = random.Random(11)
    students = [_person(rng, pid) for pid in range(1, 80)]
    buddies = [_person(rng, 500 + n, capacity=rng.randint(1, 3)) for n in range(30)]
    full = solve(students, buddies, sparse=False)
    sparse = solve(students, buddies, sparse=True)
    assert (sparse.matched, sparse.total_fit) == (full.matched, full.total_fit)


def test_the_same_input_gives_the_same_pairs_in_any_order():
    rng = random.Random(7)
    students = [_person(rng, pid) for pid in range(1, 40)]
    buddies = [_person(rng, 500 + n, capacity=rng.randint(1, 3)) for n in range(15)]
    first = solve(students, buddies)
    rng.shuffle(students)
    rng.shuffle(buddies)
    assert solve(students, buddies).pairs == first.pairs


def test_unmatched_students_are_told_why():
    students = [
        Person(id=1, languages=frozenset({"ja"}), day=DAY),
        Person(id=2, languages=frozenset({"de"}), day=DAY),
        Person(id=3, languages=frozenset({"en"}), day=DAY),
        Person(id=4, languages=frozenset({"en"}), day=DAY),
    ]
    buddies = [
        Person(id=100, languages=frozenset({"en", "de"}), day=DAY, capacity=1),
    ]
    result = solve(students, buddies, forbidden={(2, 100)})
    reasons = {u.student: u.reason for u in result.unmatched}
    assert reasons[1] == "no_language"
    assert reasons[2] == "forbidden"
    assert len(reasons) == 3
    assert [reasons.get(3), reasons.get(4)].count("full") == 1


def test_fit_rewards_faculty_wishes_languages_interests_and_dates():
    student = Person(
        id=1,
        languages=frozenset({"en", "de"}),
        day=DAY,
        faculty=1,
        programme="Physics",
        interests=frozenset({"music", "food"}),
        wants_same_faculty=True,
        wants_language="de",
    )
    perfect = Person(
        id=2,
        languages=frozenset({"de"}),
        day=DAY,
        faculty=1,
        programme=" physics ",
        interests=frozenset({"music", "food"}),
    )
    late = Person(id=3, languages=frozenset({"en"}), day=DAY + datetime.timedelta(days=5))
    best = fit(student, perfect)
    assert best.reasons == (
        "language",
        "faculty",
        "faculty_wish",
        "programme",
        "language_wish",
        "interests",
        "dates",
    )
    assert best.score == matching.MAX_FIT - matching.INTEREST
    assert fit(student, late).score == matching.DATES - 5 * matching.DATES_PER_DAY_LATE
    assert fit(student, Person(id=4, languages=frozenset({"fr"}), day=DAY)) is None


@pytest.mark.parametrize("seed", range(20))
def test_the_fast_score_used_in_pricing_is_the_fit(seed):
    rng = random.Random(seed)
    coder = matching._Coder()
    people = [_person(rng, pid, capacity=rng.randint(1, 3)) for pid in range(30)]
    for student in people[:15]:
        for buddy in people[15:]:
            known = fit(student, buddy)
            expected = known.score if known else None
            assert matching._score(coder.code(student), coder.code(buddy)) == expected
