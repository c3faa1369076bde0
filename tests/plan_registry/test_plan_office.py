"""The plan office's actions, through the API and the staff page: recomputing a year's feeds,
closing and reopening a year, entering a survey value; with their refusals changing nothing."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.utils.html import escape as html_escape
from rest_framework.test import APIClient

from core.errors import ReasonRequired
from plan_registry import errors
from plan_registry.models import FeedRun, FiscalYearEvent, Indicator, IndicatorValue, IndicatorValueChange
from tests.factories import PASSWORD, IndicatorFactory, PlanFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db
ApiClient = Callable[[User], APIClient]


@pytest.fixture
def indicators() -> tuple[Indicator, Indicator]:
    plan = PlanFactory(code="kumamoto-welfare-5", start_fiscal_year=2024, end_fiscal_year=2031)
    fed = IndicatorFactory(plan=plan, code="SYS-02", label="SYS-02", source="feed", baseline_fiscal_year=2023)
    survey = IndicatorFactory(
        plan=plan, code="KPI5-IV-3", label="IV-3", source="manual", unit="%", baseline_fiscal_year=2023
    )
    return fed, survey


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def state() -> list[Any]:
    return [
        list(model.objects.order_by("pk").values())
        for model in (IndicatorValue, IndicatorValueChange, FeedRun, FiscalYearEvent)
    ]


def test_the_plan_office_recomputes_a_year_and_reads_the_runs(
    client_for: ApiClient, planner: User, indicators: object
) -> None:
    client = client_for(planner)

    outcomes = client.post("/api/v1/plan/feed-runs/", {"fiscal_year": 2025}, format="json").json()
    page = client.get("/api/v1/plan/feed-runs/", {"fiscal_year": 2025}).json()
    runs = page["results"]

    assert page["count"] == 1
    assert page["next"] is None
    assert {
        "feed": "events.active_volunteers",
        "indicator": "SYS-02",
        "written": 1,
        "kept_manual": 0,
    } in outcomes
    assert [(r["feed"], r["indicator"], r["run_by"]) for r in runs] == [
        ("events.active_volunteers", "SYS-02", planner.email)
    ]


def test_the_runs_are_paged_rather_than_cut_off(
    client_for: ApiClient, planner: User, indicators: object
) -> None:
    client = client_for(planner)
    for _run in range(3):
        client.post("/api/v1/plan/feed-runs/", {"fiscal_year": 2025}, format="json")

    first = client.get("/api/v1/plan/feed-runs/", {"fiscal_year": 2025, "page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert len(second["results"]) == 1
    assert second["next"] is None


def test_a_closed_year_is_refused_until_reopened_with_a_reason(
    client_for: ApiClient, planner: User, indicators: object
) -> None:
    client = client_for(planner)
    closed = client.post(
        "/api/v1/plan/fiscal-years/2025/close/", {"reason": "推進会議に報告済み"}, format="json"
    )
    before = state()

    recompute = client.post("/api/v1/plan/feed-runs/", {"fiscal_year": 2025}, format="json")
    no_reason = client.post("/api/v1/plan/fiscal-years/2025/reopen/", {}, format="json")
    twice = client.post("/api/v1/plan/fiscal-years/2025/close/", {}, format="json")

    assert (closed.status_code, closed.json()["closed"]) == (201, True)
    assert (recompute.status_code, recompute.json()["code"]) == (409, "fiscal_year_closed")
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "reason_required")
    assert (twice.status_code, twice.json()["code"]) == (409, "fiscal_year_closed")
    assert state() == before
    reopened = client.post("/api/v1/plan/fiscal-years/2025/reopen/", {"reason": "訂正のため"}, format="json")
    assert (reopened.status_code, reopened.json()["closed"]) == (201, False)
    assert client.post("/api/v1/plan/feed-runs/", {"fiscal_year": 2025}, format="json").status_code == 200


def test_only_the_plan_office_runs_feeds_or_closes_years(
    client_for: ApiClient, coordinator: User, indicators: object
) -> None:
    client = client_for(coordinator)
    before = state()

    assert client.post("/api/v1/plan/feed-runs/", {"fiscal_year": 2025}, format="json").status_code == 403
    assert client.post("/api/v1/plan/fiscal-years/2025/close/", {}, format="json").status_code == 403
    assert client_for(coordinator).get("/api/v1/plan/feed-runs/?fiscal_year=2025").status_code == 403
    assert signed_in(coordinator).get("/staff/plan/values/").status_code == 403
    assert state() == before


def test_a_year_out_of_range_is_a_clear_error(client_for: ApiClient, planner: User) -> None:
    response = client_for(planner).post("/api/v1/plan/fiscal-years/99999/close/", {}, format="json")

    assert response.status_code == 400
    assert FiscalYearEvent.objects.count() == 0


def test_the_staff_page_records_a_survey_value_and_shows_it(planner: User, indicators: object) -> None:
    client = signed_in(planner)

    response = client.post(
        "/staff/plan/values/",
        {
            "action": "value",
            "indicator": "KPI5-IV-3",
            "fiscal_year": 2025,
            "area": "",
            "value": "18.4",
            "source_document": "令和7年度 市民アンケート 問12",
        },
        follow=True,
    )

    value = IndicatorValue.objects.get(indicator__code="KPI5-IV-3", fiscal_year=2025)
    assert (value.value, value.source, value.recorded_by) == (Decimal("18.4"), "manual", planner)
    assert IndicatorValueChange.objects.get().changed_by == planner
    html = response.content.decode()
    assert "令和7年度 市民アンケート 問12" in html  # in the list of changes
    assert "IV-3" in html


def test_the_staff_page_explains_a_refusal_and_changes_nothing(planner: User, indicators: object) -> None:
    client = signed_in(planner)
    client.post(
        "/staff/plan/values/",
        {
            "action": "value",
            "indicator": "KPI5-IV-3",
            "fiscal_year": 2025,
            "value": "18.4",
            "source_document": "A",
        },
    )
    before = state()

    without_reason = client.post(
        "/staff/plan/values/",
        {
            "action": "value",
            "indicator": "KPI5-IV-3",
            "fiscal_year": 2025,
            "value": "17",
            "source_document": "B",
        },
    )
    not_a_number = client.post(
        "/staff/plan/values/",
        {
            "action": "value",
            "indicator": "KPI5-IV-3",
            "fiscal_year": 2025,
            "value": "abc",
            "source_document": "B",
        },
    )
    fed_indicator = client.post(
        "/staff/plan/values/",
        {"action": "value", "indicator": "SYS-02", "fiscal_year": 2025, "value": "5", "source_document": "B"},
    )

    assert without_reason.status_code == 200
    assert without_reason.context["value_form"].errors == {"reason": [str(ReasonRequired.message)]}
    assert not_a_number.status_code == 200
    assert "value" in not_a_number.context["value_form"].errors
    assert "indicator" in fed_indicator.context["value_form"].errors  # not offered: counted by the system
    assert state() == before


def test_the_staff_page_recomputes_closes_and_reopens(planner: User, indicators: object) -> None:
    client = signed_in(planner)

    client.post("/staff/plan/values/", {"action": "run", "fiscal_year": 2025})
    client.post(
        "/staff/plan/values/",
        {"action": "close", "fiscal_year": 2025, "reason": "報告済み", "confirmed": "yes"},
    )
    refused = client.post("/staff/plan/values/", {"action": "run", "fiscal_year": 2025})
    reopen_without_reason = client.post("/staff/plan/values/", {"action": "reopen", "fiscal_year": 2025})

    assert FeedRun.objects.filter(fiscal_year=2025, run_by=planner).count() == 1
    assert refused.status_code == 200
    assert refused.context["year_form"].errors == {"fiscal_year": [str(errors.FiscalYearClosed.message)]}
    assert reopen_without_reason.context["year_form"].errors == {"reason": [str(ReasonRequired.message)]}
    assert list(FiscalYearEvent.objects.values_list("action", flat=True)) == ["close"]
    assert FiscalYearEvent.objects.get().reason == "報告済み"  # carried through the confirmation


def test_closing_a_year_asks_first_and_the_first_step_changes_nothing(
    planner: User, indicators: object
) -> None:
    client = signed_in(planner)
    before = state()

    asked = client.post("/staff/plan/values/", {"action": "close", "fiscal_year": 2025, "reason": "報告済み"})

    html = asked.content.decode()
    assert asked.status_code == 200
    assert state() == before
    assert "2025年度を締めますか" in html
    assert "入力・変更も、システムの再集計もできなくなり" in html  # what closing means
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert '<input type="hidden" name="reason" value="報告済み">' in html
    confirmed = client.post(
        "/staff/plan/values/",
        {"action": "close", "fiscal_year": 2025, "reason": "報告済み", "confirmed": "yes"},
    )
    assert confirmed.status_code == 302
    assert list(FiscalYearEvent.objects.values_list("fiscal_year", "action")) == [(2025, "close")]


def test_closing_a_closed_year_is_refused_at_once(planner: User, indicators: object) -> None:
    client = signed_in(planner)
    client.post("/staff/plan/values/", {"action": "close", "fiscal_year": 2025, "confirmed": "yes"})
    before = state()

    again = client.post("/staff/plan/values/", {"action": "close", "fiscal_year": 2025})

    assert "締めますか" not in again.content.decode()
    assert again.context["year_form"].errors == {"fiscal_year": [str(errors.FiscalYearClosed.message)]}
    assert state() == before


def test_each_error_is_shown_once_beside_its_field(planner: User, indicators: object) -> None:
    client = signed_in(planner)
    entry = {"action": "value", "indicator": "KPI5-IV-3", "fiscal_year": 2025, "source_document": "A"}
    client.post("/staff/plan/values/", {**entry, "value": "18.4"})

    without_reason = client.post("/staff/plan/values/", {**entry, "value": "17"}).content.decode()
    not_a_number = client.post("/staff/plan/values/", {**entry, "value": "abc"}).content.decode()

    reason_required = html_escape(str(ReasonRequired.message))
    assert without_reason.count(reason_required) == 1
    field = without_reason.index('name="reason"')
    assert without_reason.index(reason_required, field) - field < 300  # right after the reason's box
    not_a_number_message = html_escape(str(forms.DecimalField().error_messages["invalid"]))
    assert not_a_number.count(not_a_number_message) == 1
    assert 'class="errorlist nonfield"' not in without_reason + not_a_number
