"""Benchmark of the disaster centre's team dispatch (disaster/teams.py) on generated centre days
(fixed seed), against a greedy baseline measured in the same run.

    .venv/bin/python scripts/bench_teams.py                  # 1,000 volunteers, then 200
    .venv/bin/python scripts/bench_teams.py --seed 7 --volunteers 3402
    .venv/bin/python scripts/bench_teams.py --chainsaw-share 0.02     # licences scarce

A day: needs = 15 % of the volunteers (150 for 1,000), each asking 2–30 helpers; a quarter need a
vehicle, a fifth a chainsaw licence, some shelters first aid or care, some clearing carpentry.
Volunteers: ~10 % hold a chainsaw licence, ~20 % bring a vehicle, ~85 % are adults, about half
have disaster days on record (the 2016 Kumamoto city centre took up to ~1,000 a day).

The greedy baseline is what a centre does by hand: needs in urgency order (then asked first),
each planned team staffed from the most experienced still free, a holder of each requirement and
two adults first; a team that cannot be staffed is skipped. Both plans must pass `validate_plan`:
the script exits 1 otherwise.
"""

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from disaster.teams import (
    URGENCIES,
    DispatchPlan,
    NeedInput,
    Slot,
    TeamPlan,
    TeamProblem,
    VolunteerInput,
    dispatch_plan,
    experience_order,
    leaders_of,
    profile_of,
    solve_teams,
    team_plan,
    team_sizes,
    validate_plan,
)

SEED = 20160414  # the first Kumamoto foreshock
WORK_TYPES = ("mud_removal", "furniture_removal", "clearing", "shelter_support")
WORK_WEIGHTS = (40, 25, 20, 15)
SKILL_SHARES = {"first_aid": 0.12, "care": 0.08, "carpentry": 0.06, "electrical": 0.03}


def volunteer(rng: random.Random, volunteer_id: int, chainsaw_share: float) -> VolunteerInput:
    skills = frozenset(s for s, share in SKILL_SHARES.items() if rng.random() < share)
    licences = frozenset({"chainsaw"} if rng.random() < chainsaw_share else set())
    days = 0 if rng.random() < 0.55 else int(rng.expovariate(1 / 8)) + 1
    return VolunteerInput(volunteer_id, skills, licences, rng.random() < 0.20, days, rng.random() < 0.85)


def need(rng: random.Random, need_id: int, received_order: int) -> NeedInput:
    work_type = rng.choices(WORK_TYPES, WORK_WEIGHTS)[0]
    skills = set()
    if work_type == "shelter_support" and rng.random() < 0.4:
        skills.add(rng.choice(("first_aid", "care")))
    if work_type == "clearing" and rng.random() < 0.2:
        skills.add("carpentry")
    return NeedInput(
        need_id=need_id,
        helpers_needed=rng.randint(2, 30),
        work_type=work_type,
        required_skills=frozenset(skills),
        required_licences=frozenset({"chainsaw"} if rng.random() < 0.20 else set()),
        needs_vehicle=rng.random() < 0.25,
        urgency=rng.choices(URGENCIES, (25, 40, 35))[0],
        received_order=received_order,
    )


def centre_day(seed: int, volunteers: int, chainsaw_share: float = 0.10) -> TeamProblem:
    rng = random.Random(seed)
    people = tuple(volunteer(rng, 1000 + i, chainsaw_share) for i in range(volunteers))
    count = max(1, round(volunteers * 0.15))
    order = rng.sample(range(count), count)
    return TeamProblem(people, tuple(need(rng, 1 + i, order[i]) for i in range(count)))


def holds(volunteer: VolunteerInput, requirement: tuple[str, str]) -> bool:
    what, code = requirement
    if what == "skill":
        return code in volunteer.skills
    return code in volunteer.licences if what == "licence" else volunteer.has_vehicle


