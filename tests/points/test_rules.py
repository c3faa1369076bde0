"""The point rules as pure functions."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from points import rules

STAMP_PER_HOUR = rules.RuleSpec(
    rule_id=2,
    scheme_id=2,
    kind=rules.RuleKind.PER_HOUR,
    amount=1,
    daily_cap=2,
    min_age=65,
    care_hosts_only=True,
)
PER_ACTIVITY = rules.RuleSpec(rule_id=1, scheme_id=1, kind=rules.RuleKind.PER_ACTIVITY, amount=100)
CARE_TABLE = tuple(rules.ConversionStep(units, units * 100) for units in (10, 20, 30, 40, 50))


def facts(minutes: int = 150, care_host: bool = True, born: dt.date | None = dt.date(1955, 6, 1),
          day: dt.date = dt.date(2025, 6, 1), category: int = 3) -> rules.ParticipationFacts:  # fmt: skip
    return rules.ParticipationFacts(1, day, minutes, category, care_host, born)


def test_care_stamps_need_65_on_the_activity_date_and_a_care_host() -> None:
    assert rules.uncapped_amount(STAMP_PER_HOUR, facts()) == 2  # 2 h 30 min: two full hours
    assert rules.uncapped_amount(STAMP_PER_HOUR, facts(born=dt.date(1960, 6, 2))) == 0  # 64 that day
    assert rules.uncapped_amount(STAMP_PER_HOUR, facts(born=None)) == 0
    assert rules.uncapped_amount(STAMP_PER_HOUR, facts(care_host=False)) == 0
    assert rules.uncapped_amount(STAMP_PER_HOUR, facts(minutes=59)) == 0


def test_the_daily_cap_is_shared_by_the_days_activities() -> None:
    long_day = facts(minutes=300)

    assert rules.award_amount(STAMP_PER_HOUR, long_day, earned_that_day=0) == 2
    assert rules.award_amount(STAMP_PER_HOUR, facts(minutes=60), earned_that_day=1) == 1
    assert rules.award_amount(STAMP_PER_HOUR, facts(minutes=120), earned_that_day=2) == 0


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=0, max_value=5))
def test_an_award_never_exceeds_the_cap_or_the_uncapped_amount(minutes: int, earned: int) -> None:
    amount = rules.award_amount(STAMP_PER_HOUR, facts(minutes=minutes), earned_that_day=earned)

    assert 0 <= amount <= max(0, 2 - earned)
    assert amount <= minutes // 60


def test_a_campaign_counts_only_between_its_dates_and_in_its_category() -> None:
    campaign = rules.RuleSpec(3, 1, rules.RuleKind.CAMPAIGN_BONUS, 50, category_id=3,
                              valid_from=dt.date(2025, 7, 1), valid_until=dt.date(2025, 7, 31))  # fmt: skip

    assert rules.uncapped_amount(campaign, facts(day=dt.date(2025, 7, 1))) == 50
    assert rules.uncapped_amount(campaign, facts(day=dt.date(2025, 7, 31))) == 50
    assert rules.uncapped_amount(campaign, facts(day=dt.date(2025, 8, 1))) == 0
    assert rules.uncapped_amount(campaign, facts(day=dt.date(2025, 7, 2), category=4)) == 0


@pytest.mark.parametrize(
    ("day", "expires"),
    [(dt.date(2025, 4, 1), dt.date(2027, 3, 31)), (dt.date(2026, 3, 31), dt.date(2027, 3, 31))],
)
def test_kumamoto_points_expire_at_the_end_of_the_next_fiscal_year(day: dt.date, expires: dt.date) -> None:
    assert rules.expires_on(rules.Expiry.END_OF_NEXT_FISCAL_YEAR, day) == expires
    assert rules.expires_on(rules.Expiry.NONE, day) is None


@pytest.mark.parametrize(
    ("stamps", "yen"),
    [(0, 0), (9, 0), (10, 1000), (19, 1000), (20, 2000), (49, 4000), (50, 5000), (300, 5000)],
)
def test_the_conversion_table(stamps: int, yen: int) -> None:
    assert rules.conversion_yen(CARE_TABLE, stamps, yearly_cap=5000) == yen


def test_the_yearly_cap_limits_a_generous_table() -> None:
    generous = (*CARE_TABLE, rules.ConversionStep(60, 8000))

    assert rules.conversion_yen(generous, 70, yearly_cap=5000) == 5000
