"""The plan is loaded exactly as the city published it. Expected figures are typed in from the
plan (seed: 第5次熊本市地域福祉計画 素案 and the 4th plan's 審議会 table), not read back from the
data file, so a wrong data file fails here."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from plan_registry.models import (
    Area,
    BasicPolicy,
    Indicator,
    IndicatorValue,
    Initiative,
    Plan,
    Programme,
    Viewpoint,
)
from plan_registry.plan_data import read_city, read_plans
from plan_registry.services import plan_load

pytestmark = pytest.mark.django_db

FIFTH_PLAN = {
    # code: (name starts with, unit, direction, baseline FY, baseline, target FY, target)
    "KPI5-I-1": ("日常において人権", "%", "increase", 2023, "86.4", 2031, "95.0"),
    "KPI5-I-2": (
        "熊本市ボランティアセンターによる研修の参加人数",
        "人",
        "increase",
        2023,
        "402",
        2031,
        "750",
    ),
    "KPI5-I-3": ("ふくし出前講座の受講者数", "人", "increase", 2023, "2465", 2031, "3000"),
    "KPI5-II-1": ("住民主体の高齢者の通いの場", "箇所", "increase", 2023, "811", 2031, "1011"),
    "KPI5-II-2": ("地域活動", "%", "increase", 2023, "36.5", 2031, "46.7"),
    "KPI5-III-1": (
        "民生委員・児童委員、主任児童委員の定員充足率",
        "%",
        "increase",
        2023,
        "89.5",
        2031,
        "100",
    ),
    "KPI5-III-2": ("支え合い活動が推進されている", "%", "increase", 2023, "43.5", 2031, "70.0"),
    "KPI5-IV-1": ("「熊本市生活自立支援センター」", "件", "increase", 2023, "1336", 2031, "2000"),
    "KPI5-IV-2": ("健やかにいきいきと", "%", "increase", 2023, "49.9", 2031, "60.0"),
    "KPI5-IV-3": ("孤独感の程度が高い市民の割合", "%", "decrease", 2023, "37.4", 2031, "25.0"),
    "KPI5-G-1": ("成年後見制度利用者数", "件", "increase", 2023, "1544", 2031, "1844"),
    "KPI5-G-2": ("市民後見人の対応ケース数", "ケース", "increase", 2024, "5", 2031, "20"),
}

FOURTH_PLAN = {
    # code: (label, baseline FY2018, {FY: actual}, target FY2024)
    "KPI4-01": ("①", "95.1", {2020: "91.6", 2021: "92.4", 2022: "86.5", 2023: "89.5"}, "100"),
    "KPI4-02": ("②", "98", {2020: "7", 2021: "11", 2022: "15", 2023: "90"}, "640"),
    "KPI4-03": ("③", "46", {2020: "0", 2021: "1", 2022: "34", 2023: "48"}, "70"),
    "KPI4-04": ("④", "711", {2020: "847", 2021: "708", 2022: "768", 2023: "811"}, "858"),
    "KPI4-05": ("⑤", None, {2020: "71.1", 2021: "45.9", 2022: "43.0", 2023: "43.5"}, "100"),
    "KPI4-06": ("⑥", "5", {2020: "20", 2021: "43", 2022: "68", 2023: "87"}, "95"),
    "KPI4-07": ("⑦", "484", {2020: "5233", 2021: "3894", 2022: "1656", 2023: "1336"}, "1200"),
    "KPI4-08": ("⑧", "96", {2020: "100", 2021: "269", 2022: "322", 2023: "203"}, "390"),
    "KPI4-09": ("⑨", "24.2", {2020: "24.3", 2021: "23.1", 2022: "21.0", 2023: "20.1"}, "50"),
    "KPI4-10": ("⑩", "1375", {2020: "1367", 2021: "1354", 2022: "1349", 2023: "1301"}, "1555"),
}


@pytest.fixture
def loaded() -> None:
    call_command("plan_load", verbosity=0)


def test_fifth_plan_structure_is_four_policies_nine_viewpoints_sixteen_initiatives(loaded: None) -> None:
    plan = Plan.objects.get(is_current=True)
    assert plan.code == "kumamoto-welfare-5"
    assert (plan.start_fiscal_year, plan.end_fiscal_year) == (2025, 2031)
    assert list(plan.policies.values_list("code", flat=True)) == ["I", "II", "III", "IV"]
    assert Viewpoint.objects.filter(policy__plan=plan).count() == 9
    numbers = list(Initiative.objects.filter(viewpoint__policy__plan=plan).values_list("number", flat=True))
    assert numbers == list(range(1, 17))


def test_programmes_keep_their_initiative_and_volunteer_features(loaded: None) -> None:
    matching = Programme.objects.get(name="ボランティアマッチングの機能強化")
    assert matching.initiative.number == 3
    assert matching.volunteer_relation == "core"
    assert matching.features == ["matching"]
    points = Programme.objects.get(name="くまもとポイント事業")
    assert "certificates" in points.features
    # 出前講座 appears under two initiatives and is kept twice.
    assert sorted(Programme.objects.filter(name="出前講座").values_list("initiative__number", flat=True)) == [
        1,
        6,
    ]


@pytest.mark.parametrize("code", sorted(FIFTH_PLAN))
def test_fifth_plan_indicators_have_the_plans_baseline_and_target(loaded: None, code: str) -> None:
    name, unit, direction, baseline_year, baseline, target_year, target = FIFTH_PLAN[code]
    indicator = Indicator.objects.get(code=code)
    assert indicator.plan.code == "kumamoto-welfare-5"
    assert indicator.name.startswith(name)
    assert (indicator.unit, indicator.direction) == (unit, direction)
    assert (indicator.baseline_fiscal_year, indicator.baseline_value) == (baseline_year, Decimal(baseline))
    assert (indicator.target_fiscal_year, indicator.target_value) == (target_year, Decimal(target))


def test_fifth_plan_has_exactly_these_indicators(loaded: None) -> None:
    codes = set(Indicator.objects.filter(plan__code="kumamoto-welfare-5").values_list("code", flat=True))
    assert codes == set(FIFTH_PLAN) | SYSTEM | {"POP-01"}


SYSTEM = {f"SYS-{n:02d}" for n in range(1, 16)}


def test_the_systems_own_indicators_sit_under_the_initiatives_they_serve(loaded: None) -> None:
    system = Indicator.objects.filter(code__in=SYSTEM).select_related("initiative")
    assert {(i.code, i.initiative.number if i.initiative else None) for i in system} == {
        ("SYS-01", 3),
        ("SYS-02", 3),
        ("SYS-03", 4),
        ("SYS-04", 3),
        ("SYS-05", 3),
        ("SYS-06", 3),
        ("SYS-07", 4),
        ("SYS-08", 3),
        ("SYS-09", 3),
        ("SYS-10", 3),
        ("SYS-11", 3),
        ("SYS-12", 3),
        ("SYS-13", 4),
        ("SYS-14", 3),
        ("SYS-15", 2),
    }
    assert {(i.baseline_value, i.target_value, i.source) for i in system} == {(None, None, "feed")}
    assert [i.code for i in system if i.label != i.code] == []  # one spelling: SYS-01, never S-01
    assert Indicator.objects.get(code="SYS-11").direction == Indicator.Direction.DECREASE


def test_the_app_measure_of_participation_is_a_proxy_beside_the_survey_and_population_is_entered(
    loaded: None,
) -> None:
    proxy = Indicator.objects.get(code="SYS-13")
    assert proxy.proxy_for == Indicator.objects.get(code="KPI5-II-2")
    assert Indicator.objects.get(code="KPI5-II-2").source == Indicator.Source.MANUAL
    assert Indicator.objects.get(code="POP-01").source == Indicator.Source.MANUAL


def test_what_the_plan_counts_from_the_shakyos_records_is_entered_and_the_apps_count_sits_beside_it(
    loaded: None,
) -> None:
    """I-2 (402 trained in FY2023) and I-3 (2,465 at ふくし出前講座) are the 市社協's records of every
    training and lecture: the plan office enters them, and what the app verified is a proxy."""
    for official, proxy in (("KPI5-I-2", "SYS-14"), ("KPI5-I-3", "SYS-15")):
        assert Indicator.objects.get(code=official).source == Indicator.Source.MANUAL
        assert Indicator.objects.get(code=proxy).proxy_for == Indicator.objects.get(code=official)


def test_reloading_retires_the_counts_fed_to_an_indicator_that_is_now_entered(loaded: None) -> None:
    official = Indicator.objects.get(code="KPI5-I-2")
    IndicatorValue.objects.create(
        indicator=official,
        fiscal_year=2025,
        value=Decimal(7),
        source=IndicatorValue.Source.FEED,
        recorded_at=timezone.now(),
    )
    baseline = IndicatorValue.objects.filter(indicator=official).exclude(source=IndicatorValue.Source.FEED)
    kept = list(baseline.values_list("pk", flat=True))

    plan_load(plans=read_plans(), city=read_city())

    assert list(IndicatorValue.objects.filter(indicator=official).values_list("pk", flat=True)) == kept


def test_counted_and_survey_indicators_are_told_apart(loaded: None) -> None:
    fed = set(Indicator.objects.filter(source=Indicator.Source.FEED).values_list("code", flat=True))
    assert fed == {"KPI4-02", "KPI4-03"} | SYSTEM


@pytest.mark.parametrize("code", sorted(FOURTH_PLAN))
def test_fourth_plan_indicators_with_their_actuals(loaded: None, code: str) -> None:
    label, baseline, actuals, target = FOURTH_PLAN[code]
    indicator = Indicator.objects.get(code=code)
    assert indicator.plan.code == "kumamoto-welfare-4"
    assert indicator.label == label
    assert indicator.baseline_fiscal_year == 2018
    assert indicator.baseline_value == (Decimal(baseline) if baseline else None)
    assert (indicator.target_fiscal_year, indicator.target_value) == (2024, Decimal(target))
    values = IndicatorValue.objects.filter(indicator=indicator)
    assert {v.fiscal_year: v.value for v in values} == {year: Decimal(v) for year, v in actuals.items()}
    assert {v.source for v in values} == {IndicatorValue.Source.PLAN_DOCUMENT}
    assert all(v.area_id is None for v in values)


def test_fourth_plan_policies_are_its_own_three(loaded: None) -> None:
    policies = BasicPolicy.objects.filter(plan__code="kumamoto-welfare-4")
    assert list(policies.values_list("code", flat=True)) == ["I", "II", "III"]
    assert Indicator.objects.get(code="KPI4-07").policy.title == "多様な主体の連携・協働の推進"


def test_the_city_and_its_five_wards_are_loaded(loaded: None) -> None:
    city = Area.objects.get(kind=Area.Kind.CITY)
    assert city.name == "熊本市"
    assert sorted(city.children.values_list("name", flat=True)) == sorted(
        ["中央区", "東区", "西区", "南区", "北区"]
    )


def _snapshot() -> dict[str, list[dict[str, object]]]:
    models = (Plan, BasicPolicy, Viewpoint, Initiative, Programme, Indicator, IndicatorValue, Area)
    return {m.__name__: [model_to_dict(row) for row in m.objects.order_by("pk")] for m in models}


def test_loading_twice_changes_nothing(loaded: None) -> None:
    before = _snapshot()
    report = plan_load(plans=read_plans(), city=read_city())
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged > 300
    assert _snapshot() == before


def test_a_changed_data_file_updates_in_place(loaded: None) -> None:
    indicator = Indicator.objects.get(code="KPI5-I-2")
    Indicator.objects.filter(pk=indicator.pk).update(target_value=Decimal("1"))
    report = plan_load(plans=read_plans(), city=read_city())
    assert report.updated == 1
    indicator.refresh_from_db()
    assert indicator.target_value == Decimal("750")
    assert Indicator.objects.filter(code="KPI5-I-2").count() == 1
