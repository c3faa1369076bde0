"""Open data: aggregates with stable columns, small counts in small areas suppressed."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from plan_registry.models import Area, IndicatorValue
from plan_registry.open_data import COLUMNS
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


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
    rows = api_client.get("/api/v1/open-data/indicator-values/", {"fiscal_year": 2025}).json()

    shown = {(r["area_code"], r["value"], r["suppressed"]) for r in rows}
    assert shown == {(None, "40.000", False), ("chuo", "12.000", False), ("chuo-01", None, True)}


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
    api_client: APIClient, fed: None, ward: Area
) -> None:
    indicator = IndicatorValue.objects.filter(indicator__code="SYS-02").first().indicator  # type: ignore[union-attr]
    for area, value in ((None, 30), (ward, 2)):
        IndicatorValue.objects.create(
            indicator=indicator,
            fiscal_year=2025,
            area=area,
            breakdown="age:65-74",
            breakdown_label="65〜74歳",
            value=Decimal(value),
            source="feed",
            provenance={"rows_counted": value},
            recorded_at=timezone.now(),
        )

    rows = api_client.get("/api/v1/open-data/indicator-values/", {"fiscal_year": 2025}).json()

    parts = {
        (r["area_code"], r["breakdown_label"], r["value"]) for r in rows if r["breakdown"] == "age:65-74"
    }
    assert parts == {(None, "65〜74歳", "30.000"), ("chuo", "65〜74歳", None)}
