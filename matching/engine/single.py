"""One need against the open offers: the incremental path.

With the other needs fixed, the best choice for one need is simply its `headcount` cheapest
improving candidates, one per person, ties going to the lower offer_id — exactly what the flow
with its tie-break would choose for a problem holding only this need, without building a flow.
The offers' encoding is cached for the same tuple of offers (see `encoding.offer_table`), so a
caller that keeps its tuple of open offers pays only for this need's comparisons.
"""

import numpy as np

from matching.engine.candidates import candidates_for
from matching.engine.encoding import encode_needs, offer_table, sorted_needs
from matching.engine.reasons import solution_from
from matching.engine.types import Problem, Solution


def solve_for_need(problem: Problem, need_id: int) -> Solution:
    """Proposals for the need `need_id` only; the problem's other needs are ignored.

    Everyone in `problem.offers` counts as free: the caller leaves out people who already hold
    an open proposal.
    """
    need = next((n for n in problem.needs if n.need_id == need_id), None)
    if need is None:
        raise ValueError(f"need {need_id} is not in the problem")
    offers = offer_table(problem.offers)
    needs = encode_needs(sorted_needs((need,)), offers)
    candidates = candidates_for(offers, needs, problem.neighbours, problem.weights, problem.excluded_pairs)
    improving = np.flatnonzero(candidates.cost < problem.weights.fill_reward)
    best = improving[np.lexsort((candidates.offer[improving], candidates.cost[improving]))]
    return solution_from(candidates, best[: need.headcount], problem)
