"""The city's two schemes with their rules, as first configured (staff then edit them in the admin).

くまもとポイント: 100 points per verified activity, usable until the end of the next fiscal year.
介護保険サポーターポイント: for people 65 or over at registered 受け入れ機関, one stamp per full
hour and at most two a day; a fiscal year's stamps convert to yen from February (under 10 stamps
nothing, 10–19 ¥1,000, … 50 or more ¥5,000; at most ¥5,000 a year).

くまもとポイント asks for at least 30 verified minutes (`KUMAMOTO_MIN_MINUTES`): a check-in
and check-out a minute apart is not an activity, while a short 見守り visit or a half-hour
session of a salon still counts; the care scheme's per-hour stamps need a full hour anyway.

Migration 0003 calls `ensure` with its historical models and 0007 `minimums_ensure`; tests that
empty the database call both with the current ones. Existing rows are left as staff configured
them (a minimum is set only where the rule still has the field's default of 1).
"""

from typing import Any

CONVERSION_STEPS = ((10, 1000), (20, 2000), (30, 3000), (40, 4000), (50, 5000))
KUMAMOTO_MIN_MINUTES = 30


def ensure(scheme_model: Any, rule_model: Any, step_model: Any) -> None:
    kumamoto, _ = scheme_model.objects.get_or_create(
        code="kumamoto",
        defaults={"name": "くまもとポイント", "unit": "ポイント", "expiry": "end_of_next_fiscal_year"},
    )
    rule_model.objects.get_or_create(
        code="kumamoto-activity",
        defaults={
            "scheme": kumamoto,
            "name": "活動1回につき100ポイント",
            "kind": "per_activity",
            "amount": 100,
        },
    )
    care, _ = scheme_model.objects.get_or_create(
        code="care-support",
        defaults={
            "name": "介護保険サポーターポイント",
            "unit": "スタンプ",
            "expiry": "none",
            "convertible": True,
            "yearly_cap_yen": 5000,
            "conversion_opens": "02-01",
        },
    )
    rule_model.objects.get_or_create(
        code="care-support-hour",
        defaults={
            "scheme": care,
            "name": "受け入れ機関での活動1時間につき1スタンプ（1日2スタンプまで）",
            "kind": "per_hour",
            "amount": 1,
            "daily_cap": 2,
            "min_age": 65,
            "care_hosts_only": True,
        },
    )
    for min_units, yen in CONVERSION_STEPS:
        step_model.objects.get_or_create(scheme=care, min_units=min_units, defaults={"yen": yen})


def minimums_ensure(rule_model: Any) -> None:
    """The minimum minutes of the city's くまもとポイント rule (see the module's note)."""
    rule_model.objects.filter(code="kumamoto-activity", min_minutes=1).update(
        min_minutes=KUMAMOTO_MIN_MINUTES
    )
