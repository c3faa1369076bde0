"""Concrete cases with exact expectations: reasons, each hard rule, the incremental path."""

from dataclasses import replace
from typing import Any
from unittest.mock import patch

import pytest

from matching.engine import build_candidates, exact, flow, solve, solve_for_need, solve_greedy
from matching.engine.types import CostWeights, NeedInput, OfferInput, Problem, Reach
from tests.matching.engine import reference

TUESDAY_MORNING = 1 << 3  # day 1 of a horizon starting on Monday, period 0
SAME, NEIGHBOUR, SAME_WARD, OTHER_WARD = 1, 2, 3, 9  # school districts; 1–3 in ward 10


def offer(offer_id: int = 1, **changes: Any) -> OfferInput:
    base = OfferInput(
        offer_id=offer_id,
        person_id=100 + offer_id,
        school_district=SAME,
        ward=10,
        reach=Reach.NEIGHBOURS,
        categories=frozenset({5}),
        slots=TUESDAY_MORNING | 1 << 4,
        recent_load=2,
    )
    return replace(base, **changes)


def need(need_id: int = 1, **changes: Any) -> NeedInput:
    base = NeedInput(
        need_id=need_id, school_district=SAME, ward=10, category=5, slots=TUESDAY_MORNING, headcount=1
    )
    return replace(base, **changes)


def city(offers: list[OfferInput], needs: list[NeedInput], **changes: Any) -> Problem:
    base = Problem(
        offers=tuple(offers),
        needs=tuple(needs),
        neighbours=((SAME, NEIGHBOUR),),
        first_weekday=0,
        skill_names=((11, "傾聴"),),
    )
    return replace(base, **changes)


def proposed(problem: Problem) -> set[tuple[int, int]]:
    return {(p.offer_id, p.need_id) for p in solve(problem).proposals}


def test_a_newcomer_next_door_on_tuesday_morning_gets_the_reasons_staff_read() -> None:
    solution = solve(city([offer(is_newcomer=True, recent_load=0)], [need(), need(2)]))

    assert [p.reason for p in solution.proposals] == ["同じ校区・火曜午前が空いている・初参加"]
    assert solution.proposals[0].first_slot == 3


def test_reasons_name_distance_skills_rest_and_urgency() -> None:
    volunteer = offer(school_district=NEIGHBOUR, reach=Reach.CITY, skills=frozenset({11, 12}), recent_load=0)
    problem = city(
        [volunteer],
        [need(preferred_skills=frozenset({11, 12}), urgency=2, slots=1 << 4, reach=Reach.NEIGHBOURS)],
        first_weekday=4,
    )

    (proposal,) = solve(problem).proposals

    # Day 1 from a Friday is Saturday; skill 12 has no name, so it shows as a plain fit.
    assert proposal.reasons == (
        "隣の校区",
        "土曜午後が空いている",
        "「傾聴」の経験",
        "技能が合う",
        "最近の活動が少ない",
        "急ぎ",
    )
    assert proposal.cost == 20 - 2 * 10 - 2 * 15


@pytest.mark.parametrize(
    ("district", "ward", "reason", "travel"),
    [(SAME_WARD, 10, "同じ区", 50), (OTHER_WARD, 20, "市内", 90)],
)
def test_distance_beyond_the_neighbours(district: int, ward: int, reason: str, travel: int) -> None:
    problem = city([offer(school_district=district, ward=ward, reach=Reach.CITY)], [need(reach=Reach.CITY)])

    (proposal,) = solve(problem).proposals

    assert proposal.reasons[0] == reason
    assert proposal.cost == travel + 2 * 8


@pytest.mark.parametrize(
    ("offer_reach", "need_reach", "matched"),
    [
        (Reach.SAME_DISTRICT, Reach.CITY, False),  # the volunteer does not go next door
        (Reach.CITY, Reach.SAME_DISTRICT, False),  # the need wants someone from its own district
        (Reach.NEIGHBOURS, Reach.NEIGHBOURS, True),
    ],
)
def test_reach_must_hold_both_ways(offer_reach: Reach, need_reach: Reach, matched: bool) -> None:
    problem = city(
        [offer(school_district=NEIGHBOUR, reach=offer_reach)], [need(reach=need_reach), need(2, category=6)]
    )

    assert bool(proposed(problem)) is matched


@pytest.mark.parametrize(
    ("min_age", "max_age", "matched"),
    [(None, None, True), (18, None, False), (None, 75, False), (18, 75, False)],
)
def test_an_unknown_age_fails_any_age_limit(min_age: int | None, max_age: int | None, matched: bool) -> None:
    problem = city([offer(age=None)], [need(min_age=min_age, max_age=max_age), need(2, category=6)])

    assert bool(proposed(problem)) is matched


def test_age_limits_are_inclusive() -> None:
    offers = [offer(1, age=17), offer(2, age=18), offer(3, age=75), offer(4, age=76)]

    problem = city(offers, [need(min_age=18, max_age=75, headcount=4), need(2, category=6)])

    assert proposed(problem) == {(2, 1), (3, 1)}


def test_a_requester_is_never_matched_to_their_own_need() -> None:
    requester = offer(1, is_newcomer=True, recent_load=0)  # the cheapest by far
    problem = city([requester, offer(2)], [need(requester_id=requester.person_id), need(2, category=6)])

    assert proposed(problem) == {(2, 1)}


def test_every_slot_of_the_need_must_be_free_including_the_second_word() -> None:
    late = 1 << 100
    offers = [offer(1, slots=TUESDAY_MORNING), offer(2, slots=TUESDAY_MORNING | late)]

    problem = city(offers, [need(slots=TUESDAY_MORNING | late), need(2, category=6)])

    assert proposed(problem) == {(2, 1)}


