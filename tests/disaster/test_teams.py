"""The disaster centre's team dispatch (disaster/teams.py): validity of every plan, the optimum
against brute force on small problems, each level of the objective, and `validate_plan`."""

import dataclasses
import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disaster.teams import (
    DispatchPlan,
    NeedInput,
    TeamPlan,
    TeamProblem,
    VolunteerInput,
    encode_objective,
    plan_levels,
    solve_teams,
    team_sizes,
    validate_plan,
)

Levels = tuple[int, ...]


def adult(
    volunteer_id: int,
    days: int = 0,
    *,
    skills: frozenset[str] = frozenset(),
    licences: frozenset[str] = frozenset(),
    has_vehicle: bool = False,
) -> VolunteerInput:
    return VolunteerInput(volunteer_id, skills, licences, has_vehicle, days, is_adult=True)


def minor(volunteer_id: int, days: int = 0) -> VolunteerInput:
    return VolunteerInput(volunteer_id, disaster_days=days, is_adult=False)


def need(
    need_id: int,
    helpers: int,
    urgency: int = 3,
    *,
    required_skills: frozenset[str] = frozenset(),
    required_licences: frozenset[str] = frozenset(),
    needs_vehicle: bool = False,
    received_order: int = 0,
) -> NeedInput:
    return NeedInput(
        need_id,
        helpers,
        "mud_removal",
        required_skills,
        required_licences,
        needs_vehicle,
        urgency,
        received_order,
    )


def solved(problem: TeamProblem) -> DispatchPlan:
    plan = solve_teams(problem)
    assert validate_plan(problem, plan) == []
    assert plan.optimal
    return plan


# --- an independent brute force ---------------------------------------------------------------


def team_is_valid(
    problem: TeamProblem, need: NeedInput, capacity: int, members: list[VolunteerInput]
) -> bool:
    return (
        max(problem.min_team_size, 2) <= len(members) <= capacity
        and sum(m.is_adult for m in members) >= 2
        and all(any(s in m.skills for m in members) for s in need.required_skills)
        and all(any(c in m.licences for m in members) for c in need.required_licences)
        and (not need.needs_vehicle or any(m.has_vehicle for m in members))
    )


def levels_of(problem: TeamProblem, teams: list[tuple[NeedInput, list[VolunteerInput]]]) -> Levels:
    """The objective's levels as the task states them, written without the engine's code."""
    by_order = sorted(problem.needs, key=lambda n: (n.received_order, n.need_id))
    weight = {n.need_id: len(by_order) - i for i, n in enumerate(by_order)}
    helpers = [sum(len(m) for n, m in teams if n.urgency == u) for u in (1, 2, 3)]
    served = len({n.need_id for n, _ in teams})
    experienced = sum(any(v.is_adult and v.disaster_days > 0 for v in m) for _, m in teams)
    fit = sum(
        bool(v.skills & n.required_skills or v.licences & n.required_licences) for n, m in teams for v in m
    )
    order = sum(len(m) * weight[n.need_id] for n, m in teams)
    return (*helpers, served, experienced, fit, order)


def brute_force(problem: TeamProblem) -> Levels:
    """The best levels over every assignment of volunteers to planned teams (or none)."""
    slots = [(n, size) for n in problem.needs for size in team_sizes(n.helpers_needed, problem.team_size)]
    best: Levels = levels_of(problem, [])
    for choice in itertools.product(range(len(slots) + 1), repeat=len(problem.volunteers)):
        members: list[list[VolunteerInput]] = [[] for _ in slots]
        for volunteer, slot in zip(problem.volunteers, choice, strict=True):
            if slot:
                members[slot - 1].append(volunteer)
        teams = [(slots[i][0], m) for i, m in enumerate(members) if m]
        if all(team_is_valid(problem, *slots[i], m) for i, m in enumerate(members) if m):
            best = max(best, levels_of(problem, teams))
    return best


