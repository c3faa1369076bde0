"""The min-cost flow: source → person (capacity 1) → need (capacity headcount) → sink.

A zero-cost bypass arc from source to sink carries the supply no pair uses, so the solver is free
to leave people and places unmatched; only pairs with a negative arc cost (cost − fill_reward)
are ever worth using. The supply is one more than the number of people, so the bypass always
carries flow and the potentials of source and sink are equal (see `pricing`).

Tie-break. Many pairs cost the same, and a flow solver returns whichever optimum its pivots meet
first, which could change with the order of the input. So each arc cost is
`(cost − fill_reward) · scale + offer_rank + need_rank`, the ranks being positions by offer_id and
need_id. A solution has at most `k` pairs and the rank terms of two solutions differ by less
than `k · rank_span <= scale`, while their true costs differ by a multiple of `scale`: the rank
terms can only choose among solutions of equal true cost, and there they prefer lower offer ids
and then lower need ids. Solutions that the sum of ranks cannot tell apart (two people swapping
two equally good needs) are settled by the solver, which is deterministic for the same arcs in the
same order, and arcs are always added in the same order. When the scaled costs would leave the
solver's 64-bit cost range (it multiplies costs by the node count), the scale falls back to 1
and only that solver determinism remains.
"""

from dataclasses import dataclass
from functools import partial

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.engine.encoding import Flags, Indices, Ints, Positions
from matching.engine.parallel import split_map

SOURCE, SINK, FIRST_PERSON = 0, 1, 2
# OR-Tools refuses costs whose magnitude times (nodes + 1) nears 2**63; keep a margin of 2.
COST_LIMIT = 1 << 62
# A second process (see `parallel`) takes calls only when they hold at least this many arcs
# (about 50 ms of solving; a fork costs about 20 ms).
PARALLEL_ARCS = 20_000


@dataclass(frozen=True)
class FlowArcs:
    """Pair arcs of a flow problem over `persons` people and `len(headcount)` needs."""

    person: Indices
    need: Indices
    weight: Ints  # scaled cost with tie-break, negative for every improving pair
    persons: int
    headcount: Ints


def tie_break_scale(
    true_costs: Ints, persons_used: int, places_usable: int, rank_span: int, nodes: int
) -> int:
    """`scale` for the arc costs, or 0 when the tie-break would overflow the solver's range."""
    pairs_at_most = max(1, min(persons_used, places_usable))
    scale = pairs_at_most * max(1, rank_span)
    magnitude = max(-int(true_costs.min(initial=0)), int(true_costs.max(initial=0)))
    largest = magnitude * scale + rank_span
    return scale if largest < COST_LIMIT // (nodes + 1) else 0


def solve_flow(arcs: FlowArcs) -> Flags:
    """Which pair arcs carry flow in an optimal solution."""
    persons, needs = arcs.persons, arcs.headcount.size
    first_need = FIRST_PERSON + persons
    pairs = arcs.person.size
    tails = np.concatenate(
        ([SOURCE], np.full(persons, SOURCE), first_need + np.arange(needs), FIRST_PERSON + arcs.person)
    ).astype(np.int32)
    heads = np.concatenate(
        ([SINK], FIRST_PERSON + np.arange(persons), np.full(needs, SINK), first_need + arcs.need)
    ).astype(np.int32)
    capacities = np.concatenate(([persons + 1], np.ones(persons), arcs.headcount, np.ones(pairs)))
    costs = np.concatenate((np.zeros(1 + persons + needs), arcs.weight))
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        tails, heads, capacities.astype(np.int64), costs.astype(np.int64)
    )
    solver.set_nodes_supplies(
        np.array([SOURCE, SINK], dtype=np.int32), np.array([persons + 1, -(persons + 1)], dtype=np.int64)
    )
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status.name}")
    first_pair = 1 + persons + needs
    flows = solver.flows(np.arange(first_pair, first_pair + pairs, dtype=np.int32))
    return np.asarray(flows) > 0


def solve_parts(arcs: FlowArcs, part: Indices, batch: int) -> Flags:
    """Solve a flow whose arcs fall into independent parts (no person or need in two parts).

    OR-Tools takes far longer on one big graph than on its independent pieces one at a time
    (on a city, about 3× for five wards), so each part is solved on its own; small parts are put
    together up to `batch` arcs per call, which costs little and saves the per-call overhead.
    The calls are independent, so a second core takes about half of them (see `parallel`); each
    call is the same OR-Tools call on either core, so the flows do not depend on who solved it.
    """
    order = np.argsort(part, kind="stable")
    starts = np.flatnonzero(np.r_[True, part[order][1:] != part[order][:-1]]) if order.size else order
    ends = np.r_[starts[1:], order.size]
    calls: list[Positions] = []
    first = 0
    while first < starts.size:
        last = int(np.searchsorted(ends, starts[first] + batch, side="right"))
        last = max(last, first + 1)
        calls.append(order[starts[first] : ends[last - 1]])
        first = last
    used = np.zeros(arcs.person.size, dtype=np.bool_)
    solved = split_map(
        partial(_solve_compact, arcs), calls, [int(chosen.size) for chosen in calls], PARALLEL_ARCS
    )
    for chosen, flows in zip(calls, solved, strict=True):
        used[chosen] = flows
    return used


def _solve_compact(arcs: FlowArcs, chosen: Positions) -> Flags:
    people, person = np.unique(arcs.person[chosen], return_inverse=True)
    needs, need = np.unique(arcs.need[chosen], return_inverse=True)
    compact = FlowArcs(
        person.astype(np.int32),
        need.astype(np.int32),
        arcs.weight[chosen],
        people.size,
        arcs.headcount[needs],
    )
    return solve_flow(compact)
