"""Progress of an indicator against its plan (pure): the achievement rate, which respects the
indicator's direction (孤独感の程度が高い市民の割合 improves downwards), and whether a year's
value is on the straight path from the baseline year to the target year."""

from dataclasses import dataclass
from decimal import Decimal

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
