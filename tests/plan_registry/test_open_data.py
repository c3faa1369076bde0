"""Open data: aggregates with stable columns, and statistical disclosure control — a value resting
on fewer than OPEN_DATA_MIN_COUNT people is suppressed wherever it is (the city and the parts of
a breakdown included), counted in people rather than rows, and complementary suppression keeps
it from being worked out from its parent and siblings. The attacker's view is in
test_open_data_attack.py."""

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Activity
from plan_registry.fiscal_year import fiscal_year_of
from plan_registry.models import Area, Indicator, IndicatorValue
from plan_registry.open_data import COLUMNS
from plan_registry.services import feeds_run
from points import services as points_services
from points.models import Entry
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ParticipationFactory,
    UserFactory,
)
from volunteer.models import User

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")
URL = "/api/v1/open-data/indicator-values/"


def store(
    indicator: Indicator, area: Area | None, value: int, counted: int | None = None, breakdown: str = ""
) -> IndicatorValue:
    """A fed value resting on `counted` people (its value, unless told)."""
    return IndicatorValueFactory(
        indicator=indicator,
        area=area,
        value=Decimal(value),
        breakdown=breakdown,
        breakdown_label=breakdown.replace("age:", "") + "歳" if breakdown else "",
        provenance={"feed": "test", "rows_counted": value if counted is None else counted},
    )


def published(api_client: APIClient, code: str, fiscal_year: int = 2025) -> dict[tuple[str | None, str], Any]:
    """The open data of one indicator: (area code, breakdown) → value (None: suppressed)."""
    rows = api_client.get(URL, {"fiscal_year": fiscal_year}).json()
    return {(r["area_code"], r["breakdown"]): r["value"] for r in rows if r["indicator_code"] == code}


@pytest.fixture
def fed(ward: Area, school_district: Area) -> None:
    indicator = IndicatorFactory(code="SYS-02", name="活動したボランティアの数", unit="人", source="feed")
    for area, value, counted in ((None, 40, 40), (ward, 12, 12), (school_district, 3, 3)):
        IndicatorValue.objects.create(
            indicator=indicator,
            fiscal_year=2025,
            area=area,
            value=Decimal(value),
            source="feed",
            provenance={"feed": "events.active_volunteers", "rows_counted": counted},
            recorded_at=timezone.now(),
        )


def test_small_counts_in_small_areas_are_suppressed(
    api_client: APIClient, fed: None, settings: object
) -> None:
    rows = api_client.get(URL, {"fiscal_year": 2025}).json()

    shown = {(r["area_code"], r["value"], r["suppressed"]) for r in rows}
    assert shown == {(None, 40.0, False), ("chuo", 12.0, False), ("chuo-01", None, True)}


def test_the_csv_has_stable_columns_and_parses_back(api_client: APIClient, fed: None) -> None:
    response = api_client.get("/api/v1/open-data/indicator-values.csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert [(r["area_code"], r["area_kind"], r["value"], r["suppressed"]) for r in rows] == [
        ("", "city", "40", "false"),
        ("chuo", "ward", "12", "false"),
        ("chuo-01", "school_district", "", "true"),
    ]
    assert "3" not in {r["value"] for r in rows}  # the small count does not leak


def test_parts_of_a_value_come_with_their_key_and_small_ones_in_a_ward_are_suppressed(
    api_client: APIClient, ward: Area, other_ward: Area
) -> None:
    indicator = IndicatorFactory(code="SYS-02", source="feed")
    for area, total, younger, older in ((None, 40, 30, 10), (ward, 12, 2, 10), (other_ward, 28, 28, 0)):
        store(indicator, area, total)
        store(indicator, area, younger, breakdown="age:65-74")
        if older:
            store(indicator, area, older, breakdown="age:75-")

    rows = api_client.get(URL, {"fiscal_year": 2025}).json()

    parts = {(r["area_code"], r["breakdown_label"]) for r in rows if r["breakdown"] == "age:65-74"}
    assert parts == {(None, "65-74歳"), ("chuo", "65-74歳"), ("kita", "65-74歳")}
    assert published(api_client, "SYS-02")["chuo", "age:65-74"] is None
    assert 2.0 not in {r["value"] for r in rows}


def test_a_suppressed_cell_is_never_its_published_parent_less_its_published_siblings(
    api_client: APIClient, ward: Area, school_district: Area, other_school_district: Area
) -> None:
    """The reviewer's finding (a): 23 suppressed cells equalled their parent minus its children."""
    sibling = AreaFactory(kind=Area.Kind.SCHOOL_DISTRICT, code="chuo-02", parent=school_district.parent)
    indicator = IndicatorFactory(code="SYS-02", source="feed")
    daily_life_area, other_ward = school_district.parent, other_school_district.parent.parent  # type: ignore[union-attr]
    for area, value in (
        (None, 40),
        (ward, 25),
        (daily_life_area, 25),
        (school_district, 3),
        (sibling, 22),
        (other_ward, 15),
        (other_school_district.parent, 15),
        (other_school_district, 15),
    ):
        store(indicator, area, value)

    shown = published(api_client, "SYS-02")

    assert {key for key, value in shown.items() if value is None} == {("chuo-01", ""), ("chuo-02", "")}
    assert shown["chuo-dla-1", ""] == 25.0  # the parent stays: two hidden children protect each other


