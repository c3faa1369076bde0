"""Indicator feeds against hand-counted fixtures: fiscal-year boundaries in Japan time, only
verified participation, every area level, idempotent runs, manual values kept, closed years."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.errors import ReasonRequired
from events.models import Activity
from plan_registry import errors
from plan_registry.feeds import registered
from plan_registry.models import Area, FeedRun, Indicator, IndicatorValue
from plan_registry.services import feeds_run, fiscal_year_close, fiscal_year_reopen
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    OrganisationFactory,
    ParticipationFactory,
    QualificationTypeFactory,
    UserFactory,
)
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def indicators() -> dict[str, Indicator]:
    return {code: IndicatorFactory(code=code) for code in ("KPI4-02", "KPI4-03", "SYS-14", "SYS-15")}


def training(district: Area, at: dt.datetime) -> Activity:
    centre = OrganisationFactory(kind=Organisation.Kind.VOLUNTEER_CENTRE, area=district)
    return ActivityFactory(
        kind=Activity.Kind.EVENT,
        organisation=centre,
        school_district=district,
        starts_at=at,
        ends_at=at + dt.timedelta(hours=2),
        grants_qualification=QualificationTypeFactory(kind="training"),
    )


def attend(activity: Activity, verified: bool = True) -> None:
    ParticipationFactory(
        activity=activity,
        person=UserFactory(),
        minutes=120 if verified else None,
        verified_at=activity.ends_at if verified else None,
    )


def values(code: str, fiscal_year: int) -> dict[str | None, Decimal]:
    rows = IndicatorValue.objects.filter(indicator__code=code, fiscal_year=fiscal_year).select_related("area")
    return {(row.area.code if row.area else None): row.value for row in rows}


def test_every_feed_is_found_at_start_up() -> None:
    assert {feed.indicator_code for feed in registered()} >= {"KPI4-02", "KPI4-03", "SYS-14", "SYS-15"}


def test_the_fiscal_year_starts_on_1_april_in_japan_and_only_verified_people_count(
    indicators: dict[str, Indicator], school_district: Area, other_school_district: Area
) -> None:
    last_minute = training(school_district, dt.datetime(2025, 3, 31, 23, 59, tzinfo=JST))  # FY2024
    first_minute = training(school_district, dt.datetime(2025, 4, 1, 0, 0, tzinfo=JST))  # FY2025
    elsewhere = training(other_school_district, dt.datetime(2025, 6, 1, 10, 0, tzinfo=JST))
    for activity, people in ((last_minute, 2), (first_minute, 3), (elsewhere, 1)):
        for _ in range(people):
            attend(activity)
    attend(first_minute, verified=False)  # registered, never verified: not counted

    feeds_run(fiscal_year=2025)
    feeds_run(fiscal_year=2024)

    assert values("SYS-14", 2025) == {
        None: 4,
        "chuo": 3,
        "chuo-dla-1": 3,
        "chuo-01": 3,
        "kita": 1,
        "kita-dla-1": 1,
        "kita-01": 1,
    }
    assert values("KPI4-03", 2025)[None] == 2
    assert values("SYS-14", 2024) == {None: 2, "chuo": 2, "chuo-dla-1": 2, "chuo-01": 2}


def test_running_twice_gives_the_same_rows(indicators: dict[str, Indicator], school_district: Area) -> None:
    attend(training(school_district, dt.datetime(2025, 5, 1, 10, 0, tzinfo=JST)))

    feeds_run(fiscal_year=2025)
    first = set(
        IndicatorValue.objects.values_list("indicator__code", "fiscal_year", "area_id", "value", "source")
    )
    feeds_run(fiscal_year=2025)
    second = set(
        IndicatorValue.objects.values_list("indicator__code", "fiscal_year", "area_id", "value", "source")
    )

    assert first == second
    value = IndicatorValue.objects.get(indicator__code="SYS-14", fiscal_year=2025, area=None)
    assert value.provenance["feed"] == "events.training_participants"
    assert (value.provenance["version"], value.provenance["rows_counted"]) == (3, 1)
    assert FeedRun.objects.filter(feed="events.training_participants").count() == 2


def test_a_value_entered_by_hand_is_never_overwritten(
    indicators: dict[str, Indicator], school_district: Area, planner: User
) -> None:
    attend(training(school_district, dt.datetime(2025, 5, 1, 10, 0, tzinfo=JST)))
    IndicatorValue.objects.create(
        indicator=indicators["SYS-14"],
        fiscal_year=2025,
        area=None,
        value=Decimal(402),
        source=IndicatorValue.Source.MANUAL,
        recorded_by=planner,
        recorded_at=dt.datetime(2026, 4, 10, tzinfo=JST),
    )

    outcome = next(o for o in feeds_run(fiscal_year=2025) if o.indicator == "SYS-14")

    assert values("SYS-14", 2025)[None] == 402
    assert values("SYS-14", 2025)["chuo"] == 1  # the breakdown is still fed
    assert outcome.kept_manual == 1


def test_a_count_that_falls_to_zero_is_written_as_zero(
    indicators: dict[str, Indicator], school_district: Area
) -> None:
    activity = training(school_district, dt.datetime(2025, 5, 1, 10, 0, tzinfo=JST))
    attend(activity)
    feeds_run(fiscal_year=2025)
    activity.participations.update(verified_at=None, minutes=None)  # the verification was a mistake

    feeds_run(fiscal_year=2025)

    assert set(values("SYS-14", 2025).values()) == {0}


def test_a_closed_year_is_recomputed_only_after_a_reopening_with_a_reason(
    indicators: dict[str, Indicator], school_district: Area, planner: User
) -> None:
    attend(training(school_district, dt.datetime(2025, 5, 1, 10, 0, tzinfo=JST)))
    feeds_run(fiscal_year=2025)
    fiscal_year_close(fiscal_year=2025, staff=planner, reason="推進会議に報告")
    attend(training(school_district, dt.datetime(2025, 6, 1, 10, 0, tzinfo=JST)))

    with pytest.raises(errors.FiscalYearClosed):
        feeds_run(fiscal_year=2025)
    assert values("SYS-14", 2025)[None] == 1
    with pytest.raises(ReasonRequired):
        fiscal_year_reopen(fiscal_year=2025, staff=planner, reason=" ")
    fiscal_year_reopen(fiscal_year=2025, staff=planner, reason="出席確認の漏れを訂正")
    feeds_run(fiscal_year=2025)

    assert values("SYS-14", 2025)[None] == 2


def test_matches_count_in_the_year_staff_confirmed_them(
    indicators: dict[str, Indicator], school_district: Area, coordinator: User
) -> None:
    from tests.factories import MatchDecisionFactory, MatchFactory, NeedFactory

    need = NeedFactory(school_district=school_district)
    for decided in (dt.datetime(2026, 3, 31, 23, 59, tzinfo=JST), dt.datetime(2026, 4, 1, 0, 0, tzinfo=JST)):
        match = MatchFactory(need=need, volunteer=UserFactory(), status="confirmed")
        MatchDecisionFactory(match=match, action="confirm", actor=coordinator, decided_at=decided)

    feeds_run(fiscal_year=2025)
    feeds_run(fiscal_year=2026)

    assert values("KPI4-02", 2025)[None] == 1
    assert values("KPI4-02", 2026) == {None: 1, "chuo": 1, "chuo-dla-1": 1, "chuo-01": 1}