def test_required_attributes_and_capacity_are_hard() -> None:
    offers = [
        offer(1, skills=frozenset({11}), qualifications=frozenset({7}), languages=frozenset({"ja", "en"})),
        offer(2, skills=frozenset({11}), qualifications=frozenset({7})),  # no English
        offer(
            3, skills=frozenset({11}), qualifications=frozenset({7}), languages=frozenset({"en"}), capacity=0
        ),
    ]
    wanted = need(
        required_skills=frozenset({11}),
        required_qualifications=frozenset({7}),
        required_languages=frozenset({"en"}),
        headcount=3,
    )

    assert proposed(city(offers, [wanted, need(2, category=6)])) == {(1, 1)}


def test_one_proposal_per_person_even_with_several_offers_the_cheaper_offer_counts() -> None:
    same_person = 500
    offers = [
        offer(1, person_id=same_person, school_district=NEIGHBOUR),
        offer(2, person_id=same_person),  # same district: cheaper
    ]

    candidates = build_candidates(city(offers, [need(), need(2)]))
    solution = solve(city(offers, [need(), need(2)]))

    assert len(candidates) == 2  # one edge per (person, need), not per offer
    assert [(p.offer_id, p.person_id) for p in solution.proposals] == [(2, same_person)]


def test_among_equal_costs_lower_offer_ids_are_chosen_first() -> None:
    offers = [offer(3), offer(1), offer(4), offer(2)]

    solution = solve(city(offers, [need(2, headcount=2), need(1, headcount=1)]))

    assert sorted(p.offer_id for p in solution.proposals) == [1, 2, 3]


def test_among_equal_costs_lower_need_ids_are_filled_first() -> None:
    offers = [offer(1), offer(2), offer(3)]

    solution = solve(city(offers, [need(2, headcount=2), need(1, headcount=2)]))

    assert [p.need_id for p in solution.proposals] == [1, 1, 2]
    assert solution.needs_filled == 1


def test_a_pair_that_costs_more_than_it_fills_is_not_proposed() -> None:
    weights = CostWeights(fill_reward=30)
    offers = [offer(1, recent_load=2), offer(2, recent_load=5)]  # costs 16 and 40

    solution = solve(city(offers, [need(headcount=2), need(2, category=6)], weights=weights))

    assert [p.offer_id for p in solution.proposals] == [1]
    assert solution.objective == 16 - 30
    assert solution.needs_filled == 0


def test_the_incremental_path_equals_the_flow_over_that_need_alone() -> None:
    offers = [
        offer(i, recent_load=i % 3, is_newcomer=i == 4, school_district=(SAME, NEIGHBOUR)[i % 2])
        for i in range(1, 9)
    ]
    needs = [need(1, headcount=3, preferred_skills=frozenset({11})), need(2, headcount=2)]
    problem = city(offers, needs)
    alone = city(offers, [needs[0]])

    incremental = solve_for_need(problem, 1)

    assert incremental == exact.solve_candidates(alone, build_candidates(alone))
    assert incremental == solve(alone)
    assert len(incremental.proposals) == 3
    assert {p.need_id for p in incremental.proposals} == {1}


def test_the_incremental_path_rejects_an_unknown_need() -> None:
    with pytest.raises(ValueError, match="need 7"):
        solve_for_need(city([offer()], [need()]), 7)


@pytest.mark.parametrize(
    ("needs", "message"),
    [([need(), need()], "duplicate need_id"), ([need(slots=0)], "slots"), ([need(headcount=0)], "headcount")],
)
def test_malformed_problems_are_refused(needs: list[NeedInput], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        solve(city([offer()], [*needs, need(9)]))


def test_an_empty_problem_has_an_empty_solution() -> None:
    solution = solve(city([offer()], [need(category=6), need(2, category=6)]))

    assert solution.proposals == ()
    assert (solution.objective, solution.places_filled, solution.needs_filled, solution.candidate_edges) == (
        0,
        0,
        0,
        0,
    )


def test_without_room_for_the_tie_break_the_optimum_is_still_exact() -> None:
    offers = [offer(i, recent_load=i % 4, school_district=(SAME, NEIGHBOUR)[i % 2]) for i in range(1, 12)]
    problem = city(offers, [need(1, headcount=3), need(2, headcount=4), need(3, slots=1 << 4, headcount=2)])

    with patch.object(flow, "COST_LIMIT", 1 << 20):
        result = exact.exact_edges(build_candidates(problem), problem.weights.fill_reward)
        solution = solve(problem)

    assert not result.tie_break
    assert solution.objective == reference.optimum(problem).objective


def test_greedy_serves_the_urgent_need_first_even_when_that_costs_more() -> None:
    offers = [offer(1), offer(2, school_district=NEIGHBOUR)]
    urgent = need(2, urgency=2, reach=Reach.SAME_DISTRICT)  # only offer 1 can go
    normal = need(1, reach=Reach.SAME_DISTRICT)

    greedy = solve_greedy(city(offers, [normal, urgent]))

    assert [(p.need_id, p.offer_id) for p in greedy.proposals] == [(2, 1)]


def test_an_excluded_pair_is_never_proposed_and_the_next_best_takes_the_place() -> None:
    cheapest = offer(1, is_newcomer=True, recent_load=0)
    problem = city([cheapest, offer(2)], [need()])
    assert proposed(problem) == {(1, 1)}
    excluded = replace(problem, excluded_pairs=((cheapest.person_id, 1),))
    assert proposed(excluded) == {(2, 1)}
    assert {(p.offer_id, p.need_id) for p in solve_for_need(excluded, 1).proposals} == {(2, 1)}
    assert all((p.person_id, p.need_id) != (cheapest.person_id, 1) for p in solve_greedy(excluded).proposals)
