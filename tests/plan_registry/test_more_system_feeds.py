"""The rest of the system's indicators against hand-counted fixtures: age bands (with the
birthday on 1 April), repeaters, the II-2 proxy over an entered population, participation by
initiative and programme, the matching funnel and its median wait, points spent."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from events.models import Activity, Participation
from matching.models import Match, MatchDecision
from plan_registry.models import Area, Indicator, IndicatorValue, Programme
from plan_registry.services import feeds_run, manual_value_record
from points.models import Redemption, Scheme
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    InitiativeFactory,
    MatchDecisionFactory,
    MatchFactory,
    NeedFactory,
    ParticipationFactory,
    ProgrammeFactory,
    RedemptionFactory,
    RewardFactory,
    UserFactory,
)
from volunteer.models import User

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")
CODES = ("SYS-02", "SYS-07", "SYS-08", "SYS-09", "SYS-10", "SYS-11", "SYS-12", "SYS-13", "KPI4-02")


@pytest.fixture(autouse=True)
def _indicators(city_schemes_configured: None) -> None:
    for code in CODES:
        IndicatorFactory(code=code, source="feed")
    IndicatorFactory(code="POP-01", source="manual")


def values(code: str, fiscal_year: int = 2025, breakdown: str = "") -> dict[str | None, Decimal]:
    rows = IndicatorValue.objects.filter(
        indicator__code=code, fiscal_year=fiscal_year, breakdown=breakdown
    ).select_related("area")
    return {(row.area.code if row.area else None): row.value for row in rows}


def breakdowns(code: str, area: str | None = None) -> dict[str, tuple[str, Decimal]]:
    rows = IndicatorValue.objects.filter(indicator__code=code, fiscal_year=2025, area__code=area).exclude(
        breakdown=""
    )
    if area is None:
        rows = IndicatorValue.objects.filter(indicator__code=code, fiscal_year=2025, area=None).exclude(
            breakdown=""
        )
    return {row.breakdown: (row.breakdown_label, row.value) for row in rows}


def event(district: Area, day: dt.date, programme: Programme | None = None) -> Activity:
    starts = dt.datetime(day.year, day.month, day.day, 10, tzinfo=JST)
    return ActivityFactory(
        school_district=district,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        programme=programme,
    )


def attended(
    activity: Activity, person: User, verified: bool = True, source_key: str = "app"
) -> Participation:
    return ParticipationFactory(
        activity=activity,
        person=person,
        minutes=120 if verified else None,
        verified_at=activity.ends_at if verified else None,
        source_key=source_key,
    )


def test_age_bands_turn_on_1_april_and_repeaters_are_a_share_of_the_active(
    school_district: Area, other_school_district: Area
) -> None:
    turns_65_on_1_april = UserFactory(school_district=school_district, birth_date=dt.date(1960, 4, 1))
    still_64 = UserFactory(school_district=school_district, birth_date=dt.date(1960, 4, 2))
    child = UserFactory(school_district=other_school_district, birth_date=dt.date(2010, 1, 1))
    no_birth_date = UserFactory(school_district=other_school_district, birth_date=None)
    never_verified = UserFactory(school_district=school_district, birth_date=dt.date(1950, 1, 1))
    june, july = event(school_district, dt.date(2025, 6, 1)), event(school_district, dt.date(2025, 7, 1))
    for person in (turns_65_on_1_april, still_64, child, no_birth_date):
        attended(june, person)
    attended(july, turns_65_on_1_april)  # a repeater
    attended(july, child)  # another
    attended(july, never_verified, verified=False)

    feeds_run(fiscal_year=2025)

    assert values("SYS-02")[None] == 4
    assert breakdowns("SYS-02") == {
        "age:65-74": ("65〜74歳", 1),
        "age:40-64": ("40〜64歳", 1),
        "age:0-19": ("19歳以下", 1),
        "age:unknown": ("生年月日の登録なし", 1),
    }
    assert breakdowns("SYS-02", "chuo") == {"age:65-74": ("65〜74歳", 1), "age:40-64": ("40〜64歳", 1)}
    # 2 of 4 came twice; in chuo 1 of 2, in kita 1 of 2.
    assert values("SYS-07") == {
        None: Decimal("50.0"),
        "chuo": Decimal("50.0"),
        "chuo-dla-1": Decimal("50.0"),
        "chuo-01": Decimal("50.0"),
        "kita": Decimal("50.0"),
        "kita-dla-1": Decimal("50.0"),
        "kita-01": Decimal("50.0"),
    }


def test_the_participation_proxy_divides_by_the_population_entered_and_leaves_the_survey_alone(
    school_district: Area, ward: Area, planner: User
) -> None:
    survey = IndicatorFactory(code="KPI5-II-2", source="manual")
    june = event(school_district, dt.date(2025, 6, 1))
    for _ in range(3):
        attended(june, UserFactory(school_district=school_district))
    manual_value_record(
        indicator_code="POP-01",
        fiscal_year=2024,
        value=Decimal(730000),
        source_document="住基",
        staff=planner,
    )
    manual_value_record(
        indicator_code="POP-01",
        fiscal_year=2025,
        value=Decimal(600),
        source_document="住基",
        staff=planner,
        area_code="chuo",
    )
    manual_value_record(
        indicator_code=survey.code,
        fiscal_year=2025,
        value=Decimal("31.5"),
        source_document="市民アンケート",
        staff=planner,
    )

    feeds_run(fiscal_year=2025)

    # The city uses the latest population on record (FY2024); chuo its own; nowhere else has one.
    assert values("SYS-13") == {None: Decimal("0.0"), "chuo": Decimal("0.5")}
    assert values("KPI5-II-2") == {None: Decimal("31.5")}
    assert IndicatorValue.objects.get(indicator=survey).source == IndicatorValue.Source.MANUAL


def test_participation_by_initiative_and_programme(
    school_district: Area, other_school_district: Area
) -> None:
    initiative = InitiativeFactory(number=3, title="ボランティア活動の推進")
    salon = ProgrammeFactory(initiative=initiative, name="ふれあい・いきいきサロン", position=2)
    lecture = ProgrammeFactory(initiative=initiative, name="ふくし出前講座の強化", position=5)
    for activity, people in (
        (event(school_district, dt.date(2025, 5, 1), salon), 2),
        (event(other_school_district, dt.date(2025, 5, 2), lecture), 3),
        (event(school_district, dt.date(2025, 5, 3)), 1),
    ):
        for _ in range(people):
            attended(activity, UserFactory())
    attended(event(school_district, dt.date(2025, 5, 4), salon), UserFactory(), verified=False)

    feeds_run(fiscal_year=2025)

    assert values("SYS-08")[None] == 6
    assert breakdowns("SYS-08") == {
        "initiative:3": ("取組3 ボランティア活動の推進", 5),
        "programme:3-2": ("ふれあい・いきいきサロン", 2),
        "programme:3-5": ("ふくし出前講座の強化", 3),
        "programme:none": ("事業の指定なし", 1),
    }
    assert breakdowns("SYS-08", "kita") == {
        "initiative:3": ("取組3 ボランティア活動の推進", 3),
        "programme:3-5": ("ふくし出前講座の強化", 3),
    }


def confirmed(district: Area, posted: dt.datetime, waited_hours: float) -> Match:
    match = MatchFactory(
        need=NeedFactory(school_district=district, created_at=posted),
        proposed_at=posted + dt.timedelta(hours=1),
        status=Match.Status.CONFIRMED,
    )
    MatchDecisionFactory(
        match=match, action=MatchDecision.Action.CONFIRM, decided_at=posted + dt.timedelta(hours=waited_hours)
    )
    return match


def test_the_matching_funnel_and_the_median_wait_for_confirmation(
    school_district: Area, other_school_district: Area
) -> None:
    posted = dt.datetime(2025, 6, 1, 9, tzinfo=JST)
    waits = {school_district: (24, 48, 96), other_school_district: (24, 240)}
    matches = [
        confirmed(district, posted, hours) for district, hours_list in waits.items() for hours in hours_list
    ]
    MatchFactory(
        need=NeedFactory(school_district=school_district),
        proposed_at=dt.datetime(2025, 3, 31, 23, 59, tzinfo=JST),
        status=Match.Status.DECLINED,
    )  # proposed in FY2024
    done = event(school_district, dt.date(2025, 6, 10))
    attended(done, matches[0].volunteer, source_key=f"match:{matches[0].pk}")
    attended(
        event(school_district, dt.date(2025, 6, 17)),
        matches[0].volunteer,
        source_key=f"match:{matches[0].pk}",
    )
    attended(done, matches[1].volunteer, verified=False, source_key=f"match:{matches[1].pk}")

    feeds_run(fiscal_year=2025)

    assert values("SYS-09")[None] == 5
    assert values("KPI4-02")[None] == 5
    assert values("SYS-10") == {
        None: 1,
        "chuo": 1,
        "chuo-dla-1": 1,
        "chuo-01": 1,
    }  # twice attended, one match
    # Waits in days: chuo 1, 2, 4 → 2.0; kita 1, 10 → 5.5; the city 1, 1, 2, 4, 10 → 2.0.
    assert values("SYS-11") == {
        None: Decimal("2.0"),
        "chuo": Decimal("2.0"),
        "chuo-dla-1": Decimal("2.0"),
        "chuo-01": Decimal("2.0"),
        "kita": Decimal("5.5"),
        "kita-dla-1": Decimal("5.5"),
        "kita-01": Decimal("5.5"),
    }


def test_points_spent_are_the_approved_redemptions_of_the_year_where_the_person_lives(
    school_district: Area,
) -> None:
    reward = RewardFactory(scheme=Scheme.objects.get(code="kumamoto"), cost=300)
    person = UserFactory(school_district=school_district)
    in_year = dt.datetime(2025, 9, 1, tzinfo=JST)
    RedemptionFactory(person=person, reward=reward, status=Redemption.Status.APPROVED, decided_at=in_year)
    RedemptionFactory(person=person, reward=reward, status=Redemption.Status.APPROVED, decided_at=in_year)
    RedemptionFactory(person=person, reward=reward, status=Redemption.Status.VOIDED, decided_at=in_year)
    RedemptionFactory(person=person, reward=reward, status=Redemption.Status.HELD)
    RedemptionFactory(
        person=person,
        reward=reward,
        status=Redemption.Status.APPROVED,
        decided_at=dt.datetime(2026, 4, 1, tzinfo=JST),
    )  # FY2026
    other_scheme = RewardFactory(scheme=Scheme.objects.get(code="care-support"), cost=10)
    RedemptionFactory(
        person=person, reward=other_scheme, status=Redemption.Status.APPROVED, decided_at=in_year
    )

    feeds_run(fiscal_year=2025)

    assert values("SYS-12") == {None: 600, "chuo": 600, "chuo-dla-1": 600, "chuo-01": 600}


def test_a_second_run_writes_the_same_rows_breakdowns_included(school_district: Area) -> None:
    june = event(school_district, dt.date(2025, 6, 1))
    attended(june, UserFactory(school_district=school_district, birth_date=dt.date(1950, 3, 5)))

    feeds_run(fiscal_year=2025)
    first = set(IndicatorValue.objects.values_list("indicator__code", "area_id", "breakdown", "value"))
    feeds_run(fiscal_year=2025)
    second = set(IndicatorValue.objects.values_list("indicator__code", "area_id", "breakdown", "value"))

    assert first == second
    assert ("SYS-02", None, "age:75-", Decimal(1)) in first
    assert IndicatorValue.objects.filter(indicator=Indicator.objects.get(code="SYS-02")).count() == 4 + 2


def test_the_outreach_lectures_are_the_plans_programme_and_no_other_demae_koza(
    school_district: Area, other_school_district: Area
) -> None:
    """SYS-15, the app's count beside I-3 (ふくし出前講座の受講者数), counts ふくし出前講座の強化 only:
    the city's general 出前講座 (initiative 1) and the 空き家 one (initiative 11) are other
    programmes with other audiences."""
    IndicatorFactory(code="SYS-15", source="feed")
    general = ProgrammeFactory(initiative=InitiativeFactory(number=1), name="出前講座", position=3)
    welfare = ProgrammeFactory(
        initiative=InitiativeFactory(number=4), name="ふくし出前講座の強化", position=2
    )
    vacant = ProgrammeFactory(initiative=InitiativeFactory(number=11), name="出前講座", position=4)
    for programme, district, people in (
        (general, school_district, 4),
        (welfare, school_district, 2),
        (welfare, other_school_district, 3),
        (vacant, other_school_district, 5),
    ):
        activity = event(district, dt.date(2025, 6, 1), programme)
        for _ in range(people):
            attended(activity, UserFactory())

    feeds_run(fiscal_year=2025)

    counted = values("SYS-15")
    assert (counted[None], counted["chuo"], counted["kita"]) == (5, 2, 3)
    assert (counted[school_district.code], counted[other_school_district.code]) == (2, 3)
