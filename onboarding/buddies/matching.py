"""The buddy matching: a min-cost maximum flow, solved with networkx.

Pure Python over plain dataclasses (no database), so it is tested against a
brute force and benchmarked on its own; ``services.matching_run`` feeds it the
round's profiles and stores what it returns. docs/buddies.md explains the
model.

The network::

    source ──1──▶ student ──1, cost──▶ buddy ──free places──▶ sink

Every edge from a student to a buddy is a pair allowed by the hard
constraints (they share a language, the pair is not forbidden); its cost is
``MAX_FIT - fit``. ``networkx.max_flow_min_cost`` first finds the largest
flow (as many students with a buddy as the capacities allow) and then, among
all flows of that size, the cheapest: since every matched student adds
``MAX_FIT`` minus the pair's fit, the cheapest largest flow is the largest
total fit among the largest matchings. Fixed pairs (published ones and the
organisers' pins) are taken out first: their students leave the network and
their buddies' free places shrink.

People with the same answers and no pins or forbids of their own are
interchangeable, so each such class of students, and each class of buddies,
is one node (with the class's count or total free places as capacity): the
flow is the same, the network far smaller. The flow is then shared out among
the members in order of their ids, which with the sorted input makes the
result the same every time for the same round.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx

# What fits, and how much (an integer score: the solver works in integers).
FACULTY = 30
# Added to FACULTY when the student asked for a buddy from their faculty.
FACULTY_WISH = 30
PROGRAMME = 20
# The student named a language they would like their buddy to speak, and the buddy does.
LANGUAGE_WISH = 30
INTEREST = 8
MAX_INTERESTS = 3
DATES = 20
# Points lost per day the buddy is available only after the student arrives.
DATES_PER_DAY_LATE = 2
MAX_FIT = FACULTY + FACULTY_WISH + PROGRAMME + LANGUAGE_WISH + INTEREST * MAX_INTERESTS + DATES
# The cost of leaving one student unmatched, times the number of students: more than
# any set of pairs can cost, so a flow that matches one more student is always cheaper.
UNMATCHED_COST = MAX_FIT + 1

# Reason codes stored on a match (selectors turn them into sentences).
REASONS = (
    "language",
    "faculty",
    "faculty_wish",
    "programme",
    "language_wish",
    "interests",
    "dates",
    "pinned",
)


@dataclass(frozen=True)
class Person:
    """What the matching knows of a student or a buddy (``capacity`` is 1 for a student)."""

    id: int
    languages: frozenset[str]
    day: datetime.date
    faculty: int | None = None
    programme: str = ""
    interests: frozenset[str] = frozenset()
    capacity: int = 1
    wants_same_faculty: bool = False
    wants_language: str = ""

    def answers(self) -> tuple[object, ...]:
        """Everything the fit depends on: people with the same answers are interchangeable."""
        return (
            self.languages,
            self.day,
            self.faculty,
            _programme(self.programme),
            self.interests,
            self.wants_same_faculty,
            self.wants_language,
        )


@dataclass(frozen=True)
class Fit:
    score: int
    reasons: tuple[str, ...]
    shared_languages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Pair:
    student: int
    buddy: int
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Unmatched:
    """A student without a buddy, and why: ``no_language`` (nobody speaks a language of
    theirs), ``forbidden`` (every buddy who could is forbidden) or ``full`` (every buddy who
    could has no free place left)."""

    student: int
    reason: str
    languages: frozenset[str] = frozenset()


@dataclass
class Result:
    pairs: list[Pair] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    # The most students any matching could give a buddy to (the flow's value plus fixed pairs).
    students: int = 0
    capacity: int = 0

    @property
    def matched(self) -> int:
        return len(self.pairs)

    @property
    def total_fit(self) -> int:
        return sum(pair.score for pair in self.pairs)


def _programme(name: str) -> str:
    return " ".join(name.casefold().split())


def fit(student: Person, buddy: Person) -> Fit | None:
    """How well ``buddy`` fits ``student``, or None if they cannot be paired (no shared language)."""
    shared = student.languages & buddy.languages
    if not shared:
        return None
    score = 0
    reasons = ["language"]
    if student.faculty is not None and student.faculty == buddy.faculty:
        score += FACULTY
        reasons.append("faculty")
        if student.wants_same_faculty:
            score += FACULTY_WISH
            reasons.append("faculty_wish")
    programme = _programme(student.programme)
    if programme and programme == _programme(buddy.programme):
        score += PROGRAMME
        reasons.append("programme")
    if student.wants_language and student.wants_language in buddy.languages:
        score += LANGUAGE_WISH
        reasons.append("language_wish")
    common = len(student.interests & buddy.interests)
    if common:
        score += INTEREST * min(common, MAX_INTERESTS)
        reasons.append("interests")
    days_late = (buddy.day - student.day).days
    dates = DATES if days_late <= 0 else max(0, DATES - DATES_PER_DAY_LATE * days_late)
    if dates:
        score += dates
        if days_late <= 0:
            reasons.append("dates")
    return Fit(score=score, reasons=tuple(reasons), shared_languages=frozenset(shared))


def _classes(people: Sequence[Person], special: set[int]) -> list[list[Person]]:
    """People grouped by their answers (sorted by id within, classes by their first id);
    each person in ``special`` is a class alone."""
    groups: dict[object, list[Person]] = defaultdict(list)
    for person in people:
        key = ("id", person.id) if person.id in special else person.answers()
        groups[key].append(person)
    return sorted(groups.values(), key=lambda members: members[0].id)


def solve(
    students: Iterable[Person],
    buddies: Iterable[Person],
    *,
    fixed: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
) -> Result:
    """The matching with the most students matched and, among those, the largest total fit.

    ``fixed`` pairs (student id, buddy id) are kept as they are and use their
    buddy's places; ``forbidden`` pairs are never made. Raises ValueError for a
    fixed pair naming someone unknown, a student fixed twice, or more fixed
    students than a buddy's capacity.
    """
    students = sorted(students, key=lambda p: p.id)
    buddies = sorted(buddies, key=lambda p: p.id)
    by_id = {p.id: p for p in buddies}
    student_ids = {p.id: p for p in students}
    forbidden = set(forbidden)
    free = {b.id: b.capacity for b in buddies}
    result = Result(students=len(students), capacity=sum(free.values()))
    fixed_students: set[int] = set()
    for student_id, buddy_id in sorted(set(fixed)):
        if student_id not in student_ids or buddy_id not in by_id:
            raise ValueError(f"Fixed pair ({student_id}, {buddy_id}) names someone unknown.")
        if student_id in fixed_students:
            raise ValueError(f"Student {student_id} is fixed to two buddies.")
        free[buddy_id] -= 1
        if free[buddy_id] < 0:
            raise ValueError(f"Buddy {buddy_id} has more fixed students than places.")
        fixed_students.add(student_id)
        known = fit(student_ids[student_id], by_id[buddy_id])
        result.pairs.append(
            Pair(
                student=student_id,
                buddy=buddy_id,
                score=known.score if known else 0,
                reasons=(known.reasons if known else ()) + ("pinned",),
            )
        )
    open_students = [s for s in students if s.id not in fixed_students]
    open_buddies = [b for b in buddies if free[b.id] > 0]
    special_students = {s for s, _b in forbidden}
    special_buddies = {b for _s, b in forbidden}
    student_classes = _classes(open_students, special_students)
    buddy_classes = _classes(open_buddies, special_buddies)

    graph = nx.DiGraph()
    source, sink = "source", "sink"
    graph.add_node(source)
    graph.add_node(sink)
    for index, members in enumerate(buddy_classes):
        graph.add_edge(("b", index), sink, capacity=sum(free[b.id] for b in members), weight=0)
    fits: dict[tuple[int, int], Fit] = {}
    for s_index, s_members in enumerate(student_classes):
        student = s_members[0]
        graph.add_edge(source, ("s", s_index), capacity=len(s_members), weight=0)
        for b_index, b_members in enumerate(buddy_classes):
            buddy = b_members[0]
            if (student.id, buddy.id) in forbidden:
                continue
            pair_fit = fit(student, buddy)
            if pair_fit is None:
                continue
            fits[(s_index, b_index)] = pair_fit
            graph.add_edge(
                ("s", s_index),
                ("b", b_index),
                capacity=min(len(s_members), sum(free[b.id] for b in b_members)),
                weight=MAX_FIT - pair_fit.score,
            )
    flow: dict = {}
    if fits:
        # One min-cost flow instead of a maximum flow and then a min-cost flow: every
        # student may also go straight to the sink, unmatched, at a cost higher than
        # the whole matching's (see the module docstring), so the cheapest flow leaves
        # as few students unmatched as possible before it looks at fit.
        count = sum(len(members) for members in student_classes)
        graph.nodes[source]["demand"] = -count
        graph.nodes[sink]["demand"] = count
        graph.add_edge(source, sink, capacity=count, weight=UNMATCHED_COST * (count + 1))
        flow = nx.min_cost_flow(graph)

    # Share each class's flow out among its members, in id order.
    places = {b.id: free[b.id] for b in open_buddies}
    for s_index, s_members in enumerate(student_classes):
        waiting = list(s_members)
        outgoing = flow.get(("s", s_index), {})
        for b_node, amount in sorted((key[1], value) for key, value in outgoing.items() if value):
            pair_fit = fits[(s_index, b_node)]
            for _ in range(amount):
                buddy = next(b for b in buddy_classes[b_node] if places[b.id] > 0)
                places[buddy.id] -= 1
                student = waiting.pop(0)
                result.pairs.append(
                    Pair(
                        student=student.id,
                        buddy=buddy.id,
                        score=pair_fit.score,
                        reasons=pair_fit.reasons,
                    )
                )
        for student in waiting:
            result.unmatched.append(why_unmatched(student, buddies, forbidden))
    result.pairs.sort(key=lambda pair: pair.student)
    result.unmatched.sort(key=lambda u: u.student)
    return result


def why_unmatched(
    student: Person, buddies: Sequence[Person], forbidden: set[tuple[int, int]]
) -> Unmatched:
    speakers = [b for b in buddies if student.languages & b.languages]
    if not speakers:
        return Unmatched(student=student.id, reason="no_language", languages=student.languages)
    if all((student.id, b.id) in forbidden for b in speakers):
        return Unmatched(student=student.id, reason="forbidden", languages=student.languages)
    return Unmatched(student=student.id, reason="full", languages=student.languages)


def coverage_bound(students: Sequence[Person], buddies: Sequence[Person]) -> int:
    """The most students any matching can give a buddy, languages and capacities considered
    (a maximum flow without costs): what the organisers see before they run the matching."""
    student_classes = _classes(sorted(students, key=lambda p: p.id), set())
    buddy_classes = _classes(sorted(buddies, key=lambda p: p.id), set())
    graph = nx.DiGraph()
    for index, members in enumerate(buddy_classes):
        graph.add_edge(("b", index), "sink", capacity=sum(b.capacity for b in members))
    for s_index, s_members in enumerate(student_classes):
        graph.add_edge("source", ("s", s_index), capacity=len(s_members))
        for b_index, b_members in enumerate(buddy_classes):
            if s_members[0].languages & b_members[0].languages:
                graph.add_edge(("s", s_index), ("b", b_index), capacity=len(s_members))
    if "source" not in graph or "sink" not in graph:
        return 0
    value, _flow = nx.maximum_flow(graph, "source", "sink")
    return int(value)
