"""The progress report as JSON and CSV: values with provenance next to baselines and targets,
rates that respect direction, the ward breakdown, and only for city staff."""

import csv
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from plan_registry.models import Indicator, IndicatorValue
from plan_registry.report import CSV_COLUMNS
from tests.factories import IndicatorFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db
Client = Callable[[User], APIClient]


def test_the_report_as_json(
    client_for: Client, planner: User, report_plan: tuple[Indicator, Indicator]
) -> None:
    rows = client_for(planner).get("/api/v1/plan/report/", {"fiscal_year": 2027}).json()

    training, loneliness = rows
    assert (training["code"], training["value"]["value"], training["value"]["source"]) == (
        "KPI5-I-2",
        600.0,
        "feed",
    )
    assert training["value"]["provenance"]["feed"] == "events.training_participants"
    assert [v["fiscal_year"] for v in training["values"]] == [2024, 2027]
    assert (training["achievement_rate"], training["on_track"]) == (0.569, True)  # 198 / 348; path 576
    assert training["by_ward"] == [{"ward": "chuo", "name": "中央区", "value": 200.0}]
    assert (loneliness["achievement_rate"], loneliness["on_track"]) == (
        0.4,
        False,
    )  # path 17.5, 18 is behind


def test_the_report_as_csv_opens_in_excel_and_parses_back(
    client_for: Client, planner: User, report_plan: tuple[Indicator, Indicator]
) -> None:
    response = client_for(planner).get("/api/v1/plan/report/csv/", {"fiscal_year": 2027})

    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [
        (r["indicator_code"], r["name"], r["value"], r["achievement_rate"], r["on_track"]) for r in rows
    ] == [
        ("KPI5-I-2", "研修の参加人数", "600", "0.569", "true"),
        ("KPI5-IV-3", "孤独感の程度が高い市民の割合", "18", "0.400", "false"),
    ]


def test_a_year_without_values_shows_the_plan_without_rates(
    client_for: Client, planner: User, report_plan: tuple[Indicator, Indicator]
) -> None:
    rows = client_for(planner).get("/api/v1/plan/report/", {"fiscal_year": 2026}).json()

    assert [(r["value"], r["achievement_rate"], r["on_track"]) for r in rows] == [(None, None, None)] * 2


def test_only_the_plan_office_reads_the_report(
    client_for: Client, resident: User, organiser: User, coordinator: User, planner: User, report_plan: object
) -> None:
    def answer(person: User) -> tuple[int, str | None]:
        response = client_for(person).get("/api/v1/plan/report/", {"fiscal_year": 2027})
        body = response.json()
        return response.status_code, body.get("code") if isinstance(body, dict) else None

    # Organisation staff may be Django staff (they use the staff pages), as in the demo city.
    organiser.is_staff = True
    organiser.save(update_fields=["is_staff"])
    assert [answer(person) for person in (resident, organiser, coordinator)] == [(403, "not_plan_office")] * 3
    assert answer(planner)[0] == 200


def test_a_bad_year_is_a_clear_error(client_for: Client, planner: User) -> None:
    response = client_for(planner).get("/api/v1/plan/report/", {"fiscal_year": "last"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "fiscal_year"


def test_the_app_measure_sits_beside_the_survey_and_parts_show_under_the_total(
    client_for: Client, planner: User, report_plan: tuple[Indicator, Indicator]
) -> None:
    training, _loneliness = report_plan
    survey = IndicatorFactory(
        plan=training.plan, code="KPI5-II-2", label="II-2", source="manual", unit="%", position=3
    )
    proxy = IndicatorFactory(
        plan=training.plan,
        code="SYS-13",
        label="SYS-13",
        source="feed",
        unit="%",
        position=4,
        proxy_for=survey,
    )
    now = timezone.now()
    for indicator, breakdown, label, value, source in (
        (survey, "", "", Decimal("31.5"), "manual"),
        (proxy, "", "", Decimal("4.2"), "feed"),
        (training, "age:65-74", "65〜74歳", Decimal(250), "feed"),
        (training, "age:75-", "75歳以上", Decimal(120), "feed"),
    ):
        IndicatorValue.objects.create(
            indicator=indicator,
            fiscal_year=2027,
            breakdown=breakdown,
            breakdown_label=label,
            value=value,
            source=source,
            recorded_at=now,
        )

    rows = {
        row["code"]: row for row in client_for(planner).get("/api/v1/plan/report/?fiscal_year=2027").json()
    }
    csv_rows = {
        row["indicator_code"]: row
        for row in csv.DictReader(
            io.StringIO(
                client_for(planner)
                .get("/api/v1/plan/report/csv/?fiscal_year=2027")
                .content.decode("utf-8-sig")
            )
        )
    }

    assert rows["KPI5-II-2"]["value"]["value"] == 31.5  # the survey's own value, untouched
    assert (rows["KPI5-II-2"]["proxy"]["code"], rows["KPI5-II-2"]["proxy"]["value"]) == ("SYS-13", 4.2)
    assert (csv_rows["KPI5-II-2"]["value"], csv_rows["KPI5-II-2"]["proxy_value"]) == ("31.5", "4.2")
    assert rows["KPI5-I-2"]["value"]["value"] == 600.0  # the total, not a part
    assert rows["KPI5-I-2"]["parts"] == [
        {"label": "65〜74歳", "value": 250.0},
        {"label": "75歳以上", "value": 120.0},
    ]
    assert rows["KPI5-I-2"]["proxy"] is None
