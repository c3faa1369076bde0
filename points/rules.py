"""Point rules as pure functions: what one verified participation earns under one rule.

The rules themselves live in the database (staff edit them in the admin); a selector turns them
into `RuleSpec`s and a participation into `ParticipationFacts`, and the award service stores what
these functions decide. No Django here, so the rules test in milliseconds.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from plan_registry.fiscal_year import fiscal_year_of_date
from volunteer.ages import age_on


class RuleKind(StrEnum):
    PER_ACTIVITY = "per_activity"  # くまもとポイント: a fixed amount per verified activity
    PER_HOUR = "per_hour"  # 介護保険サポーターポイント: one stamp per full hour
    CAMPAIGN_BONUS = "campaign_bonus"  # an extra amount per activity between two dates


class Expiry(StrEnum):
    NONE = "none"
    END_OF_FISCAL_YEAR = "end_of_fiscal_year"
    END_OF_NEXT_FISCAL_YEAR = "end_of_next_fiscal_year"  # くまもとポイント


@dataclass(frozen=True)
class RuleSpec:
    rule_id: int
    scheme_id: int
    kind: RuleKind
    amount: int
    daily_cap: int | None = None  # at most this much per person and day under this rule
    min_minutes: int = 1  # verified minutes needed; a participation of 0 minutes never earns
    min_age: int | None = None  # on the activity date
    care_hosts_only: bool = False  # only at organisations registered as 受け入れ機関
    category_id: int | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class ParticipationFacts:
    participation_id: int
    activity_date: dt.date  # in Japan
    minutes: int
    category_id: int
    care_host: bool
    birth_date: dt.date | None


def eligible(rule: RuleSpec, facts: ParticipationFacts) -> bool:
    if facts.minutes < max(rule.min_minutes, 1):
        return False
    if rule.valid_from is not None and facts.activity_date < rule.valid_from:
        return False
    if rule.valid_until is not None and facts.activity_date > rule.valid_until:
        return False
    if rule.category_id is not None and rule.category_id != facts.category_id:
        return False
    if rule.care_hosts_only and not facts.care_host:
        return False
    if rule.min_age is not None:
        return facts.birth_date is not None and age_on(facts.birth_date, facts.activity_date) >= rule.min_age
    return True


def uncapped_amount(rule: RuleSpec, facts: ParticipationFacts) -> int:
    """What the participation earns under the rule before the daily cap."""
    if not eligible(rule, facts):
        return 0
    if rule.kind == RuleKind.PER_HOUR:
        return rule.amount * (facts.minutes // 60)
    return rule.amount


def award_amount(rule: RuleSpec, facts: ParticipationFacts, earned_that_day: int) -> int:
    """What to award now, given what the person already earned under the rule that day."""
    amount = uncapped_amount(rule, facts)
    if rule.daily_cap is not None:
        amount = min(amount, max(0, rule.daily_cap - earned_that_day))
    return amount


def expires_on(policy: Expiry, activity_date: dt.date) -> dt.date | None:
    """The last day the points can be used. くまもとポイント: the end of the next fiscal year."""
    if policy == Expiry.NONE:
        return None
    fiscal_year = fiscal_year_of_date(activity_date)
    if policy == Expiry.END_OF_NEXT_FISCAL_YEAR:
        return dt.date(fiscal_year.year + 2, 3, 31)
    return fiscal_year.last_day


@dataclass(frozen=True)
class ConversionStep:
    min_units: int
    yen: int


def conversion_yen(steps: tuple[ConversionStep, ...], units: int, yearly_cap: int | None) -> int:
    """The yen for a year's stamps: the highest step reached, never above the yearly cap
    (介護保険サポーターポイント: under 10 stamps nothing, 10–19 ¥1,000 … 50 or more ¥5,000)."""
    reached = [step.yen for step in steps if units >= step.min_units]
    yen = max(reached, default=0)
    return min(yen, yearly_cap) if yearly_cap is not None else yen
