"""Progress of an indicator against its plan (pure): the achievement rate, which respects the
indicator's direction (孤独感の程度が高い市民の割合 improves downwards), whether a year's value is on
the straight path from the baseline year to the target year, and what a report may say of a year.

What a report may say depends on where the year stands (`assess`):
- a year of a plan that has ended, from its last year on, is the plan's final result: the last
  value on record within its period against the target, 達成 or 未達成. A plan is judged by its
  own period, never against the years after its end (the 4th plan ended in FY2024);
- the fiscal year in progress holds an interim value (a count so far, a survey not yet taken):
  年度途中, with no rate and no verdict, so it is never called 遅れ;
- any earlier year of a running plan is on the path (計画どおり) or behind it (遅れ).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

INCREASE, DECREASE = "increase", "decrease"


@dataclass(frozen=True)
class Plan:
    direction: str  # "increase" or "decrease"
    baseline_fiscal_year: int
    baseline: Decimal
    target_fiscal_year: int
    target: Decimal


def achievement_rate(plan: Plan, value: Decimal) -> Decimal | None:
    """How much of the way from baseline to target the value has come: 0 at the baseline, 1 at
    the target, negative when it moved the wrong way, above 1 beyond the target. None when the
    plan sets no distance to travel."""
    distance = plan.target - plan.baseline
    if distance == 0:
        return None
    return (value - plan.baseline) / distance


def expected_on(plan: Plan, fiscal_year: int) -> Decimal:
    """The value the straight path from baseline to target expects in that year."""
    span = plan.target_fiscal_year - plan.baseline_fiscal_year
    elapsed = min(max(fiscal_year - plan.baseline_fiscal_year, 0), span)
    return plan.baseline + (plan.target - plan.baseline) * Decimal(elapsed) / Decimal(span)


def on_track(plan: Plan, fiscal_year: int, value: Decimal) -> bool:
    expected = expected_on(plan, fiscal_year)
    return value >= expected if plan.direction == INCREASE else value <= expected


def reached(direction: str, target: Decimal, value: Decimal) -> bool:
    """Whether a value meets the target, in the indicator's direction."""
    return value >= target if direction == INCREASE else value <= target


class Status(StrEnum):
    ON_TRACK = "on_track"
    BEHIND = "behind"
    IN_PROGRESS = "in_progress"  # the fiscal year in progress: an interim value
    NOT_STARTED = "not_started"  # a year after the one in progress
    ACHIEVED = "achieved"  # the plan has ended and met its target
    NOT_ACHIEVED = "not_achieved"
    UNSCORED = "unscored"  # a value, but the plan sets no baseline or target to judge it by
    NO_VALUE = "no_value"


LABELS: dict[Status, str] = {
    Status.ON_TRACK: "計画どおり",
    Status.BEHIND: "遅れ",
    Status.IN_PROGRESS: "年度途中",
    Status.NOT_STARTED: "年度開始前",
    Status.ACHIEVED: "達成",
    Status.NOT_ACHIEVED: "未達成",
    Status.UNSCORED: "評価なし",
    Status.NO_VALUE: "値なし",
}


@dataclass(frozen=True)
class Goal:
    """What the plan asks of one indicator. The baseline may be missing (⑤ of the 4th plan: なし),
    the target too (the system's own indicators)."""

    direction: str
    baseline: tuple[int, Decimal] | None
    target: tuple[int, Decimal] | None
    plan_start_fiscal_year: int
    plan_end_fiscal_year: int

    @property
    def path(self) -> Plan | None:
        if self.baseline is None or self.target is None:
            return None
        return Plan(self.direction, *self.baseline, *self.target)


@dataclass(frozen=True)
class Assessment:
    status: Status
    fiscal_year: int | None  # the year whose value is judged: for a finished plan, its last on record
    value: Decimal | None
    rate: Decimal | None
    final: bool  # the plan has ended: this is its final result

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def verdict(self) -> bool | None:
        """True on track or achieved, False behind or not achieved, None when nothing is judged."""
        return {
            Status.ON_TRACK: True,
            Status.ACHIEVED: True,
            Status.BEHIND: False,
            Status.NOT_ACHIEVED: False,
        }.get(self.status)


NOT_ASSESSED = Assessment(Status.NO_VALUE, None, None, None, final=False)


def plan_ended(goal: Goal, *, fiscal_year: int, current_fiscal_year: int) -> bool:
    """Whether the report of `fiscal_year` shows the plan's final result: its period is over and
    the report's year is its last year or later."""
    return goal.plan_end_fiscal_year < current_fiscal_year and fiscal_year >= goal.plan_end_fiscal_year


def assess(
    goal: Goal, values: Mapping[int, Decimal], *, fiscal_year: int, current_fiscal_year: int
) -> Assessment:
    """What the report of `fiscal_year` says of the indicator, seen from `current_fiscal_year`;
    `values` are the city-wide values by year."""
    if plan_ended(goal, fiscal_year=fiscal_year, current_fiscal_year=current_fiscal_year):
        return _final(goal, values)
    value = values.get(fiscal_year)
    if value is None:
        return Assessment(Status.NO_VALUE, None, None, None, final=False)
    if fiscal_year >= current_fiscal_year:
        status = Status.IN_PROGRESS if fiscal_year == current_fiscal_year else Status.NOT_STARTED
        return Assessment(status, fiscal_year, value, None, final=False)
    path = goal.path
    if path is None:
        return Assessment(Status.UNSCORED, fiscal_year, value, None, final=False)
    status = Status.ON_TRACK if on_track(path, fiscal_year, value) else Status.BEHIND
    return Assessment(status, fiscal_year, value, achievement_rate(path, value), final=False)


def _final(goal: Goal, values: Mapping[int, Decimal]) -> Assessment:
    in_period = [year for year in values if year <= goal.plan_end_fiscal_year]
    if not in_period:
        return Assessment(Status.NO_VALUE, None, None, None, final=True)
    year = max(in_period)
    value = values[year]
    if goal.target is None:
        return Assessment(Status.UNSCORED, year, value, None, final=True)
    met = reached(goal.direction, goal.target[1], value)
    path = goal.path
    rate = achievement_rate(path, value) if path is not None else None
    return Assessment(Status.ACHIEVED if met else Status.NOT_ACHIEVED, year, value, rate, final=True)