def test_a_part_of_the_city_resting_on_few_people_is_suppressed_with_a_complement(
    api_client: APIClient,
) -> None:
    """The reviewer's finding (d): parts of a breakdown were never suppressed for the city."""
    indicator = IndicatorFactory(code="SYS-02", source="feed")
    store(indicator, None, 40)
    store(indicator, None, 3, breakdown="age:65-74")
    store(indicator, None, 37, breakdown="age:75-")

    shown = published(api_client, "SYS-02")

    # 40 − 37 would give the 3 back: the other part of the partition goes too.
    assert shown == {(None, ""): 40.0, (None, "age:65-74"): None, (None, "age:75-"): None}


def test_a_city_value_resting_on_few_people_is_suppressed(api_client: APIClient) -> None:
    store(IndicatorFactory(code="SYS-03", source="feed"), None, 4)

    assert published(api_client, "SYS-03") == {(None, ""): None}


def test_values_entered_by_hand_count_nobody_and_are_shown_as_entered(
    api_client: APIClient, ward: Area
) -> None:
    population = IndicatorFactory(code="POP-01", source="manual")
    IndicatorValueFactory(indicator=population, area=ward, value=Decimal(5), source="manual")

    assert published(api_client, "POP-01") == {("chuo", ""): 5.0}


def test_a_rate_over_a_published_count_is_hidden_wherever_that_count_is(
    api_client: APIClient, ward: Area, school_district: Area
) -> None:
    """SYS-13 × the population gives SYS-02 back: it is hidden with it, complements included."""
    sibling = AreaFactory(kind=Area.Kind.SCHOOL_DISTRICT, code="chuo-02", parent=school_district.parent)
    active, proxy = IndicatorFactory(code="SYS-02"), IndicatorFactory(code="SYS-13", unit="%")
    for area, people in (
        (None, 40),
        (ward, 40),
        (school_district.parent, 40),
        (school_district, 3),
        (sibling, 37),
    ):
        store(active, area, people)
        store(proxy, area, 1, counted=people)

    shown = published(api_client, "SYS-13")

    assert shown["chuo-01", ""] is None  # its own count is small
    assert shown["chuo-02", ""] is None  # 37 people, but SYS-02 hides it to protect chuo-01
    assert shown["chuo", ""] == 1.0


def test_the_public_indicator_page_shows_no_value_open_data_hides(
    api_client: APIClient, fed: None, school_district: Area
) -> None:
    body = api_client.get("/api/v1/plan/indicators/SYS-02/").json()

    assert [(v["area"], v["value"]) for v in body["values"]] == [(None, 40.0), ("chuo", 12.0)]
    assert all("rows_counted" not in v["provenance"] for v in body["values"])


def _verified(person: User, district: Area, day: dt.date) -> None:
    starts = dt.datetime(day.year, day.month, day.day, 10, tzinfo=JST)
    activity = ActivityFactory(
        kind=Activity.Kind.EVENT,
        school_district=district,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    participation = ParticipationFactory(
        activity=activity, person=person, minutes=120, verified_at=activity.ends_at
    )
    points_services.participation_award(participation_id=participation.pk)


def test_points_are_suppressed_on_the_residents_behind_them_not_on_ledger_rows(
    api_client: APIClient, city_schemes_configured: None, school_district: Area
) -> None:
    """The reviewer's finding (b): one resident's dozen awards were published as twelve rows."""
    IndicatorFactory(code="SYS-05", source="feed")
    resident = UserFactory(school_district=school_district)
    year = fiscal_year_of(timezone.now())
    for day in range(12):
        _verified(resident, school_district, year.first_day + dt.timedelta(days=day))
    assert Entry.objects.filter(account__owner=resident).count() >= 10  # as many ledger rows

    feeds_run(fiscal_year=year.year)

    value = IndicatorValue.objects.get(indicator__code="SYS-05", area=school_district)
    assert (value.value, value.provenance["rows_counted"]) == (1200, 1)
    assert published(api_client, "SYS-05", year.year)["chuo-01", ""] is None


def test_first_timers_are_suppressed_on_the_first_timers_not_on_everyone_active(
    api_client: APIClient, school_district: Area
) -> None:
    """The reviewer's finding (c): two first-timers among twelve active were published."""
    IndicatorFactory(code="SYS-03", source="feed")
    people = [UserFactory(school_district=school_district) for _ in range(12)]
    for person in people[:10]:
        _verified(person, school_district, dt.date(2024, 6, 1))  # FY2024: not first-timers in 2025
    for person in people:
        _verified(person, school_district, dt.date(2025, 6, 1))

    feeds_run(fiscal_year=2025)

    value = IndicatorValue.objects.get(indicator__code="SYS-03", fiscal_year=2025, area=school_district)
    assert (value.value, value.provenance["rows_counted"]) == (2, 2)
    assert published(api_client, "SYS-03")["chuo-01", ""] is None


def test_a_value_an_earlier_feed_version_stored_stays_hidden_until_the_feeds_run_again(
    api_client: APIClient, ward: Area
) -> None:
    """Before disclosure control a feed counted rows: its stored counts say nothing of people."""
    from plan_registry.feeds import registered

    feed = next(feed for feed in registered() if feed.version > 1)
    indicator = IndicatorFactory(code=feed.indicator_code, source="feed")
    for version, fiscal_year in ((feed.version - 1, 2024), (feed.version, 2025)):
        IndicatorValue.objects.create(
            indicator=indicator,
            fiscal_year=fiscal_year,
            area=None,
            value=Decimal(500),
            source="feed",
            provenance={"feed": feed.name, "version": version, "rows_counted": 500},
            recorded_at=timezone.now(),
        )

    rows = api_client.get("/api/v1/open-data/indicator-values/").json()

    shown = {(r["fiscal_year"], r["suppressed"]) for r in rows if r["indicator_code"] == feed.indicator_code}
    assert shown == {(2024, True), (2025, False)}
