"""Pruning with a proof: node potentials of an optimal flow, and the reduced cost of every edge.

OR-Tools' Python wrapper does not expose its dual prices, so they are derived from the flow. A
flow is optimal exactly when some potentials `π` give every residual arc a non-negative reduced
cost `w + π(tail) − π(head)`. Of all such potentials, the ones that prove the most left-out edges
are those that price each need as highly as possible (π(n) low), since a left-out edge usually
comes from a person with no pair. Those are minus the shortest distances *to the sink* in the
residual graph, which in this network have a small shape (the bypass puts source and sink at 0):

- a need with open places reaches the sink at 0; a full one only through one of its pairs,
  backwards: `dist(n) = min(−w(p, n) + dist(p))` over its paired people p;
- a paired person steps back to the source at 0, or moves on over an unused arc:
  `dist(p) = min(0, min(w(p, n') + dist(n')))`.

Iterating these two rules over all arcs at once is Bellman–Ford; it settles in as many rounds as
the longest alternating path. People without a pair then take π = 0 and paired people the highest
value their pair allows, which keeps every residual arc non-negative. The result is checked on
every residual arc, so the proof does not rest on the solver having been right.

If every left-out edge also has a non-negative reduced cost, the potentials prove the flow optimal
for the full edge set (no negative cycle can exist); those that do not go back in.
"""

import numpy as np

from matching.engine.encoding import Flags, Indices, Ints
from matching.engine.flow import FlowArcs

UNREACHED = 1 << 62


def potentials(arcs: FlowArcs, used: Flags) -> tuple[Ints, Ints]:
    """(person, need) potentials proving an optimal flow optimal; raises if it is not."""
    paired, pair_need, pair_weight = arcs.person[used], arcs.need[used], arcs.weight[used]
    filled = np.bincount(pair_need, minlength=arcs.headcount.size)
    need_base = np.where(filled < arcs.headcount, 0, UNREACHED).astype(np.int64)
    person_base = np.full(arcs.persons, UNREACHED, dtype=np.int64)
    person_base[paired] = 0
    free = np.flatnonzero(~used)
    free = free[np.argsort(arcs.person[free], kind="stable")]
    free_person, free_need, free_weight = arcs.person[free], arcs.need[free], arcs.weight[free]
    starts = np.flatnonzero(np.r_[True, free_person[1:] != free_person[:-1]]) if free.size else free
    tails = free_person[starts]
    need_distance = need_base
    for _ in range(arcs.headcount.size + 2):
        person_distance = person_base.copy()
        if free.size:
            onward = np.minimum.reduceat(free_weight + need_distance[free_need], starts)
            person_distance[tails] = np.minimum(person_distance[tails], onward)
        next_distance = need_base.copy()
        np.minimum.at(next_distance, pair_need, person_distance[paired] - pair_weight)
        if np.array_equal(next_distance, need_distance):
            return _raised(arcs, used, filled, need_distance)
        need_distance = next_distance
    raise RuntimeError("the flow is not optimal: its residual graph has a negative cycle")


def _raised(arcs: FlowArcs, used: Flags, filled: Ints, need_distance: Ints) -> tuple[Ints, Ints]:
    need_potential = -need_distance
    person_potential = np.zeros(arcs.persons, dtype=np.int64)
    person_potential[arcs.person[used]] = need_potential[arcs.need[used]] - arcs.weight[used]
    reduced = reduced_costs(arcs.person, arcs.need, arcs.weight, person_potential, need_potential)
    broken = (
        (reduced[~used] < 0).any()  # unused pair arcs
        or (need_potential[filled < arcs.headcount] < 0).any()  # need → sink while places are open
        or (need_potential[filled > 0] > 0).any()  # sink → need while it has flow
        or (person_potential[arcs.person[used]] < 0).any()  # paired person → source
    )
    if broken:
        raise RuntimeError("the flow is not optimal: a residual arc has a negative reduced cost")
    return person_potential, need_potential


PRICE_BLOCK = 1 << 18  # edges priced at a time: small temporaries, reused, in cache


def price(arcs: FlowArcs, person_potential: Ints, need_potential: Ints) -> tuple[Flags, Flags]:
    """(violating, tight) of every edge: reduced cost < 0, and <= 0.

    Block by block, so that the temporaries stay small: a fresh 5.9M-edge int64 array per round
    costs more in page faults than the arithmetic does.
    """
    size = arcs.person.size
    violating = np.empty(size, dtype=np.bool_)
    tight = np.empty(size, dtype=np.bool_)
    block = max(1, min(PRICE_BLOCK, size))
    reduced = np.empty(block, dtype=np.int64)
    opposite = np.empty(block, dtype=np.int64)
    for first in range(0, size, block):
        last = min(first + block, size)
        here, there = reduced[: last - first], opposite[: last - first]
        np.take(person_potential, arcs.person[first:last], out=here)
        here += arcs.weight[first:last]
        np.take(need_potential, arcs.need[first:last], out=there)
        np.less(here, there, out=violating[first:last])
        np.less_equal(here, there, out=tight[first:last])
    return violating, tight


def reduced_costs(
    person: Indices, need: Indices, weight: Ints, person_distance: Ints, need_distance: Ints
) -> Ints:
    return weight + person_distance[person] - need_distance[need]
