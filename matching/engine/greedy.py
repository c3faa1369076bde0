"""The baseline the exact solve is measured against: first come, cheapest first.

Needs go by urgency (most urgent first), then need_id; each takes its cheapest improving
candidates whose person is still free, ties going to the lower offer_id.
"""

import numpy as np

from matching.engine.candidates import Candidates, build_candidates
from matching.engine.encoding import Positions
from matching.engine.reasons import solution_from
from matching.engine.types import Problem, Solution


def solve_greedy(problem: Problem) -> Solution:
    candidates = build_candidates(problem)
    return solution_from(candidates, greedy_edges(candidates, problem.weights.fill_reward), problem)


def greedy_edges(candidates: Candidates, fill_reward: int) -> Positions:
    needs = candidates.needs
    order = np.argsort(candidates.need, kind="stable")  # keeps offer order within a need
    bounds = np.searchsorted(candidates.need[order], np.arange(len(needs.needs) + 1))
    taken = np.zeros(candidates.offers.persons, dtype=np.bool_)
    chosen: list[Positions] = []
    for need in np.lexsort((np.arange(len(needs.needs)), -needs.urgency)):
        edges = order[bounds[need] : bounds[need + 1]]
        edges = edges[(candidates.cost[edges] < fill_reward) & ~taken[candidates.person[edges]]]
        edges = edges[np.argsort(candidates.cost[edges], kind="stable")][: needs.headcount[need]]
        taken[candidates.person[edges]] = True
        chosen.append(edges)
    return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.intp)
