"""The annual progress report: for every indicator its baseline, the values up to the report's
year, the target, what the year's value says against the plan (`progress.assess`: on track or
behind, an interim value in the year in progress, a finished plan's final result), the breakdown
by ward, the parts of the city-wide value (age bands, programmes) and, beside an indicator whose
official value comes from elsewhere (a survey, the 市社協's records), the app's own measure of
the same thing (a proxy, never in its place).

A report of a year holds nothing recorded for a later year: a FY2025 report printed in FY2026
must read as it did at the end of FY2025 (values entered since for FY2026 are not in it).
"""

import csv
import datetime as dt
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from plan_registry import plan_data, progress
from plan_registry.fiscal_year import JAPAN, fiscal_year_of
from plan_registry.models import Area, Indicator, IndicatorValue

# The plan data names the plan's publishers (熊本市・熊本市社会福祉協議会) but no department; the
# plan office that draws up the 地域福祉計画 and reports its progress to the 社会福祉審議会 is this
# one, and the printed report names it as its issuer.
ISSUING_DEPARTMENT = "熊本市 健康福祉局 福祉部 健康福祉政策課"

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
    "value_fiscal_year",  # the year of `value`: a finished plan's last year on record
    "status",  # progress.Status: on_track, behind, in_progress, achieved, not_achieved, ...
)


@dataclass(frozen=True)
class ReportRow:
    indicator: Indicator
    by_year: dict[int, IndicatorValue]  # city-wide values up to the report's year
    value: IndicatorValue | None  # the value judged: the report's year, or a finished plan's last
    achievement_rate: Decimal | None
    on_track: bool | None  # on the path, or (a finished plan) the target met; None: not judged
    by_ward: list[tuple[Area, Decimal]]  # of the year judged
    parts: list[tuple[str, Decimal]] = field(default_factory=list)  # (label, value), city-wide
    proxy: tuple[Indicator, IndicatorValue] | None = None  # the app's measure, the same year
    assessment: progress.Assessment = progress.NOT_ASSESSED
    proxy_indicator: Indicator | None = None  # shown beside this one even in a year it counted nothing
    recorded_by: str = ""  # whose records the official value comes from, when outside the product

    @property
    def plan_ended(self) -> bool:
        return self.assessment.final


def current_fiscal_year() -> int:
    return fiscal_year_of(timezone.now()).year


def report_for(
    *, fiscal_year: int, plan_code: str | None = None, current: int | None = None
) -> list[ReportRow]:
    """Every indicator of the plans begun by `fiscal_year` (the one in force first), judged as
    seen in the fiscal year `current` (by default the one in progress)."""
    current = current_fiscal_year() if current is None else current
    indicators = list(_indicators(fiscal_year, plan_code))
    values = IndicatorValue.objects.filter(indicator__in=indicators, fiscal_year__lte=fiscal_year)
    city: dict[int, dict[int, IndicatorValue]] = {}
    wards: dict[tuple[int, int], list[tuple[Area, Decimal]]] = {}
    for value in values.filter(breakdown="").select_related("area").order_by("fiscal_year", "area__code"):
        if value.area_id is None:
            city.setdefault(value.indicator_id, {})[value.fiscal_year] = value
        elif value.area is not None and value.area.kind == Area.Kind.WARD:
            wards.setdefault((value.indicator_id, value.fiscal_year), []).append((value.area, value.value))
    parts: dict[tuple[int, int], list[tuple[str, Decimal]]] = {}
    for value in values.filter(area=None).exclude(breakdown="").order_by("breakdown"):
        parts.setdefault((value.indicator_id, value.fiscal_year), []).append(
            (value.breakdown_label or value.breakdown, value.value)
        )
    proxies = {i.proxy_for_id: i for i in indicators if i.proxy_for_id is not None}
    rows = []
    for indicator in indicators:
        assessment = _assess(indicator, city.get(indicator.pk, {}), fiscal_year, current)
        year = assessment.fiscal_year or fiscal_year
        rows.append(
            _row(
                indicator,
                city.get(indicator.pk, {}),
                assessment,
                wards.get((indicator.pk, year), []),
                parts.get((indicator.pk, year), []),
                _proxy(proxies.get(indicator.pk), city, year),
            )
        )
    return rows


def _indicators(fiscal_year: int, plan_code: str | None) -> Iterable[Indicator]:
    # A plan not yet begun has nothing to report for the year (the 5th plan in a FY2022 report).
    indicators = (
        Indicator.objects.select_related("plan")
        .filter(plan__start_fiscal_year__lte=fiscal_year)
        .order_by("-plan__start_fiscal_year", "plan__code", "position")
    )
    return indicators.filter(plan__code=plan_code) if plan_code else indicators


def _proxy(
    proxy: Indicator | None, city: dict[int, dict[int, IndicatorValue]], year: int
) -> tuple[Indicator | None, IndicatorValue | None]:
    if proxy is None:
        return None, None
    return proxy, city.get(proxy.pk, {}).get(year)


def goal_of(indicator: Indicator) -> progress.Goal:
    return progress.Goal(
        direction=indicator.direction,
        baseline=(
            (indicator.baseline_fiscal_year, indicator.baseline_value)
            if indicator.baseline_value is not None
            else None
        ),
        target=(
            (indicator.target_fiscal_year, indicator.target_value)
            if indicator.target_value is not None
            else None
        ),
        plan_start_fiscal_year=indicator.plan.start_fiscal_year,
        plan_end_fiscal_year=indicator.plan.end_fiscal_year,
    )


def _assess(
    indicator: Indicator, by_year: dict[int, IndicatorValue], fiscal_year: int, current: int
) -> progress.Assessment:
    values = {year: value.value for year, value in by_year.items()}
    return progress.assess(goal_of(indicator), values, fiscal_year=fiscal_year, current_fiscal_year=current)


def _row(
    indicator: Indicator,
    by_year: dict[int, IndicatorValue],
    assessment: progress.Assessment,
    by_ward: list[tuple[Area, Decimal]],
    parts: list[tuple[str, Decimal]],
    proxy: tuple[Indicator | None, IndicatorValue | None],
) -> ReportRow:
    proxy_indicator, proxy_value = proxy
    return ReportRow(
        indicator=indicator,
        by_year=by_year,
        value=by_year.get(assessment.fiscal_year) if assessment.fiscal_year is not None else None,
        achievement_rate=assessment.rate,
        on_track=assessment.verdict,
        by_ward=by_ward,
        parts=parts,
        proxy=(proxy_indicator, proxy_value) if proxy_indicator and proxy_value else None,
        assessment=assessment,
        proxy_indicator=proxy_indicator,
        recorded_by=_recorded_by().get(indicator.code, ""),
    )


@functools.cache
def _recorded_by() -> dict[str, str]:
    """Whose records the plan measures an indicator from, where they are outside the product (I-2,
    I-3: the 市社協's). The plan's data file says so; the Indicator row does not keep it."""
    plans = plan_data.read_plans()
    return {i.code: i.recorded_by for plan in plans for i in plan.indicators if i.recorded_by}


def issued_on() -> dt.date:
    """Today in Japan: the date the printed report bears."""
    return timezone.now().astimezone(JAPAN).date()


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
        row.value.fiscal_year if row.value else "",
        row.assessment.status.value,
    ]


def _number(value: Decimal | None, places: int | None = None) -> str:
    """Machine-readable (no thousands separators): the CSV is data, not a printed page."""
    if value is None:
        return ""
    if places is not None:
        return format(value.quantize(Decimal(1).scaleb(-places)), "f")
    return format(value.normalize(), "f")  # 31.500 → 31.5, 600.000 → 600