def greedy_team(
    need: NeedInput, capacity: int, free: list[VolunteerInput], min_team_size: int
) -> list[VolunteerInput] | None:
    """A team from `free` (most experienced first), or None if it cannot be staffed: a holder of
    each requirement, then two adults, then the most experienced up to the planned size."""
    team: list[VolunteerInput] = []
    for requirement in profile_of(need).requirements():
        if not any(holds(v, requirement) for v in team):
            holder = next((v for v in free if holds(v, requirement) and v not in team), None)
            if holder is None:
                return None
            team.append(holder)
    adults = [v for v in free if v.is_adult and v not in team]
    team += adults[: max(0, 2 - len(leaders_of(team)))]
    team += [v for v in free if v not in team][: max(0, capacity - len(team))]
    fits = len(leaders_of(team)) >= 2 and min_team_size <= len(team) <= capacity
    return team if fits else None


def greedy(problem: TeamProblem) -> DispatchPlan:
    free = sorted(problem.volunteers, key=experience_order)
    teams: list[TeamPlan] = []
    for need in sorted(problem.needs, key=lambda n: (n.urgency, n.received_order, n.need_id)):
        planned = team_sizes(need.helpers_needed, problem.team_size)
        for number, capacity in enumerate(planned, 1):
            team = greedy_team(need, capacity, free, problem.min_team_size)
            if team is None:
                break
            taken = {v.volunteer_id for v in team}
            free = [v for v in free if v.volunteer_id not in taken]
            teams.append(team_plan(problem, Slot(need, number, capacity, profile_of(need)), team))
    return dispatch_plan(problem, teams, False, "greedy")


def timed(solve: Callable[[TeamProblem], DispatchPlan], problem: TeamProblem) -> tuple[DispatchPlan, float]:
    start = time.perf_counter()
    plan = solve(problem)
    return plan, time.perf_counter() - start


def report(label: str, problem: TeamProblem, plan: DispatchPlan, seconds: float) -> None:
    helpers = plan.levels[:3]
    print(
        f"  {label:<6} {seconds:8.3f} s  helpers u1/u2/u3 {helpers[0]:>4}/{helpers[1]:>4}/{helpers[2]:>4}"
        f"  teams {len(plan.teams):>3}  needs served {plan.levels[3]:>3}/{len(problem.needs)}"
        f"  experienced teams {plan.levels[4]:>3}  {plan.status}"
    )


def bench(seed: int, volunteers: int, chainsaw_share: float, time_limit: float) -> bool:
    problem = centre_day(seed, volunteers, chainsaw_share)
    asked = sum(n.helpers_needed for n in problem.needs)
    print(
        f"centre day: {volunteers} volunteers, {len(problem.needs)} needs asking {asked} helpers, seed {seed}"
    )
    exact, exact_seconds = timed(lambda p: solve_teams(p, time_limit_seconds=time_limit), problem)
    baseline, greedy_seconds = timed(greedy, problem)
    report("exact", problem, exact, exact_seconds)
    report("greedy", problem, baseline, greedy_seconds)
    more = [e - g for e, g in zip(exact.levels[:3], baseline.levels[:3], strict=True)]
    print(
        f"  exact vs greedy: {more[0]:+d} helpers on urgency-1 needs, {more[1]:+d} on urgency 2, "
        f"{more[2]:+d} on urgency 3; time {exact_seconds / greedy_seconds:,.0f}x the greedy's; "
        f"optimal={exact.optimal}"
    )
    broken = validate_plan(problem, exact) + validate_plan(problem, baseline)
    for line in broken:
        print(f"  INVALID: {line}")
    return not broken


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--volunteers", type=int, nargs="*", default=[1000, 200])
    parser.add_argument(
        "--chainsaw-share", type=float, default=0.10, help="of volunteers holding the licence"
    )
    parser.add_argument("--time-limit", type=float, default=20.0)
    args = parser.parse_args(argv)
    valid = [
        bench(args.seed, volunteers, args.chainsaw_share, args.time_limit) for volunteers in args.volunteers
    ]
    return 0 if all(valid) else 1


if __name__ == "__main__":
    sys.exit(main())
