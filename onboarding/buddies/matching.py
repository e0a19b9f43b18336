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
import functools
from collections import Counter, defaultdict
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


@functools.cache
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
    sparse: bool | None = None,
) -> Result:
    """The matching with the most students matched and, among those, the largest total fit.

    ``fixed`` pairs (student id, buddy id) are kept as they are and use their
    buddy's places; ``forbidden`` pairs are never made. Raises ValueError for a
    fixed pair naming someone unknown, a student fixed twice, or more fixed
    students than a buddy's capacity. ``sparse`` forces (True) or forbids (False) the sparse
    network with pricing; by default it is used for rounds with more than
    ``FULL_NETWORK_PAIRS`` possible pairs. Either way the result is optimal.
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

    flow, fits = _min_cost_flow(student_classes, buddy_classes, free, forbidden, sparse=sparse)

    # Share each class's flow out among its members, in id order.
    places = {b.id: free[b.id] for b in open_buddies}
    for s_index, s_members in enumerate(student_classes):
        waiting = list(s_members)
        outgoing = flow.get(("s", s_index), {})
        taken = sorted(
            (int(key[1]), value) for key, value in outgoing.items() if value and key != "sink"
        )
        for b_node, amount in taken:
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


# Rounds with more possible pairs (student classes times buddy classes) than this are solved
# on a sparse network first and then priced (see ``_min_cost_flow``).
FULL_NETWORK_PAIRS = 150_000
# In the sparse network, each student's best buddies among those looked at first.
CANDIDATES = 10
# How many buddies each student is looked at against at first, beside their faculty's.
SAMPLE = 40

type Node = tuple[str, int] | str
type Edges = dict[tuple[int, int], Fit]


def _upper_fit(student: Person) -> int:
    """The most any buddy can fit ``student`` (what their own answers allow)."""
    return (
        FACULTY * (student.faculty is not None)
        + FACULTY_WISH * (student.faculty is not None and student.wants_same_faculty)
        + PROGRAMME * bool(_programme(student.programme))
        + LANGUAGE_WISH * bool(student.wants_language)
        + INTEREST * min(len(student.interests), MAX_INTERESTS)
        + DATES
    )


type Code = tuple[int, int, int, int, int, bool, int]


class _Coder:
    """People as tuples of integers (bit sets for languages and interests), so that pricing
    scores millions of pairs quickly; ``score`` gives exactly ``fit(...).score``."""

    def __init__(self) -> None:
        self.bits: dict[str, int] = {}
        self.programmes: dict[str, int] = {"": 0}

    def _bit(self, key: str) -> int:
        return self.bits.setdefault(key, 1 << len(self.bits))

    def code(self, person: Person) -> Code:
        languages = 0
        for language in person.languages:
            languages |= self._bit("l:" + language)
        interests = 0
        for interest in person.interests:
            interests |= self._bit("i:" + interest)
        programme = self.programmes.setdefault(_programme(person.programme), len(self.programmes))
        wanted = self._bit("l:" + person.wants_language) if person.wants_language else 0
        faculty = -1 if person.faculty is None else person.faculty
        return (
            languages,
            interests,
            faculty,
            programme,
            person.day.toordinal(),
            person.wants_same_faculty,
            wanted,
        )


def _score(student: Code, buddy: Code) -> int | None:
    """``fit(student, buddy).score`` on codes, or None when they share no language."""
    languages, interests, faculty, programme, day, wants_faculty, wanted = student
    if not languages & buddy[0]:
        return None
    score = 0
    if faculty >= 0 and faculty == buddy[2]:
        score += FACULTY + (FACULTY_WISH if wants_faculty else 0)
    if programme and programme == buddy[3]:
        score += PROGRAMME
    if wanted & buddy[0]:
        score += LANGUAGE_WISH
    score += INTEREST * min((interests & buddy[1]).bit_count(), MAX_INTERESTS)
    late = buddy[4] - day
    return score + (DATES if late <= 0 else max(0, DATES - DATES_PER_DAY_LATE * late))


def _allowed(student: Person, buddy: Person, forbidden: set[tuple[int, int]]) -> Fit | None:
    if (student.id, buddy.id) in forbidden:
        return None
    return fit(student, buddy)


def _network(
    student_classes: list[list[Person]],
    buddy_classes: list[list[Person]],
    free: dict[int, int],
    edges: Edges,
) -> nx.DiGraph:
    graph = nx.DiGraph()
    count = sum(len(members) for members in student_classes)
    places = [sum(free[b.id] for b in members) for members in buddy_classes]
    graph.add_node("source", demand=-count)
    graph.add_node("sink", demand=count)
    for index, total in enumerate(places):
        graph.add_edge(("b", index), "sink", capacity=total, weight=0)
    for index, members in enumerate(student_classes):
        graph.add_edge("source", ("s", index), capacity=len(members), weight=0)
    for (i, j), pair_fit in sorted(edges.items()):
        graph.add_edge(
            ("s", i),
            ("b", j),
            capacity=min(len(student_classes[i]), places[j]),
            weight=MAX_FIT - pair_fit.score,
        )
    # Every student may also go straight to the sink, unmatched, at a cost higher than any
    # whole matching's: the cheapest flow leaves as few unmatched as it can, then maximises fit.
    graph.add_edge("source", "sink", capacity=count, weight=UNMATCHED_COST * (count + 1))
    return graph


def _potentials(graph: nx.DiGraph, flow: dict[Node, dict[Node, int]]) -> dict[Node, int]:
    """Node potentials that prove ``flow`` optimal on ``graph``: shortest distances in the
    residual network from a root joined to every node (it has no negative cycle)."""
    residual = nx.DiGraph()
    residual.add_edges_from((("root", node) for node in graph), weight=0)
    for u, v, data in graph.edges(data=True):
        amount = flow[u][v]
        if amount < data["capacity"]:
            residual.add_edge(u, v, weight=data["weight"])
        if amount > 0:
            residual.add_edge(v, u, weight=-data["weight"])
    distances = nx.single_source_bellman_ford_path_length(residual, "root")
    return {node: int(distance) for node, distance in distances.items() if node != "root"}


def _violations(
    student_classes: list[list[Person]],
    buddy_classes: list[list[Person]],
    potentials: dict[Node, int],
    edges: Edges,
    forbidden: set[tuple[int, int]],
) -> Edges:
    """Pairs left out of the network whose reduced cost is negative (they would improve the
    flow), at most ``CANDIDATES`` per student class, the most negative first.

    The reduced cost of a pair is ``MAX_FIT - fit - gap`` with ``gap`` the buddy's
    potential less the student's: only buddies with a gap larger than
    ``MAX_FIT - _upper_fit(student)`` can have one, so each student is compared
    with those only, largest gap first.
    """
    coder = _Coder()
    buddy_codes = [coder.code(members[0]) for members in buddy_classes]
    buddy_ids = [members[0].id for members in buddy_classes]
    order = sorted(range(len(buddy_classes)), key=lambda j: (-potentials[("b", j)], j))
    ranked = [(potentials[("b", j)], j, buddy_codes[j]) for j in order]
    found: Edges = {}
    for i, members in enumerate(student_classes):
        student = members[0]
        code = coder.code(student)
        floor = MAX_FIT - _upper_fit(student) + potentials[("s", i)]
        better: list[tuple[int, int]] = []
        for potential, j, buddy_code in ranked:
            if potential <= floor:
                break
            score = _score(code, buddy_code)
            if score is None:
                continue
            reduced = MAX_FIT - score - (potential - potentials[("s", i)])
            if reduced < 0 and (i, j) not in edges and (student.id, buddy_ids[j]) not in forbidden:
                better.append((reduced, j))
        for _reduced, j in sorted(better)[:CANDIDATES]:
            pair_fit = fit(student, buddy_classes[j][0])
            if pair_fit is not None:
                found[(i, j)] = pair_fit
    return found


def _first_edges(
    student_classes: list[list[Person]],
    buddy_classes: list[list[Person]],
    forbidden: set[tuple[int, int]],
) -> Edges:
    """Each student's ``CANDIDATES`` best buddies among those of their faculty and a sample
    of the others (the same sample every time): where the sparse network starts."""
    by_faculty: dict[int | None, list[int]] = defaultdict(list)
    for j, members in enumerate(buddy_classes):
        by_faculty[members[0].faculty].append(j)
    total = len(buddy_classes)
    step = max(1, total // SAMPLE)
    coder = _Coder()
    buddy_codes = [coder.code(members[0]) for members in buddy_classes]
    edges: Edges = {}
    for i, members in enumerate(student_classes):
        student = members[0]
        code = coder.code(student)
        looked = set(by_faculty.get(student.faculty, [])) if student.faculty is not None else set()
        looked.update(range(i % step, total, step))
        scored = []
        for j in looked:
            score = _score(code, buddy_codes[j])
            if score is not None and (student.id, buddy_classes[j][0].id) not in forbidden:
                scored.append((-score, j))
        for _negative, j in sorted(scored)[:CANDIDATES]:
            pair_fit = fit(student, buddy_classes[j][0])
            if pair_fit is not None:
                edges[(i, j)] = pair_fit
    return edges


def _min_cost_flow(
    student_classes: list[list[Person]],
    buddy_classes: list[list[Person]],
    free: dict[int, int],
    forbidden: set[tuple[int, int]],
    *,
    sparse: bool | None = None,
) -> tuple[dict[Node, dict[Node, int]], Edges]:
    """The optimal flow and the pairs (class indices) the network held.

    Small rounds get every allowed pair. Large ones start from ``_first_edges``;
    after each solve, node potentials from the residual network price every
    pair left out, and pairs with a negative reduced cost join the network,
    until none is left: then no left-out pair can improve the flow, so it is
    optimal for the whole round (the optimality condition of min-cost flow).
    """
    if not student_classes or not buddy_classes:
        return {}, {}
    if sparse is None:
        sparse = len(student_classes) * len(buddy_classes) > FULL_NETWORK_PAIRS
    if sparse:
        edges = _first_edges(student_classes, buddy_classes, forbidden)
    else:
        edges = {}
        for i, members in enumerate(student_classes):
            for j, buddy_members in enumerate(buddy_classes):
                pair_fit = _allowed(members[0], buddy_members[0], forbidden)
                if pair_fit is not None:
                    edges[(i, j)] = pair_fit
    while True:
        graph = _network(student_classes, buddy_classes, free, edges)
        flow = nx.min_cost_flow(graph)
        if not sparse:
            return flow, edges
        more = _violations(
            student_classes, buddy_classes, _potentials(graph, flow), edges, forbidden
        )
        if not more:
            return flow, edges
        edges.update(more)


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
    (a maximum flow without costs): what the organisers see before they run the matching.

    Only the languages decide whether a pair is allowed, so students and buddies are
    grouped by the languages they speak: a handful of nodes even for a large round.
    """
    wanting: Counter[frozenset[str]] = Counter(s.languages for s in students)
    offering: Counter[frozenset[str]] = Counter()
    for buddy in buddies:
        offering[buddy.languages] += buddy.capacity
    if not wanting or not offering:
        return 0
    graph = nx.DiGraph()
    buddy_groups = sorted(offering, key=sorted)
    for index, languages in enumerate(buddy_groups):
        graph.add_edge(("b", index), "sink", capacity=offering[languages])
    for s_index, languages in enumerate(sorted(wanting, key=sorted)):
        graph.add_edge("source", ("s", s_index), capacity=wanting[languages])
        for b_index, spoken in enumerate(buddy_groups):
            if languages & spoken:
                graph.add_edge(("s", s_index), ("b", b_index), capacity=wanting[languages])
    if "source" not in graph or "sink" not in graph:
        return 0
    value, _flow = nx.maximum_flow(graph, "source", "sink")
    return int(value)
