"""A hand-made slice of the plan for the report's tests: one indicator that should rise (fed by
the system) and one that should fall (entered by hand), with values in FY2024 and FY2027; and a
clock that a test moves into the fiscal year it needs (which year is in progress is the report's
business, so a test must not depend on the day it runs)."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone

from plan_registry.fiscal_year import JAPAN
from plan_registry.models import Area, Indicator, IndicatorValue
from tests.factories import IndicatorFactory, PlanFactory

InFiscalYear = Callable[[int], dt.datetime]


@pytest.fixture
def in_fiscal_year(monkeypatch: pytest.MonkeyPatch) -> InFiscalYear:
    """Moves the clock to 1 October (mid-year, in Japan) of a fiscal year; gives that moment."""

    def move(year: int) -> dt.datetime:
        moment = dt.datetime(year, 10, 1, 10, 0, tzinfo=JAPAN)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return move


@pytest.fixture
def report_plan(ward: Area) -> tuple[Indicator, Indicator]:
    plan = PlanFactory(code="kumamoto-welfare-5")
    training = IndicatorFactory(
        plan=plan,
        code="KPI5-I-2",
        label="I-2",
        name="研修の参加人数",
        unit="人",
        direction="increase",
        source="feed",
        baseline_fiscal_year=2023,
        baseline_value=Decimal(402),
        target_fiscal_year=2031,
        target_value=Decimal(750),
        position=1,
    )
    loneliness = IndicatorFactory(
        plan=plan,
        code="KPI5-IV-3",
        label="IV-3",
        name="孤独感の程度が高い市民の割合",
        unit="%",
        direction="decrease",
        source="manual",
        baseline_fiscal_year=2023,
        baseline_value=Decimal("20.0"),
        target_fiscal_year=2031,
        target_value=Decimal("15.0"),
        position=2,
    )
    now = timezone.now()
    for indicator, year, area, value, source in (
        (training, 2024, None, Decimal(450), "feed"),
        (training, 2027, None, Decimal(600), "feed"),
        (training, 2027, ward, Decimal(200), "feed"),
        (loneliness, 2027, None, Decimal("18.0"), "manual"),
    ):
        IndicatorValue.objects.create(
            indicator=indicator,
            fiscal_year=year,
            area=area,
            value=value,
            source=source,
            provenance={"feed": "events.training_participants"} if source == "feed" else {},
            recorded_at=now,
        )
    return training, loneliness
