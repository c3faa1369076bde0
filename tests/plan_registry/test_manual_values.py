"""Survey values entered by the plan office: recorded with who, when and why; bad input is a
clear error and changes nothing; a feed never overwrites them (see test_feeds)."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from plan_registry.models import Area, Indicator, IndicatorValue, IndicatorValueChange
from plan_registry.services import fiscal_year_close
from tests.factories import IndicatorFactory, PlanFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db
Client = Callable[[User], APIClient]
URL = "/api/v1/plan/values/"


@pytest.fixture
def survey() -> Indicator:
    plan = PlanFactory(code="kumamoto-welfare-5", start_fiscal_year=2024, end_fiscal_year=2031)
    IndicatorFactory(plan=plan, code="KPI5-I-2", source="feed", baseline_fiscal_year=2023)
    return IndicatorFactory(
        plan=plan,
        code="KPI5-IV-3",
        source="manual",
        unit="%",
        direction="decrease",
        baseline_fiscal_year=2023,
        baseline_value=Decimal(20),
        target_fiscal_year=2031,
    )


def body(**changes: Any) -> dict[str, Any]:
    return {
        "indicator": "KPI5-IV-3",
        "fiscal_year": 2025,
        "value": "18.4",
        "source_document": "令和7年度 市民アンケート 問12",
        **changes,
    }


def state() -> tuple[list[Any], list[Any]]:
    return list(IndicatorValue.objects.values()), list(IndicatorValueChange.objects.values())


def test_the_plan_office_enters_and_then_corrects_a_value(
    client_for: Client, planner: User, survey: Indicator, ward: Area
) -> None:
    first = client_for(planner).post(URL, body(), format="json")
    no_reason = client_for(planner).post(URL, body(value="18.1"), format="json")
    corrected = client_for(planner).post(URL, body(value="18.1", reason="集計の誤りを訂正"), format="json")
    by_ward = client_for(planner).post(URL, body(area="chuo", value="17.0"), format="json")

    assert first.status_code == 201
    assert (first.json()["source"], first.json()["provenance"]) == (
        "manual",
        {"source_document": "令和7年度 市民アンケート 問12"},
    )
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "reason_required")
    assert corrected.json()["value"] == 18.1
    assert by_ward.json()["area"] == "chuo"
    history = IndicatorValueChange.objects.order_by("changed_at", "pk")
    assert [(c.old_value, c.new_value, c.reason, c.changed_by) for c in history] == [
        (None, Decimal("18.4"), "", planner),
        (Decimal("18.4"), Decimal("18.1"), "集計の誤りを訂正", planner),
        (None, Decimal("17.0"), "", planner),
    ]


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"indicator": "KPI-NONE"}, 400, "unknown_indicator"),
        ({"area": "nowhere"}, 400, "unknown_area"),
        ({"fiscal_year": 2040}, 400, "outside_plan_period"),
        ({"value": "many"}, 400, "invalid_input"),
        ({"indicator": "KPI5-I-2"}, 409, "indicator_fed_by_system"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    client_for: Client, planner: User, survey: Indicator, changes: dict[str, Any], status: int, code: str
) -> None:
    before = state()

    response = client_for(planner).post(URL, body(**changes), format="json")

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert state() == before


def test_a_closed_year_takes_no_values(client_for: Client, planner: User, survey: Indicator) -> None:
    fiscal_year_close(fiscal_year=2025, staff=planner, reason="推進会議に報告")

    response = client_for(planner).post(URL, body(), format="json")

    assert (response.status_code, response.json()["code"]) == (409, "fiscal_year_closed")
    assert not IndicatorValue.objects.exists()


def test_only_the_plan_office_enters_values(client_for: Client, coordinator: User, survey: Indicator) -> None:
    response = client_for(coordinator).post(URL, body(), format="json")

    assert (response.status_code, response.json()["code"]) == (403, "not_plan_office")
    assert not IndicatorValue.objects.exists()
