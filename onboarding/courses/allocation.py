"""The fair allocation of an application round's places: a min-cost flow.

Pure: it reads nothing and writes nothing. ``allocate`` takes the applicants
in priority order (the language centre's rules, then the lot), each with the
courses they want ranked, and the free places of each course, and returns
who gets which course.

The model
---------

A flow network with one unit of flow per student:

* source → each student, capacity 1 (one place per student: a round is one
  level in one semester, so this is the rule "one place per level and
  semester");
* student → each course they ranked, capacity 1, cost described below;
* course → sink, capacity the course's free places;
* source → sink, a bypass of capacity n and cost 0, for the students who
  get no place.

The source supplies n units and the sink takes n, so every student is
either placed or bypassed. The cost of placing student *i* (0 is the first
in priority order, n students) on their choice of rank *r* (1 is their
first choice) is

    r · (BIG + w_i) − REWARD_i,  with  w_i = n − i,
    BIG = max_rank · Σ w_i + 1,  REWARD_i = 2^(n−1−i) · (max_rank · (BIG + n) · n + 1).

A min-cost flow minimises, in this order of importance (each term outweighs
everything after it):

1. **Who gets a place follows the priority order strictly.** The rewards are
   powers of two, and each outweighs all preference costs together, so the
   placed set is the lexicographically best one: nobody gets a place that,
   given to someone earlier in the order instead, would have let that person
   in. Among the sets that do, the largest number of people get a place.
2. **Preferences.** Among allocations of that set, the smallest sum of ranks:
   as many first choices as possible.
3. **Ties go to priority.** Among those, earlier students' ranks weigh more
   (``w_i``), so of two equally good allocations, the earlier student gets the
   better choice.

networkx's network simplex solves the flow exactly in integers (Python's
integers do not overflow), so the result is optimal for this objective; the
tests compare it with a brute force over every assignment of small rounds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

SOURCE, SINK = "source", "sink"


@dataclass(frozen=True)
class Applicant:
    """A student in the round, in priority order; ``choices`` are course ids, first choice first."""

    key: int
    choices: tuple[int, ...]


@dataclass(frozen=True)
class Allocation:
    """Who got which course ({applicant key: course id}) and the rank of that choice (1 is first)."""

    placed: dict[int, int]
    ranks: dict[int, int]

    def unplaced(self, applicants: Sequence[Applicant]) -> list[int]:
        return [a.key for a in applicants if a.key not in self.placed]


def objective(
    applicants: Sequence[Applicant], placed: Mapping[int, int]
) -> tuple[tuple[bool, ...], int, int]:
    """What the allocation optimises, as a key to maximise: see the module's docstring.

    (who is placed, in priority order; minus the sum of ranks; minus the
    priority-weighted sum of ranks).
    """
    n = len(applicants)
    rank_sum = weighted = 0
    for index, applicant in enumerate(applicants):
        course = placed.get(applicant.key)
        if course is not None:
            rank = applicant.choices.index(course) + 1
            rank_sum += rank
            weighted += rank * (n - index)
    return tuple(a.key in placed for a in applicants), -rank_sum, -weighted


def allocate(applicants: Sequence[Applicant], places: Mapping[int, int]) -> Allocation:
    """The optimal allocation of ``places`` ({course id: free places}) to ``applicants``.

    ``applicants`` come in priority order; choices of courses not in
    ``places`` (or with no free place) are skipped, and a rank stays the
    student's own (their second choice is rank 2 even when the first is full).
    """
    n = len(applicants)
    if n == 0:
        return Allocation(placed={}, ranks={})
    # Each student's own ranks (a repeat keeps its first rank).
    cleaned = [Applicant(a.key, tuple(dict.fromkeys(a.choices))) for a in applicants]
    max_rank = max((len(a.choices) for a in cleaned), default=0)
    weights = [n - index for index in range(n)]
    big = max_rank * sum(weights) + 1
    unit = max_rank * (big + n) * n + 1
    graph = nx.DiGraph()
    graph.add_node(SOURCE, demand=-n)
    graph.add_node(SINK, demand=n)
    graph.add_edge(SOURCE, SINK, capacity=n, weight=0)
    for course, free in places.items():
        if free > 0:
            graph.add_edge(("course", course), SINK, capacity=free, weight=0)
    for index, applicant in enumerate(cleaned):
        node = ("student", index)
        graph.add_edge(SOURCE, node, capacity=1, weight=0)
        reward = (2 ** (n - 1 - index)) * unit
        for rank, course in enumerate(applicant.choices, start=1):
            if places.get(course, 0) <= 0:
                continue
            cost = rank * (big + weights[index]) - reward
            graph.add_edge(node, ("course", course), capacity=1, weight=cost)
    flow = nx.min_cost_flow(graph)
    placed: dict[int, int] = {}
    ranks: dict[int, int] = {}
    for index, applicant in enumerate(cleaned):
        for target, amount in flow[("student", index)].items():
            if amount:
                course = target[1]
                placed[applicant.key] = course
                ranks[applicant.key] = applicant.choices.index(course) + 1
    return Allocation(placed=placed, ranks=ranks)
