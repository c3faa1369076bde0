"""Properties of the engine on small random cities, against the pair-by-pair reference."""

import random
from collections import Counter
from dataclasses import replace
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.engine import build_candidates, exact, solve, solve_greedy
from matching.engine.types import Problem, Solution
from tests.matching.engine import reference
from tests.matching.engine.strategies import problems

EXAMPLES = settings(deadline=None)  # as many examples as the profile (tests/conftest.py) runs


def assert_obeys_the_rules(problem: Problem, solution: Solution) -> None:
    offers = {o.offer_id: o for o in problem.offers}
    needs = {n.need_id: n for n in problem.needs}
    fill = problem.weights.fill_reward
    for proposal in solution.proposals:
        offer, need = offers[proposal.offer_id], needs[proposal.need_id]
        assert reference.fits(offer, need, problem.neighbours)
        assert proposal.cost == reference.cost(offer, need, problem) < fill
        assert proposal.person_id == offer.person_id
        assert 1 << proposal.first_slot == need.slots & -need.slots
    people = Counter(p.person_id for p in solution.proposals)
    assert all(count == 1 for count in people.values())
    places = Counter(p.need_id for p in solution.proposals)
    assert all(places[need_id] <= needs[need_id].headcount for need_id in places)
    assert [(p.need_id, p.offer_id) for p in solution.proposals] == sorted(
        (p.need_id, p.offer_id) for p in solution.proposals
    )
    assert solution.objective == sum(p.cost - fill for p in solution.proposals)
    assert solution.places_filled == len(solution.proposals)
    assert solution.needs_filled == sum(places[n.need_id] == n.headcount for n in problem.needs)


@EXAMPLES
@given(problems())
def test_the_engine_obeys_every_rule_and_reaches_the_reference_optimum(problem: Problem) -> None:
    solution = solve(problem)
    expected = reference.optimum(problem)

    assert_obeys_the_rules(problem, solution)
    assert solution.objective == expected.objective
    # Among the optima, the one the tie-break prefers (lowest sum of offer and need ranks).
    assert reference.rank_sum(problem, solution.proposals) == expected.rank_sum


@EXAMPLES
@given(problems(), st.sampled_from([0, exact.WINDOW_ROUNDS]))
def test_the_pruned_search_proves_the_same_optimum(problem: Problem, window_rounds: int) -> None:
    """The start set, the windows and (with 0 window rounds) the growing graph, on tiny cities."""
    expected = reference.optimum(problem)
    with patch.object(exact, "DIRECT_EDGES", 0), patch.object(exact, "WINDOW_ROUNDS", window_rounds):
        candidates = build_candidates(problem)
        result = exact.exact_edges(candidates, problem.weights.fill_reward)
        solution = exact.solve_candidates(problem, candidates)

    assert_obeys_the_rules(problem, solution)
    assert solution.objective == expected.objective
    assert reference.rank_sum(problem, solution.proposals) == expected.rank_sum
    assert result.tie_break


@EXAMPLES
@given(problems(), st.randoms(use_true_random=False))
def test_the_same_problem_gives_the_same_solution_whatever_the_input_order(
    problem: Problem, shuffler: random.Random
) -> None:
    offers, needs = list(problem.offers), list(problem.needs)
    shuffler.shuffle(offers)
    shuffler.shuffle(needs)

    first = solve(problem)

    assert solve(problem) == first
    assert solve(replace(problem, offers=tuple(offers), needs=tuple(needs))) == first


@EXAMPLES
@given(problems())
def test_the_greedy_baseline_obeys_the_rules_and_never_beats_the_engine(problem: Problem) -> None:
    greedy = solve_greedy(problem)

    assert_obeys_the_rules(problem, greedy)
    assert greedy.objective >= solve(problem).objective


@EXAMPLES
@given(problems())
def test_candidates_are_exactly_the_fitting_pairs_one_per_person_and_need(problem: Problem) -> None:
    candidates = build_candidates(problem)
    offers, needs = candidates.offers.offers, candidates.needs.needs

    found = {
        (offers[o].person_id, needs[n].need_id): (offers[o].offer_id, int(c))
        for o, n, c in zip(candidates.offer, candidates.need, candidates.cost, strict=True)
    }

    expected = {key: (pair.offer.offer_id, pair.cost) for key, pair in reference.pairs(problem).items()}
    assert found == expected
    assert len(candidates) == len(expected)
