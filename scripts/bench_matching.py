"""Benchmark of the matching engine on synthetic cities (fixed seed), against a greedy baseline and
an independent reference solver.

    .venv/bin/python scripts/bench_matching.py                      # every size
    .venv/bin/python scripts/bench_matching.py --sizes small,disaster
    .venv/bin/python scripts/bench_matching.py --quick              # the small instance only

For each instance: the engine (candidates, then the pruned flow with its proof), the greedy
baseline, one plain OR-Tools min-cost flow over every candidate edge, and a reference optimum from
scipy's HiGHS on the same flow LP over the full candidate set (its constraint matrix is totally
unimodular, so the LP optimum is the integer optimum). The engine's objective must equal the
reference's on every instance: the script exits 1 otherwise. Then the incremental path: one new
need against the large city's 100k open offers.

These machines share their cores with others, and one run can take 20 % longer than the next. So
the engine (candidates included, the offers encoded afresh each time) and the plain OR-Tools flow
run `--repeats` times each in the same process and the median is shown; the engine's first run
is printed as well.
"""

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import scipy.optimize
import scipy.sparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.engine import build_candidates, solve, solve_for_need
from matching.engine.candidates import Candidates
from matching.engine.encoding import forget_offer_tables
from matching.engine.exact import ExactResult, exact_edges, solve_candidates
from matching.engine.flow import FlowArcs, solve_flow
from matching.engine.greedy import greedy_edges
from matching.engine.types import NeedInput, OfferInput, Problem, Reach

SEED = 20240601
WARDS, DISTRICTS_PER_WARD, GRID_COLUMNS = 5, 19, 10
DAYS = 14
SKILL_NAMES = (
    "傾聴", "調理", "運転", "介護", "手話", "英語通訳", "子どもの見守り", "清掃",
    "力仕事", "事務", "IT支援", "写真撮影", "楽器演奏", "園芸", "救急法",
)  # fmt: skip
SKILLS = tuple(range(101, 101 + len(SKILL_NAMES)))
CATEGORIES = tuple(range(1, 16))
DISASTER_CATEGORIES = (21, 22, 23, 24, 25)  # 泥出し, 避難所運営, 物資仕分け, 炊き出し, 見守り
QUALIFICATIONS = tuple(range(201, 207))
VOLUNTEER_INSURANCE = 207
LANGUAGES = ("en", "zh", "ko", "vi")
T = TypeVar("T")


@dataclass(frozen=True)
class Size:
    name: str
    offers: int
    needs: int
    disaster: bool = False


SIZES = {
    "small": Size("small", 1_000, 1_000),
    "medium": Size("medium", 10_000, 5_000),
    "large": Size("large", 100_000, 20_000),
    "disaster": Size("disaster", 5_000, 2_000, disaster=True),
}


# --- the synthetic city ------------------------------------------------------------------------