def random_problem(rng: random.Random) -> TeamProblem:
    team_size = rng.choice((3, 4))
    while True:
        needs = tuple(
            NeedInput(
                need_id=10 + i,
                helpers_needed=rng.randint(2, 2 * team_size),
                work_type=rng.choice(("mud_removal", "clearing", "shelter_support")),
                required_skills=frozenset({"first_aid"} if rng.random() < 0.2 else ()),
                required_licences=frozenset({"chainsaw"} if rng.random() < 0.3 else ()),
                needs_vehicle=rng.random() < 0.3,
                urgency=rng.randint(1, 3),
                received_order=rng.randint(0, 3),
            )
            for i in range(rng.randint(1, 3))
        )
        slots = sum(len(team_sizes(n.helpers_needed, team_size)) for n in needs)
        if slots <= 4:
            break
    volunteers = tuple(
        VolunteerInput(
            volunteer_id=100 + i,
            skills=frozenset({"first_aid"} if rng.random() < 0.3 else ()),
            licences=frozenset({"chainsaw"} if rng.random() < 0.35 else ()),
            has_vehicle=rng.random() < 0.4,
            disaster_days=rng.choice((0, 0, 1, 5)),
            is_adult=rng.random() < 0.85,
        )
        for i in range(rng.randint(3, 7 if slots <= 3 else 6))
    )
    return TeamProblem(volunteers, needs, team_size=team_size, min_team_size=rng.choice((2, 2, 3)))


@pytest.mark.parametrize("seed", range(40))
def test_the_optimum_equals_brute_force_on_small_problems(seed: int) -> None:
    problem = random_problem(random.Random(seed))
    plan = solved(problem)
    best = brute_force(problem)
    assert plan.levels == best
    assert plan.objective == encode_objective(problem, best)


# --- every plan is valid ----------------------------------------------------------------------


@st.composite
def problems(draw: st.DrawFn) -> TeamProblem:
    people = draw(st.integers(0, 14))
    volunteers = tuple(
        VolunteerInput(
            volunteer_id=i,
            skills=draw(st.frozensets(st.sampled_from(("first_aid", "care")))),
            licences=draw(st.frozensets(st.just("chainsaw"))),
            has_vehicle=draw(st.booleans()),
            disaster_days=draw(st.integers(0, 30)),
            is_adult=draw(st.booleans()),
        )
        for i in range(people)
    )
    needs = tuple(
        NeedInput(
            need_id=100 + i,
            helpers_needed=draw(st.integers(1, 12)),
            work_type="clearing",
            required_skills=draw(st.frozensets(st.sampled_from(("first_aid", "care")), max_size=1)),
            required_licences=draw(st.frozensets(st.just("chainsaw"))),
            needs_vehicle=draw(st.booleans()),
            urgency=draw(st.integers(1, 3)),
            received_order=draw(st.integers(0, 5)),
        )
        for i in range(draw(st.integers(0, 4)))
    )
    team_size = draw(st.integers(2, 6))
    return TeamProblem(volunteers, needs, team_size, draw(st.integers(1, team_size)))


@given(problems())
def test_every_plan_keeps_every_rule(problem: TeamProblem) -> None:
    plan = solved(problem)
    assert plan.levels == plan_levels(problem, plan.teams)
    assert plan.objective == encode_objective(problem, plan.levels)
    for team in plan.teams:
        assert max(problem.min_team_size, 2) <= len(team.member_ids) <= problem.team_size


# --- each rule and level, by hand --------------------------------------------------------------


def test_a_big_need_is_split_into_the_fewest_most_equal_teams() -> None:
    assert team_sizes(20, 8) == (7, 7, 6)
    assert team_sizes(16, 8) == (8, 8)
    assert team_sizes(9, 8) == (5, 4)
    assert team_sizes(3, 8) == (3,)
    problem = TeamProblem(tuple(adult(i) for i in range(1, 25)), (need(1, 20),))
    plan = solved(problem)
    assert [(t.team_number, len(t.member_ids)) for t in plan.teams] == [(1, 7), (2, 7), (3, 6)]
    assert len(plan.unassigned_volunteer_ids) == 4
    assert "3班編成の1班目" in plan.teams[0].reasons


def test_one_more_helper_on_an_urgent_need_beats_more_on_a_less_urgent_one() -> None:
    # Three adults: two to the urgent need, or all three to the other.
    problem = TeamProblem((adult(1), adult(2), adult(3)), (need(1, 3, urgency=3), need(2, 2, urgency=1)))
    plan = solved(problem)
    assert [(t.need_id, t.member_ids) for t in plan.teams] == [(2, (1, 2))]
    assert plan.unserved_need_ids == (1,)
    assert plan.levels[:3] == (2, 0, 0)


