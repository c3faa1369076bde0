"""The progress report as JSON and CSV: values with provenance next to baselines and targets,
rates that respect direction, the ward breakdown, and only for city staff. The fixture's years
(FY2024, FY2027) are past years here: the clock stands in FY2028 unless a test moves it."""

import csv
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from plan_registry.feeds import registered
from plan_registry.models import Area, Indicator, IndicatorValue
from plan_registry.progress import Status
from plan_registry.report import CSV_COLUMNS, ReportRow, report_for
from plan_registry.report_text import indicator_text
from tests.factories import IndicatorFactory, PlanFactory
from tests.plan_registry.conftest import InFiscalYear
from volunteer.models import User

pytestmark = pytest.mark.django_db
Client = Callable[[User], APIClient]


@pytest.fixture(autouse=True)
def _after_the_fixture_years(in_fiscal_year: InFiscalYear) -> None:
    in_fiscal_year(2028)


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
        (r["indicator_code"], r["name"], r["value"], r["achievement_rate"], r["on_track"], r["status"])
        for r in rows
    ] == [
        ("KPI5-I-2", "研修の参加人数", "600", "0.569", "true", "on_track"),
        ("KPI5-IV-3", "孤独感の程度が高い市民の割合", "18", "0.400", "false", "behind"),
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


def _record(
    indicator: Indicator,
    year: int,
    value: str | int,
    source: str = "plan_document",
    **fields: object,
) -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator=indicator,
        fiscal_year=year,
        value=Decimal(value),
        source=source,
        recorded_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def fourth_plan() -> tuple[Indicator, Indicator]:
    """Two indicators of a plan that ended in FY2024: one short of its target with no value for its
    last year (② of the 4th plan), one past it in its last year (⑦), each counted on after the end."""
    plan = PlanFactory(
        code="kumamoto-welfare-4", title="第4次計画", start_fiscal_year=2020, end_fiscal_year=2024
    )
    matching = IndicatorFactory(
        plan=plan,
        code="KPI4-02",
        label="②",
        unit="件",
        baseline_fiscal_year=2018,
        baseline_value=Decimal(98),
        target_fiscal_year=2024,
        target_value=Decimal(640),
        position=2,
    )
    consultations = IndicatorFactory(
        plan=plan,
        code="KPI4-07",
        label="⑦",
        unit="件",
        source="manual",
        baseline_fiscal_year=2018,
        baseline_value=Decimal(484),
        target_fiscal_year=2024,
        target_value=Decimal(1200),
        position=7,
    )
    for year, value in ((2020, 7), (2021, 11), (2022, 15), (2023, 90)):
        _record(matching, year, value)
    _record(matching, 2025, 4, "feed", provenance={"feed": "matching.matches_confirmed"})
    _record(consultations, 2023, 1336)
    _record(consultations, 2024, 1250, "manual", provenance={"source_document": "令和6年度 相談実績"})
    return matching, consultations


def _facts(row: ReportRow, fiscal_year: int, current: int) -> dict[str, tuple[str, str]]:
    text = indicator_text(row, fiscal_year=fiscal_year, current=current)
    return {fact.kind: (fact.heading, fact.text) for fact in text.facts}


def test_a_finished_plan_reads_as_its_final_result_never_against_later_years(
    fourth_plan: tuple[Indicator, Indicator], in_fiscal_year: InFiscalYear
) -> None:
    in_fiscal_year(2026)
    rows = {row.indicator.code: row for row in report_for(fiscal_year=2025)}
    matching, consultations = rows["KPI4-02"], rows["KPI4-07"]

    # ② has no FY2024 value: its last on record within the plan (FY2023) is judged, not FY2025's.
    assert matching.value is not None
    assert matching.value.fiscal_year == 2023
    assert matching.assessment.status == Status.NOT_ACHIEVED
    assert matching.achievement_rate == Decimal(90 - 98) / Decimal(640 - 98)
    assert matching.on_track is False
    assert consultations.value is not None
    assert consultations.value.fiscal_year == 2024
    assert consultations.assessment.status == Status.ACHIEVED
    assert consultations.achievement_rate == Decimal(1250 - 484) / Decimal(1200 - 484)
    facts = _facts(matching, 2025, 2026)
    assert facts["value"] == (
        "最終実績",
        "2023年度 90件（最終年度の2024年度の値がないため、2023年度の値で判定）",
    )
    assert facts["rate"] == ("最終達成率", "-1.5%")  # -8 / 542
    assert facts["status"] == ("評価", "未達成")
    assert facts["after_end"] == ("計画終了後の値", "2025年度 4件（計画期間外のため評価の対象外）")
    assert _facts(consultations, 2025, 2026)["value"][1] == "2024年度 1,250件"
    assert _facts(consultations, 2025, 2026)["rate"][1] == "107%"  # 766 / 716
    assert _facts(consultations, 2025, 2026)["status"][1] == "達成"
    assert [year for year, _ in indicator_text(matching, fiscal_year=2025, current=2026).series.values] == [
        2020,
        2021,
        2022,
        2023,
    ]


def test_a_finished_plan_is_still_scored_year_by_year_in_its_own_years(
    fourth_plan: tuple[Indicator, Indicator], in_fiscal_year: InFiscalYear
) -> None:
    in_fiscal_year(2026)
    matching = next(row for row in report_for(fiscal_year=2022) if row.indicator.code == "KPI4-02")

    assert (matching.value and matching.value.fiscal_year, matching.assessment.status) == (
        2022,
        Status.BEHIND,
    )
    assert sorted(matching.by_year) == [2020, 2021, 2022]


def test_the_year_in_progress_is_interim_and_never_behind(
    client_for: Client, planner: User, in_fiscal_year: InFiscalYear
) -> None:
    moment = in_fiscal_year(2026)
    lectures = IndicatorFactory(
        plan=PlanFactory(code="kumamoto-welfare-5"),
        code="KPI5-I-3",
        label="I-3",
        source="manual",
        baseline_fiscal_year=2023,
        baseline_value=Decimal(2465),
        target_fiscal_year=2031,
        target_value=Decimal(3000),
    )
    _record(lectures, 2025, 2600, "manual")
    _record(lectures, 2026, 130, "manual")  # half a year's lectures: far below the path if judged

    row = report_for(fiscal_year=2026)[0]
    api = client_for(planner).get("/api/v1/plan/report/", {"fiscal_year": 2026}).json()[0]
    facts = _facts(row, 2026, 2026)

    assert (row.assessment.status, row.achievement_rate, row.on_track) == (Status.IN_PROGRESS, None, None)
    assert (api["achievement_rate"], api["on_track"]) == (None, None)
    assert facts["value"][0] == "2026年度（年度途中）"
    assert f"{moment.month}月{moment.day}日時点の暫定値" in facts["value"][1]
    assert "公式値: 熊本市社会福祉協議会の記録" in facts["value"][1]  # I-3's records, per the plan data
    assert facts["status"] == ("評価", "年度途中")
    assert facts["rate"][1].startswith("—")
    assert not any("遅れ" in text for _, text in facts.values())
    assert indicator_text(row, fiscal_year=2026, current=2026).series.in_progress == 2026
    # The year before, closed, is judged as usual: 2,600 is above the path's 2,465 + 535 × 2/8.
    assert report_for(fiscal_year=2025)[0].assessment.status == Status.ON_TRACK


def test_a_report_holds_nothing_recorded_for_a_later_year(
    client_for: Client, planner: User, ward: Area, in_fiscal_year: InFiscalYear
) -> None:
    in_fiscal_year(2026)
    plan = PlanFactory(code="kumamoto-welfare-5")
    survey = IndicatorFactory(plan=plan, code="KPI5-II-2", label="II-2", source="manual", unit="%")
    proxy = IndicatorFactory(plan=plan, code="SYS-13", label="SYS-13", unit="%", proxy_for=survey)
    _record(survey, 2025, "31.5", "manual")
    _record(survey, 2026, "43.21", "manual")
    _record(survey, 2026, "44.44", "manual", area=ward)
    _record(proxy, 2025, "4.2", "feed")
    _record(proxy, 2026, "9.87", "feed")
    _record(proxy, 2026, "6.54", "feed", breakdown="age:65-74", breakdown_label="65〜74歳")

    rows = report_for(fiscal_year=2025)
    printed = [
        (fact.text, item.series)
        for row in rows
        for item in [indicator_text(row, fiscal_year=2025, current=2026)]
        for fact in item.facts
    ]
    api = client_for(planner).get("/api/v1/plan/report/", {"fiscal_year": 2025}).content.decode()
    csv_text = client_for(planner).get("/api/v1/plan/report/csv/", {"fiscal_year": 2025}).content.decode()

    assert [sorted(row.by_year) for row in rows] == [[2025], [2025]]
    assert [(row.by_ward, row.parts) for row in rows] == [([], []), ([], [])]
    assert rows[0].proxy is not None
    assert rows[0].proxy[1].value == Decimal("4.2")
    for later in ("43.21", "44.44", "9.87", "6.54"):
        assert not any(later in text for text, _ in printed)
        assert later not in api
        assert later not in csv_text
    assert all(year <= 2025 for _, series in printed for year, _ in series.values)


def test_figures_are_written_for_a_japanese_document(in_fiscal_year: InFiscalYear) -> None:
    plan = PlanFactory(code="kumamoto-welfare-4", start_fiscal_year=2020, end_fiscal_year=2024)
    commissioners = IndicatorFactory(
        plan=plan,
        code="KPI4-01",
        label="①",
        unit="%",
        baseline_fiscal_year=2018,
        baseline_value=Decimal("95.100"),
        target_fiscal_year=2024,
        target_value=Decimal("100.000"),
    )
    felt = IndicatorFactory(
        plan=plan,
        code="KPI4-05",
        label="⑤",
        unit="%",
        baseline_fiscal_year=2018,
        baseline_value=None,
        target_fiscal_year=2024,
        target_value=Decimal(100),
    )
    lectures = IndicatorFactory(plan=plan, code="KPI4-11", unit="人", baseline_value=Decimal("2465.000"))
    _record(commissioners, 2021, "92.400")
    _record(felt, 2021, "45.900")

    facts = {row.indicator.code: _facts(row, 2021, 2028) for row in report_for(fiscal_year=2021)}

    assert facts["KPI4-01"]["baseline"][1] == "2018年度 95.1%"
    assert facts["KPI4-01"]["target"][1] == "2024年度 100%"
    assert facts["KPI4-01"]["value"][1] == "92.4%"
    assert facts["KPI4-05"]["baseline"][1] == "基準値なし"  # never "2018年度 %"
    assert facts["KPI4-05"]["rate"][1] == "—（基準値なし）"
    assert facts[lectures.code]["baseline"][1] == "2023年度 2,465人"


def test_feeds_and_sources_are_named_as_people_read_them(
    report_plan: tuple[Indicator, Indicator], in_fiscal_year: InFiscalYear
) -> None:
    _training, loneliness = report_plan
    IndicatorValue.objects.filter(indicator=loneliness).update(
        provenance={"source_document": "令和9年度 市民アンケート 問12"}
    )
    titles = {feed.name: feed.description for feed in registered()}

    rows = {row.indicator.code: row for row in report_for(fiscal_year=2027)}

    assert _facts(rows["KPI5-I-2"], 2027, 2028)["source"][1] == (
        f"システムによる集計（{titles['events.training_participants']}）"
    )
    assert (
        _facts(rows["KPI5-IV-3"], 2027, 2028)["source"][1]
        == "計画担当課が入力（令和9年度 市民アンケート 問12）"
    )
