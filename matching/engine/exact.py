"""The exact solve: min-cost flows over small working graphs, grown until potentials prove the
flow optimal for every candidate edge.

1. Start set (`pruning`): each need's cheapest candidates, counting shared people fractionally.
   Round one solves it with the edges between wards left out, one ward at a time (OR-Tools is much
   faster on independent pieces, see `flow.solve_parts`).
2. Each round, the potentials of the current flow (`pricing`) give every candidate edge a reduced
   cost. None negative: the flow is optimal for the full candidate set, and the loop ends.
3. Otherwise the next working graph is the *window*: every edge with reduced cost <= 0 (the tight
   ones, the flow's own, and the violating ones). With the tie-break in the costs almost no two
   edges tie, so the window falls apart into thousands of small components (on the benchmark's
   large city, tens of thousands of edges in thousands of components, the largest about a
   thousand edges); only components holding a violating edge are solved again, the others keep
   their flow, which the potentials already prove optimal there.
4. A window may drop edges that a later round wants back, so after WINDOW_ROUNDS rounds the
   working graph only grows: each round then adds at least one violating edge (edges of the
   graph cannot violate: the potentials are feasible on it), so the loop ends.

A problem small enough (DIRECT_EDGES) skips 1–3: its whole candidate set is solved at once, by
components, and the potentials only certify it.

Every step is deterministic, so the same Problem always takes the same rounds to the same
Solution, and the tie-break makes that solution the optimum that prefers lower offer ids and then
lower need ids (see `flow`).
"""

from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import scipy.sparse
from scipy.sparse.csgraph import connected_components

from matching.engine.candidates import Candidates, build_candidates
from matching.engine.encoding import Flags, Indices, Ints, Positions
from matching.engine.flow import FlowArcs, solve_parts, tie_break_scale
from matching.engine.pricing import potentials, price
from matching.engine.pruning import start_set
from matching.engine.reasons import solution_from
from matching.engine.single import solve_for_need
from matching.engine.types import Problem, Solution

_Values = TypeVar("_Values", Indices, Ints)

WINDOW_ROUNDS = 25
BATCH = 5000  # arcs per OR-Tools call when small components are solved together
DIRECT_EDGES = 250_000


@dataclass(frozen=True)
class ExactResult:
    edges: Positions  # chosen candidate edges
    rounds: int
    arcs_solved: int  # pair arcs handed to OR-Tools over all rounds
    tie_break: bool  # False when the tie-break scale did not fit the solver's cost range


def solve(problem: Problem) -> Solution:
    """The optimum. A problem with a single need takes the direct path of `solve_for_need`."""
    if len(problem.needs) == 1:
        return solve_for_need(problem, problem.needs[0].need_id)
    return solve_candidates(problem, build_candidates(problem))


def solve_candidates(problem: Problem, candidates: Candidates) -> Solution:
    return solution_from(candidates, exact_edges(candidates, problem.weights.fill_reward).edges, problem)


def exact_edges(candidates: Candidates, fill_reward: int) -> ExactResult:
    improving = np.flatnonzero(candidates.cost < fill_reward)
    arcs, scale = flow_arcs(candidates, improving, fill_reward)
    if improving.size <= DIRECT_EDGES:
        edges = np.arange(improving.size)
    else:
        start = start_set(
            arcs.person, arcs.need, _take(candidates.cost, improving), arcs.headcount, arcs.persons
        )
        started = np.flatnonzero(start)
        edges = started[_same_ward(candidates, arcs, started)]
    graph = np.zeros(improving.size, dtype=np.bool_)
    graph[edges] = True
    flow = np.zeros(improving.size, dtype=np.bool_)
    flow[edges] = solve_parts(_restricted(arcs, edges), _components(arcs, edges), BATCH)
    arcs_solved, rounds = int(edges.size), 1
    while True:
        # `edges` lists the graph's edges, in edge order, for the potentials and the hot components.
        person_potential, need_potential = potentials(_restricted(arcs, edges), flow[edges])
        violating, window = price(arcs, person_potential, need_potential)
        if not violating.any():
            return ExactResult(improving[flow], rounds, arcs_solved, tie_break=scale > 0)
        window |= flow
        graph = graph | window if rounds > WINDOW_ROUNDS else window
        edges = np.flatnonzero(graph)
        hot = _hot_edges(arcs, edges, violating)
        flow[hot] = False
        flow[hot[solve_parts(_restricted(arcs, hot), _components(arcs, hot), BATCH)]] = True
        flow &= graph
        arcs_solved, rounds = arcs_solved + hot.size, rounds + 1


def _restricted(arcs: FlowArcs, edges: Positions) -> FlowArcs:
    return FlowArcs(arcs.person[edges], arcs.need[edges], arcs.weight[edges], arcs.persons, arcs.headcount)


def _components(arcs: FlowArcs, edges: Positions) -> Indices:
    """Connected component of each given edge, in the graph those edges make."""
    person, need = arcs.person[edges], arcs.need[edges]
    nodes = arcs.persons + arcs.headcount.size
    adjacency = scipy.sparse.coo_array(
        (np.ones(person.size, dtype=np.int8), (person, arcs.persons + need)), shape=(nodes, nodes)
    )
    _, label = connected_components(adjacency, directed=False)
    return label[person].astype(np.int32)


def _hot_edges(arcs: FlowArcs, edges: Positions, violating: Flags) -> Positions:
    """Edges of the graph's (given as its edges) components that hold a violating edge: those need
    solving again."""
    component = _components(arcs, edges)
    hot = np.zeros(int(component.max(initial=-1)) + 1, dtype=np.bool_)
    hot[component[violating[edges]]] = True
    return edges[hot[component]]


def _take(values: _Values, improving: Positions) -> _Values:
    """`values[improving]`, without the copy when every edge is improving (`improving` is sorted)."""
    return values if improving.size == values.size else values[improving]


def _same_ward(candidates: Candidates, arcs: FlowArcs, edges: Positions) -> Flags:
    """Which of the edges have their person living in the need's ward: round one solves each ward
    on its own."""
    offers, needs = candidates.offers, candidates.needs
    _, first_offer = np.unique(offers.person, return_index=True)  # a person's lowest offer decides
    person_ward = offers.cell_ward[offers.cell[first_offer]]
    return person_ward[arcs.person[edges]] == needs.ward[arcs.need[edges]]


def flow_arcs(candidates: Candidates, improving: Positions, fill_reward: int) -> tuple[FlowArcs, int]:
    """The flow's pair arcs for the given (improving) edges, and the tie-break scale used."""
    offers, needs = candidates.offers, candidates.needs
    person, need = _take(candidates.person, improving), _take(candidates.need, improving)
    true_costs = _take(candidates.cost, improving) - fill_reward
    scale = tie_break_scale(
        true_costs,
        persons_used=int(np.count_nonzero(np.bincount(person, minlength=offers.persons))),
        places_usable=int(np.minimum(needs.headcount, np.bincount(need, minlength=len(needs.needs))).sum()),
        rank_span=len(offers.offers) + len(needs.needs),
        nodes=offers.persons + len(needs.needs) + 2,
    )
    weight: Ints = true_costs
    if scale:  # in place: fresh arrays of millions of edges cost page faults
        weight *= scale
        weight += _take(candidates.offer, improving)
        weight += need
    return FlowArcs(person, need, weight, offers.persons, needs.headcount), scale