def test_a_need_asking_for_a_chainsaw_never_gets_a_team_without_one() -> None:
    chainsaw = frozenset({"chainsaw"})
    needs = (
        need(1, 4, urgency=1, required_licences=chainsaw),
        need(2, 4, urgency=1, required_licences=chainsaw),
    )
    without = TeamProblem(tuple(adult(i) for i in range(1, 9)), needs)
    assert solved(without).teams == ()
    one_holder = dataclasses.replace(without, volunteers=(*without.volunteers, adult(9, licences=chainsaw)))
    plan = solved(one_holder)
    assert len(plan.teams) == 1
    assert 9 in plan.teams[0].member_ids
    assert "チェーンソー資格者あり" in plan.teams[0].reasons


def test_a_vehicle_and_a_skill_are_held_per_team() -> None:
    volunteers = (
        adult(1, has_vehicle=True),
        adult(2, skills=frozenset({"first_aid"})),
        adult(3),
        adult(4),
        adult(5, has_vehicle=True, skills=frozenset({"first_aid"})),
        adult(6),
    )
    problem = TeamProblem(
        volunteers, (need(1, 6, needs_vehicle=True, required_skills=frozenset({"first_aid"})),), 3
    )
    plan = solved(problem)
    assert len(plan.teams) == 2
    assert all({1, 2} <= set(t.member_ids) or 5 in t.member_ids for t in plan.teams)
    assert {"車両あり", "応急手当の技能者あり"} <= set(plan.teams[0].reasons)


def test_teams_stay_within_team_size_and_min_team_size() -> None:
    problem = TeamProblem(tuple(adult(i) for i in range(1, 12)), (need(1, 30), need(2, 2)), 4, 3)
    plan = solved(problem)
    assert all(3 <= len(t.member_ids) <= 4 for t in plan.teams)
    assert plan.unserved_need_ids == (2,)  # two places, fewer than min_team_size
    assert len(plan.unassigned_volunteer_ids) == 11 - sum(len(t.member_ids) for t in plan.teams)


def test_nobody_works_alone_and_two_adults_lead() -> None:
    problem = TeamProblem((adult(1, 40), minor(2, 90), minor(3)), (need(1, 3),))
    assert solved(problem).teams == ()


def test_leader_and_sub_leader_are_the_two_most_experienced_adults() -> None:
    volunteers = (minor(1, 50), adult(2, 3), adult(3, 12), adult(4, 3), adult(5, 0))
    plan = solved(TeamProblem(volunteers, (need(1, 5),)))
    (team,) = plan.teams
    assert (team.leader_id, team.sub_leader_id) == (3, 2)  # 12 days, then 3 days with the lower id
    assert {"リーダー: 活動12日", "サブリーダー: 活動3日", "経験者を含む"} <= set(team.reasons)


def test_experienced_adults_are_spread_over_teams() -> None:
    volunteers = (adult(1, 5), adult(2, 7), adult(3), adult(4))
    plan = solved(TeamProblem(volunteers, (need(1, 4),), team_size=2))
    assert [len({1, 2} & set(t.member_ids)) for t in plan.teams] == [1, 1]
    assert plan.levels[4] == 2


def test_helpers_are_spread_over_needs_before_stacking_on_one() -> None:
    problem = TeamProblem(tuple(adult(i) for i in range(1, 5)), (need(1, 4), need(2, 4)))
    plan = solved(problem)
    assert [(t.need_id, len(t.member_ids)) for t in plan.teams] == [(1, 2), (2, 2)]


def test_among_equals_the_need_asked_first_is_served() -> None:
    needs = (need(1, 3, received_order=5), need(2, 3, received_order=1))
    plan = solved(TeamProblem((adult(1), adult(2), adult(3)), needs))
    assert [t.need_id for t in plan.teams] == [2]


def test_licence_names_come_from_the_problem() -> None:
    problem = TeamProblem(
        (adult(1, licences=frozenset({"crane"})), adult(2)),
        (need(1, 2, required_licences=frozenset({"crane"})),),
        names=(("crane", "クレーン"),),
    )
    assert "クレーン資格者あり" in solved(problem).teams[0].reasons
    unnamed = dataclasses.replace(problem, names=())
    assert "crane資格者あり" in solved(unnamed).teams[0].reasons


def test_the_same_problem_gives_the_same_plan_in_any_input_order() -> None:
    problem = random_problem(random.Random(7))
    bigger = dataclasses.replace(problem, volunteers=tuple(adult(200 + i, i % 3) for i in range(30)))
    reversed_problem = dataclasses.replace(
        bigger, volunteers=bigger.volunteers[::-1], needs=bigger.needs[::-1]
    )
    assert solve_teams(bigger) == solve_teams(bigger) == solve_teams(reversed_problem)


