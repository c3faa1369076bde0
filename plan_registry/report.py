"""The annual progress report: for every indicator its baseline, each year's value, the target,
the achievement rate (direction-aware), the on-track flag, the breakdown by ward, the parts of
the city-wide value (age bands, programmes) and, beside a survey indicator, the app's own
measure of the same thing (a proxy, never in the survey's place)."""

import csv
import io
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from plan_registry import progress
from plan_registry.models import Area, Indicator, IndicatorValue

CSV_COLUMNS = (
    "plan",
    "indicator_code",
    "label",
    "name",
    "unit",
    "direction",
    "source",
    "baseline_fiscal_year",
    "baseline_value",
    "target_fiscal_year",
    "target_value",
    "fiscal_year",
    "value",
    "value_source",
    "achievement_rate",
    "on_track",
    "proxy_indicator_code",
    "proxy_value",
)


@dataclass(frozen=True)
class ReportRow:
    indicator: Indicator
    by_year: dict[int, IndicatorValue]  # city-wide values, every year on record
    value: IndicatorValue | None  # the report's year
    achievement_rate: Decimal | None
    on_track: bool | None
    by_ward: list[tuple[Area, Decimal]]
    parts: list[tuple[str, Decimal]] = field(default_factory=list)  # (label, value), city-wide
    proxy: tuple[Indicator, IndicatorValue] | None = None  # the app's measure, the same year


def report_for(*, fiscal_year: int, plan_code: str | None = None) -> list[ReportRow]:
    indicators = Indicator.objects.select_related("plan").order_by("plan__code", "position")
    if plan_code:
        indicators = indicators.filter(plan__code=plan_code)
    values = IndicatorValue.objects.filter(indicator__in=indicators).select_related("area")
    city: dict[int, dict[int, IndicatorValue]] = {}
    wards: dict[int, list[tuple[Area, Decimal]]] = {}
    for value in values.filter(breakdown="").order_by("fiscal_year", "area__code"):
        if value.area_id is None:
            city.setdefault(value.indicator_id, {})[value.fiscal_year] = value
        elif (
            value.area is not None and value.area.kind == Area.Kind.WARD and value.fiscal_year == fiscal_year
        ):
            wards.setdefault(value.indicator_id, []).append((value.area, value.value))
    parts: dict[int, list[tuple[str, Decimal]]] = {}
    for value in (
        values.filter(fiscal_year=fiscal_year, area=None).exclude(breakdown="").order_by("breakdown")
    ):
        parts.setdefault(value.indicator_id, []).append(
            (value.breakdown_label or value.breakdown, value.value)
        )
    rows = [
        _row(indicator, city.get(indicator.pk, {}), wards.get(indicator.pk, []), fiscal_year)
        for indicator in indicators
    ]
    by_indicator = {row.indicator.pk: row for row in rows}
    for row in rows:
        row.parts.extend(parts.get(row.indicator.pk, []))
        proxied = by_indicator.get(row.indicator.proxy_for_id) if row.indicator.proxy_for_id else None
        if proxied is not None and row.value is not None:
            by_indicator[proxied.indicator.pk] = replace(proxied, proxy=(row.indicator, row.value))
    return [by_indicator[row.indicator.pk] for row in rows]


def _row(
    indicator: Indicator,
    by_year: dict[int, IndicatorValue],
    by_ward: list[tuple[Area, Decimal]],
    fiscal_year: int,
) -> ReportRow:
    value = by_year.get(fiscal_year)
    rate, track = None, None
    if value is not None and indicator.baseline_value is not None and indicator.target_value is not None:
        plan = progress.Plan(
            indicator.direction,
            indicator.baseline_fiscal_year,
            indicator.baseline_value,
            indicator.target_fiscal_year,
            indicator.target_value,
        )
        rate = progress.achievement_rate(plan, value.value)
        track = progress.on_track(plan, fiscal_year, value.value)
    return ReportRow(indicator, by_year, value, rate, track, by_ward)


def report_csv(rows: list[ReportRow], fiscal_year: int) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Japanese correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(_csv_cells(row, fiscal_year))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cells(row: ReportRow, fiscal_year: int) -> list[Any]:
    i = row.indicator
    return [
        i.plan.code,
        i.code,
        i.label,
        i.name,
        i.unit,
        i.direction,
        i.source,
        i.baseline_fiscal_year,
        _number(i.baseline_value),
        i.target_fiscal_year,
        _number(i.target_value),
        fiscal_year,
        _number(row.value.value if row.value else None),
        row.value.source if row.value else "",
        _number(row.achievement_rate, places=3),
        "" if row.on_track is None else str(row.on_track).lower(),
        row.proxy[0].code if row.proxy else "",
        _number(row.proxy[1].value) if row.proxy else "",
    ]


def _number(value: Decimal | None, places: int | None = None) -> str:
    if value is None:
        return ""
    if places is not None:
        return format(value.quantize(Decimal(1).scaleb(-places)), "f")
    return format(value.normalize(), "f")  # 31.500 → 31.5, 600.000 → 600
