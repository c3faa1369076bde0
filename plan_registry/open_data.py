"""Indicator values as open data: aggregates only, with stable column names, and small counts in
small areas suppressed so that no person can be singled out (a ward, daily-life area or school
district whose value rests on fewer than OPEN_DATA_MIN_COUNT counted rows shows no value)."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import F

from plan_registry.models import IndicatorValue

COLUMNS = (
    "indicator_code",
    "indicator_name",
    "unit",
    "fiscal_year",
    "area_code",
    "area_kind",
    "area_name",
    "value",
    "suppressed",
    "source",
    "breakdown",
    "breakdown_label",
)


@dataclass(frozen=True)
class OpenValue:
    indicator_code: str
    indicator_name: str
    unit: str
    fiscal_year: int
    area_code: str | None
    area_kind: str
    area_name: str
    value: Decimal | None
    suppressed: bool
    source: str
    breakdown: str
    breakdown_label: str


def open_values(*, fiscal_year: int | None = None) -> list[OpenValue]:
    rows = IndicatorValue.objects.select_related("indicator", "area").order_by(
        "indicator__plan__code",
        "indicator__position",
        "fiscal_year",
        F("area__code").asc(nulls_first=True),  # the city first on every database
        "breakdown",
    )
    if fiscal_year is not None:
        rows = rows.filter(fiscal_year=fiscal_year)
    return [_open(row) for row in rows]


def _open(row: IndicatorValue) -> OpenValue:
    counted = row.provenance.get("rows_counted") if isinstance(row.provenance, dict) else None
    small = row.area is not None and counted is not None and counted < settings.OPEN_DATA_MIN_COUNT
    return OpenValue(
        indicator_code=row.indicator.code,
        indicator_name=row.indicator.name,
        unit=row.indicator.unit,
        fiscal_year=row.fiscal_year,
        area_code=row.area.code if row.area else None,
        area_kind=row.area.kind if row.area else "city",
        area_name=row.area.name if row.area else "熊本市",
        value=None if small else row.value,
        suppressed=small,
        source=row.source,
        breakdown=row.breakdown,
        breakdown_label=row.breakdown_label,
    )


def open_values_csv(values: list[OpenValue]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for value in values:
        writer.writerow([_cell(getattr(value, column)) for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 12.500 → 12.5, 40.000 → 40
    return str(value)