def test_a_time_limit_too_short_says_the_plan_is_not_optimal() -> None:
    rng = random.Random(3)
    volunteers = tuple(adult(i, rng.randint(0, 9), has_vehicle=rng.random() < 0.2) for i in range(150))
    needs = tuple(need(i, rng.randint(2, 30), rng.randint(1, 3), needs_vehicle=i % 4 == 0) for i in range(25))
    problem = TeamProblem(volunteers, needs)
    plan = solve_teams(problem, time_limit_seconds=0.001)
    assert not plan.optimal
    assert "level 1" in plan.status
    assert validate_plan(problem, plan) == []


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="urgency"):
        solve_teams(TeamProblem((), (need(1, 2, urgency=4),)))
    with pytest.raises(ValueError, match="volunteer ids"):
        solve_teams(TeamProblem((adult(1), adult(1)), ()))


# --- validate_plan catches each broken rule -----------------------------------------------------


def good_plan() -> tuple[TeamProblem, DispatchPlan]:
    """A plan written by hand that keeps every rule; each broken plan below breaks one."""
    volunteers = (
        adult(1, 9, licences=frozenset({"chainsaw"})),
        adult(2, 4),
        adult(3, 1),
        minor(4),
        adult(5),
        adult(6, has_vehicle=True),
    )
    needs = (need(1, 3, urgency=1, required_licences=frozenset({"chainsaw"})), need(2, 5), need(3, 2))
    teams = (TeamPlan(1, 1, (1, 2, 4), 1, 2, ()), TeamPlan(2, 1, (3, 5, 6), 3, 5, ()))
    return TeamProblem(volunteers, needs, team_size=3), DispatchPlan(teams, (), (3,), True, 0)


def with_team(plan: DispatchPlan, index: int, **changes: object) -> DispatchPlan:
    teams = list(plan.teams)
    teams[index] = dataclasses.replace(teams[index], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(plan, teams=tuple(teams))


def broken_plans(plan: DispatchPlan) -> dict[str, DispatchPlan]:
    first, second = plan.teams
    lone = TeamPlan(3, 1, (3,), 3, 3, ())
    return {
        "more than the 3 planned": with_team(plan, 1, member_ids=(2, 3, 5, 6)),
        "fewer than min_team_size": dataclasses.replace(plan, teams=(first, lone)),
        "no holder of licence chainsaw": with_team(
            plan, 0, member_ids=(2, 3, 4), leader_id=2, sub_leader_id=3
        ),
        "fewer than two adults": with_team(plan, 0, member_ids=(1, 4)),
        "should be (1, 2)": with_team(plan, 0, leader_id=2, sub_leader_id=1),
        "the same person": with_team(plan, 1, sub_leader_id=3),
        "is in 2 teams": with_team(plan, 1, member_ids=(1, 5, 6)),
        "unassigned_volunteer_ids": dataclasses.replace(plan, unassigned_volunteer_ids=(4,)),
        "unserved_need_ids": dataclasses.replace(plan, unserved_need_ids=()),
        "no such need": with_team(plan, 1, need_id=99),
        "no such volunteer 77": with_team(plan, 1, member_ids=(3, 5, 77)),
        "not sorted and distinct": with_team(plan, 1, member_ids=(5, 3, 6)),
        "are not 1..1": with_team(plan, 1, team_number=2),
        "more teams than its split plans": dataclasses.replace(
            plan, teams=(first, dataclasses.replace(first, team_number=2, member_ids=(3, 5, 6), leader_id=3))
        ),
        "not sorted by (need_id, team_number)": dataclasses.replace(plan, teams=(second, first)),
    }


def test_validate_plan_accepts_a_good_plan() -> None:
    problem, plan = good_plan()
    assert validate_plan(problem, plan) == []


@pytest.mark.parametrize("rule", list(broken_plans(good_plan()[1])))
def test_validate_plan_names_each_broken_rule(rule: str) -> None:
    problem, plan = good_plan()
    broken = validate_plan(problem, broken_plans(plan)[rule])
    assert any(rule in line for line in broken), broken


def test_validate_plan_sees_a_missing_vehicle() -> None:
    problem, plan = good_plan()
    problem = dataclasses.replace(
        problem, needs=(problem.needs[0], need(2, 5, needs_vehicle=True), need(3, 2))
    )
    assert validate_plan(problem, plan) == []
    without = dataclasses.replace(with_team(plan, 1, member_ids=(3, 5)), unassigned_volunteer_ids=(6,))
    assert validate_plan(problem, without) == ["need 2 team 1: no vehicle"]
