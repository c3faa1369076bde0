"""The matching engine: pure Python, numpy and OR-Tools; frozen dataclasses in and out, no ORM.

- `solve(problem)`: the exact optimum (min-cost flow, pruned with a proof; see `exact`).
- `solve_for_need(problem, need_id)`: the incremental path for one new need (see `single`);
  `solve` takes it by itself when the problem holds a single need.
- `solve_greedy(problem)`: the first-come baseline, for comparison only.
- `build_candidates(problem)`: every pair that passes the hard constraints, as numpy arrays.
"""

from matching.engine.candidates import Candidates, build_candidates
from matching.engine.exact import solve
from matching.engine.greedy import solve_greedy
from matching.engine.single import solve_for_need

__all__ = ["Candidates", "build_candidates", "solve", "solve_for_need", "solve_greedy"]
