"""The buddy matching on a large round: 3,000 students and 1,200 buddies.

Run with ``make bench``. Prints the wall time and peak memory (tracemalloc) of
one ``matching.solve`` and the coverage against the upper bound, the smaller
of the number of students and the buddies' places. The round is generated
with a fixed seed: most people speak English, some only another language; the
buddies take 1 to 4 students. ``BUDDY_BENCH_STUDENTS`` and
``BUDDY_BENCH_BUDDIES`` change the size.
"""

import datetime
import os
import random
import time
import tracemalloc

import pytest

from onboarding.buddies.matching import Person, coverage_bound, solve

pytestmark = pytest.mark.bench

LANGUAGES = ["de", "fr", "es", "it", "zh-hans", "ar", "pl", "uk", "nl", "ja"]
INTERESTS = ["outdoors", "sports", "music", "culture", "food", "games", "technology", "debate"]
PROGRAMMES = ["", "", "Computer Science", "Biology", "Economics", "History", "Law"]
START = datetime.date(2027, 8, 16)


def _round(students, buddies, seed=2027):
    rng = random.Random(seed)

    def person(pid, capacity, *, english):
        others = rng.sample(LANGUAGES, rng.randint(1, 2))
        languages = ["en", *others] if english else others[:1]
        return Person(
            id=pid,
            languages=frozenset(languages),
            day=START + datetime.timedelta(days=rng.randint(-35, 7)),
            faculty=rng.randint(1, 8),
            programme=rng.choice(PROGRAMMES),
            interests=frozenset(rng.sample(INTERESTS, rng.randint(0, 3))),
            capacity=capacity,
            wants_same_faculty=capacity == 1 and rng.random() < 0.3,
            wants_language=rng.choice(["", "", "", "de", "es"]) if capacity == 1 else "",
        )

    return (
        [person(n, 1, english=rng.random() > 0.04) for n in range(1, students + 1)],
        [
            person(100_000 + n, rng.choices([1, 2, 3, 4], [40, 40, 30, 10])[0], english=True)
            for n in range(buddies)
        ],
    )


def test_matching_3000_students_to_1200_buddies():
    students, buddies = _round(
        int(os.environ.get("BUDDY_BENCH_STUDENTS", 3000)),
        int(os.environ.get("BUDDY_BENCH_BUDDIES", 1200)),
    )
    places = sum(b.capacity for b in buddies)
    tracemalloc.start()
    started = time.perf_counter()
    result = solve(students, buddies)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    bound = min(len(students), places)
    reachable = coverage_bound(students, buddies)
    print(
        f"\nbuddy matching: {len(students)} students, {len(buddies)} buddies, {places} places: "
        f"{seconds:.1f} s, peak {peak / 1e6:.0f} MB; matched {result.matched} of the upper bound "
        f"{bound} ({100 * result.matched / bound:.1f} %), {reachable} reachable with the "
        f"languages spoken; total fit {result.total_fit}"
    )
    assert result.matched == reachable