def districts() -> tuple[list[int], list[int], tuple[tuple[int, int], ...]]:
    """95 school districts on a grid, 19 to a ward in bands; neighbours share a grid edge."""
    count = WARDS * DISTRICTS_PER_WARD
    ids = [1001 + i for i in range(count)]
    wards = [1 + i // DISTRICTS_PER_WARD for i in range(count)]
    pairs = []
    for i in range(count):
        row, column = divmod(i, GRID_COLUMNS)
        for other in ((row, column + 1), (row + 1, column)):
            j = other[0] * GRID_COLUMNS + other[1]
            if other[1] < GRID_COLUMNS and j < count:
                pairs.append((ids[i], ids[j]))
    return ids, wards, tuple(pairs)


def pick_sets(
    rng: np.random.Generator, pool: tuple[int, ...], counts: np.ndarray, weights: np.ndarray
) -> list:
    weights = weights / weights.sum()
    return [
        frozenset(rng.choice(np.array(pool), size=int(k), replace=False, p=weights).tolist()) for k in counts
    ]


def popularity(count: int) -> np.ndarray:
    return 1.0 / np.arange(1, count + 1) ** 0.7


def weekly_availability(rng: np.random.Generator, count: int, days: int) -> list[int]:
    """Each person is free in a few periods of the week, repeated each week with some gaps."""
    weekly_chance = np.tile([0.5, 0.5, 0.22], 7)
    weekly_chance[15:] = [0.65, 0.65, 0.25, 0.65, 0.65, 0.25]  # weekends
    weekly = rng.random((count, 21)) < weekly_chance
    horizon = np.tile(weekly, (1, -(-days // 7)))[:, : days * 3] & (rng.random((count, days * 3)) > 0.1)
    bits = [1 << s for s in range(days * 3)]
    return [sum(b for b, free in zip(bits, row, strict=True) if free) for row in horizon]


def make_offers(
    rng: np.random.Generator, size: Size, district_ids: list[int], wards: list[int]
) -> list[OfferInput]:
    n = size.offers
    persons = int(n * 0.9)
    person = np.concatenate([np.arange(persons), rng.integers(0, persons, n - persons)])
    home = rng.integers(0, len(district_ids), persons)[person]
    reach_p = [0.1, 0.25, 0.25, 0.4] if size.disaster else [0.25, 0.4, 0.25, 0.1]
    reach = rng.choice(4, size=n, p=reach_p)
    category_pool = DISASTER_CATEGORIES if size.disaster else CATEGORIES
    categories = pick_sets(rng, category_pool, rng.integers(1, 4, n), popularity(len(category_pool)))
    skills = pick_sets(
        rng, SKILLS, rng.choice(5, size=n, p=[0.3, 0.3, 0.2, 0.12, 0.08]), popularity(len(SKILLS))
    )
    qualifications = pick_sets(rng, QUALIFICATIONS, (rng.random(n) < 0.3).astype(int), popularity(6))
    insured = rng.random(n) < 0.85
    languages = [
        frozenset({"ja", *(lang for lang, p in zip(LANGUAGES, row, strict=True) if p)})
        for row in rng.random((n, 4)) < [0.1, 0.03, 0.03, 0.02]
    ]
    ages = rng.choice(np.arange(16, 91), size=n, p=_age_mix())
    age_known = rng.random(n) > 0.15
    slots = weekly_availability(rng, n, 1 if size.disaster else DAYS)
    load = np.minimum(rng.geometric(0.35, n) - 1, 20)
    newcomer = (rng.random(n) < 0.2) & (load == 0)
    capacity = np.where(rng.random(n) < 0.03, 0, rng.integers(1, 5, n))
    return [
        OfferInput(
            offer_id=10_000 + i,
            person_id=500_000 + int(person[i]),
            school_district=district_ids[home[i]],
            ward=wards[home[i]],
            reach=Reach(int(reach[i])),
            categories=categories[i],
            skills=skills[i],
            qualifications=qualifications[i] | ({VOLUNTEER_INSURANCE} if insured[i] else set()),
            languages=languages[i],
            age=int(ages[i]) if age_known[i] else None,
            slots=slots[i],
            capacity=int(capacity[i]),
            recent_load=int(load[i]),
            is_newcomer=bool(newcomer[i]),
        )
        for i in range(n)
    ]


def _age_mix() -> np.ndarray:
    ages = np.arange(16, 91)
    weight = np.exp(-(((ages - 68) / 12.0) ** 2)) + 0.35 * np.exp(-(((ages - 40) / 15.0) ** 2))
    return weight / weight.sum()


def make_needs(
    rng: np.random.Generator, size: Size, district_ids: list[int], wards: list[int], person_ids: list[int]
) -> list[NeedInput]:
    n = size.needs
    where = rng.integers(0, len(district_ids), n)
    category_pool = DISASTER_CATEGORIES if size.disaster else CATEGORIES
    category = rng.choice(category_pool, size=n, p=_normalised(popularity(len(category_pool))))
    headcount = (
        rng.integers(1, 11, n)
        if size.disaster
        else rng.choice([1, 2, 3, 4, 5], n, p=[0.55, 0.25, 0.12, 0.05, 0.03])
    )
    reach = np.full(n, 3) if size.disaster else rng.choice(4, size=n, p=[0.1, 0.6, 0.22, 0.08])
    required = pick_sets(rng, SKILLS, (rng.random(n) < 0.25).astype(int), popularity(len(SKILLS)))
    preferred = pick_sets(rng, SKILLS, rng.choice(3, size=n, p=[0.4, 0.4, 0.2]), popularity(len(SKILLS)))
    qualification = pick_sets(rng, QUALIFICATIONS, (rng.random(n) < 0.08).astype(int), popularity(6))
    requester = rng.choice(person_ids, size=n)
    return [
        NeedInput(
            need_id=900_000 + i,
            school_district=district_ids[where[i]],
            ward=wards[where[i]],
            category=int(category[i]),
            slots=_need_slots(rng, size.disaster),
            headcount=int(headcount[i]),
            reach=Reach(int(reach[i])),
            requester_id=int(requester[i]) if rng.random() < 0.5 else None,
            required_skills=required[i],
            preferred_skills=preferred[i] - required[i],
            required_qualifications=qualification[i] | ({VOLUNTEER_INSURANCE} if size.disaster else set()),
            required_languages=frozenset({"en"}) if rng.random() < 0.04 else frozenset(),
            min_age=18 if rng.random() < 0.1 else None,
            max_age=75 if rng.random() < 0.08 else None,
            urgency=int(rng.choice(3, p=[0.3, 0.4, 0.3] if size.disaster else [0.7, 0.2, 0.1])),
        )
        for i in range(n)
    ]


def _normalised(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum()


def _need_slots(rng: np.random.Generator, disaster: bool) -> int:
    if disaster:
        first = int(rng.integers(0, 3))
        return (1 << first) | ((1 << (first + 1)) if first < 2 and rng.random() < 0.3 else 0)
    day, period = int(rng.integers(0, DAYS)), int(rng.choice(3, p=[0.45, 0.4, 0.15]))
    slot = day * 3 + period
    shape = rng.random()
    if shape < 0.15 and period < 2:
        return (1 << slot) | (1 << (slot + 1))
    if shape < 0.25 and day + 7 < DAYS:
        return (1 << slot) | (1 << (slot + 21))
    return 1 << slot


def make_problem(size: Size, seed: int = SEED) -> Problem:
    rng = np.random.default_rng([seed, size.offers, size.needs, int(size.disaster)])
    district_ids, wards, neighbours = districts()
    offers = make_offers(rng, size, district_ids, wards)
    residents = sorted({o.person_id for o in offers}) + list(range(800_000, 800_000 + size.needs))
    needs = make_needs(rng, size, district_ids, wards, residents)
    return Problem(
        offers=tuple(offers),
        needs=tuple(needs),
        neighbours=neighbours,
        first_weekday=int(rng.integers(0, 7)),
        skill_names=tuple(zip(SKILLS, SKILL_NAMES, strict=True)),
    )


# --- the solvers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    objective: int
    pair_costs: int  # sum of the chosen pairs' costs, without the fill reward
    needs_filled: int
    places_filled: int
    solve_seconds: float
    note: str = ""


def timed(function: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def outcome_of(
    candidates: Candidates, fill_reward: int, edges: np.ndarray, seconds: float, note: str
) -> Outcome:
    filled = (
        np.bincount(candidates.need[edges], minlength=len(candidates.needs.needs))
        >= candidates.needs.headcount
    )
    pair_costs = int(candidates.cost[edges].sum())
    return Outcome(
        objective=pair_costs - fill_reward * int(edges.size),
        pair_costs=pair_costs,
        needs_filled=int(filled.sum()),
        places_filled=int(edges.size),
        solve_seconds=seconds,
        note=note,
    )


def plain_ortools(candidates: Candidates, fill_reward: int) -> np.ndarray:
    """One OR-Tools min-cost flow over every improving edge, true costs, no pruning."""
    improving = np.flatnonzero(candidates.cost < fill_reward)
    arcs = FlowArcs(
        candidates.person[improving],
        candidates.need[improving],
        candidates.cost[improving] - fill_reward,
        candidates.offers.persons,
        candidates.needs.headcount,
    )
    return improving[solve_flow(arcs)]


def reference_lp(candidates: Candidates, fill_reward: int) -> int:
    """HiGHS on the LP: minimise Σ (cost − fill_reward)·x, each person ≤ 1, each need ≤ headcount."""
    improving = np.flatnonzero(candidates.cost < fill_reward)
    persons, needs = candidates.offers.persons, len(candidates.needs.needs)
    columns = np.arange(improving.size)
    rows = np.concatenate([candidates.person[improving], persons + candidates.need[improving]])
    matrix = scipy.sparse.csr_array(
        (np.ones(2 * improving.size), (rows, np.concatenate([columns, columns]))),
        shape=(persons + needs, improving.size),
    )
    limits = np.concatenate([np.ones(persons), candidates.needs.headcount])
    result = scipy.optimize.linprog(
        (candidates.cost[improving] - fill_reward).astype(float),
        A_ub=matrix,
        b_ub=limits,
        bounds=(0, 1),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"reference LP failed: {result.message}")
    return round(result.fun)


# --- the report --------------------------------------------------------------------------------


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_instance(size: Size, repeats: int) -> bool:
    problem, generated = timed(lambda: make_problem(size))
    fill = problem.weights.fill_reward
    # Each run gives the same candidates and edges (the engine is deterministic): the first run's
    # are kept, the others' only timed, so that the peak memory is one run's.
    candidates, first_build, exact, first_solve = engine_run(problem)
    times = [(first_build, first_solve)] + [engine_run(problem)[1::2] for _ in range(repeats - 1)]
    build, solve_seconds = sorted(times, key=sum)[len(times) // 2]
    first_total = first_build + first_solve
    engine_peak = peak_mb()
    note = f"{exact.rounds} round(s), {exact.arcs_solved:,} arcs solved" + (
        "" if exact.tie_break else ", no tie-break"
    )
    if repeats > 1:
        note += f"; median of {repeats}, first run {first_total:.3f} s"
    engine = outcome_of(candidates, fill, exact.edges, solve_seconds, note)
    greedy = outcome_of(
        candidates, fill, *timed(lambda: greedy_edges(candidates, fill)), "needs by urgency, then id"
    )
    plain_runs = [timed(lambda: plain_ortools(candidates, fill)) for _ in range(repeats)]
    plain_edges, plain_seconds = plain_runs[0][0], statistics.median(seconds for _, seconds in plain_runs)
    plain = outcome_of(
        candidates,
        fill,
        plain_edges,
        plain_seconds,
        "one flow, all edges" + (f"; median of {repeats}" if repeats > 1 else ""),
    )
    reference_objective, reference_seconds = timed(lambda: reference_lp(candidates, fill))
    reference = Outcome(reference_objective, 0, 0, 0, reference_seconds, "full candidate set, same process")
    print_instance(size, generated, len(candidates), build, engine_peak)
    for name, result in (("engine (exact)", engine), ("greedy baseline", greedy), ("plain OR-Tools", plain)):
        print_row(name, result, build)
    print_row("reference (HiGHS LP)", reference, build)
    return print_ratios(engine, greedy, plain, reference, build)


def engine_run(problem: Problem) -> tuple[Candidates, float, ExactResult, float]:
    """One run of the engine from the problem: offers encoded afresh, candidates, the exact solve."""
    forget_offer_tables()
    candidates, build = timed(lambda: build_candidates(problem))
    exact, solve_seconds = timed(lambda: exact_edges(candidates, problem.weights.fill_reward))
    return candidates, build, exact, solve_seconds


def print_instance(size: Size, generated: float, edges: int, build: float, engine_peak: float) -> None:
    kind = " (disaster day: one day, headcounts 1–10, city reach)" if size.disaster else ""
    title = f"{size.name}: {size.offers:,} offers × {size.needs:,} needs{kind}"
    print(f"\n== {title}  [generated in {generated:.1f} s]")
    print(f"candidate edges {edges:,}, built in {build:.3f} s (shared by every solver below); "
          f"peak memory (process maxrss) after the engine {engine_peak:,.0f} MB")  # fmt: skip
    print(f"{'solver':<22}{'objective':>13}{'pair costs':>12}{'needs filled':>14}{'places':>9}"
          f"{'build s':>9}{'solve s':>9}{'total s':>9}  note")  # fmt: skip


def print_row(name: str, result: Outcome, build: float) -> None:
    counts = (
        f"{result.pair_costs:>12,}{result.needs_filled:>14,}{result.places_filled:>9,}"
        if result.places_filled
        else f"{'':>12}{'':>14}{'':>9}"
    )
    print(f"{name:<22}{result.objective:>13,}{counts}{build:>9.3f}{result.solve_seconds:>9.3f}"
          f"{build + result.solve_seconds:>9.3f}  {result.note}")  # fmt: skip


def print_ratios(engine: Outcome, greedy: Outcome, plain: Outcome, reference: Outcome, build: float) -> bool:
    exact = engine.objective == reference.objective == plain.objective
    ratio = engine.objective / reference.objective if reference.objective else 1.0
    engine_total = build + engine.solve_seconds
    greedy_objective = greedy.objective / engine.objective if engine.objective else 1.0
    # Pair costs can be negative (bonuses); their ratio only reads well when the engine's are positive.
    costs = f" (pair costs {greedy.pair_costs / engine.pair_costs:.3f})" if engine.pair_costs > 0 else ""
    print(f"engine/reference objective {ratio:.3f}{'' if exact else '  MISMATCH'}; "
          f"greedy/engine objective {greedy_objective:.3f}{costs}; "
          f"time reference/engine {(build + reference.solve_seconds) / engine_total:.1f}×; "
          f"time plain OR-Tools/engine {(build + plain.solve_seconds) / engine_total:.2f}×")  # fmt: skip
    return exact


def run_incremental(repeats: int = 20) -> bool:
    problem = make_problem(SIZES["large"])
    fresh = make_problem(Size("fresh needs", 1_000, repeats), seed=SEED + 1).needs
    cold = timed(
        lambda: solve_for_need(Problem(problem.offers, (fresh[0],), problem.neighbours), fresh[0].need_id)
    )[1]
    times, agree = [], True
    for need in fresh:
        single = Problem(
            problem.offers, (need,), problem.neighbours, problem.first_weekday, problem.skill_names
        )
        started = time.perf_counter()
        solution = solve_for_need(single, need.need_id)
        times.append(time.perf_counter() - started)
        by_flow = solve_candidates(single, build_candidates(single))
        agree &= solution == by_flow and solution == solve(single)
    print(f"\n== incremental: one new need against {len(problem.offers):,} open offers")
    print(f"first call (encodes the offers) {cold * 1000:.0f} ms; later calls median "
          f"{np.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms over {repeats} needs; "
          f"same proposals as the flow over that need: {'yes' if agree else 'NO'}")  # fmt: skip
    return agree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # large last: its reference LP takes GBs, and maxrss only grows, so earlier peaks stay readable
    parser.add_argument("--sizes", default="small,medium,disaster,large")
    parser.add_argument("--quick", action="store_true", help="the small instance only")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the engine and of plain OR-Tools")
    arguments = parser.parse_args()
    names = ["small"] if arguments.quick else arguments.sizes.split(",")
    # every instance runs, even after a mismatch
    results = [run_instance(SIZES[name], max(1, arguments.repeats)) for name in names]
    ok = all(results)
    if "large" in names:
        ok &= run_incremental()
    print(f"\npeak memory (maxrss) {peak_mb():,.0f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
