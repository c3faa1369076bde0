"""What the progress report says, in Japanese, written once for the staff page and the printed PDF
alike, so that the two can never disagree: for each indicator its facts (baseline, target, the
year's value and where it comes from, the rate, the verdict, the app's figure beside an official
one, wards, parts) and the chart's series, grouped by plan.

Figures are written by `figures` (95.1%, 2,465人, — for none); sources and feeds by their Japanese
names, never by internal ones (a feed by its description in the registry).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from plan_registry import charts, feeds, figures
from plan_registry.fiscal_year import JAPAN, FiscalYear
from plan_registry.models import Indicator, IndicatorValue, Plan
from plan_registry.progress import Status
from plan_registry.report import ReportRow

# The page's class for each verdict: green for good news, red for bad, grey for no verdict.
STATUS_CLASS = {
    Status.ON_TRACK: "ok",
    Status.ACHIEVED: "ok",
    Status.BEHIND: "late",
    Status.NOT_ACHIEVED: "late",
    Status.IN_PROGRESS: "interim",
    Status.NOT_STARTED: "interim",
}
RATE_NOTE = "達成率は、基準値から目標値までのうち進んだ割合です（基準値で0%、目標値で100%）。"
FINAL_NOTE = (
    "終了した計画は、計画期間の最後の値と目標値とを比べた最終結果（達成・未達成）を示します。"
    "計画の終了後の年度の値では評価しません。"
)


@dataclass(frozen=True)
class Fact:
    heading: str
    text: str
    kind: str = ""  # what the line is (value, rate, status, proxy…): the page's class, the tests' handle


@dataclass(frozen=True)
class IndicatorText:
    code: str
    heading: str  # "I-2 熊本市ボランティアセンターによる研修の参加人数"
    subheading: str  # "単位: 人・増加が改善"
    status: Status
    status_label: str
    status_class: str
    facts: tuple[Fact, ...]
    series: charts.Series


@dataclass(frozen=True)
class Section:
    title: str  # the plan's title
    period: str  # "計画期間 2025〜2031年度（計画期間中）"
    ended: bool
    indicators: tuple[IndicatorText, ...]


@dataclass(frozen=True)
class ReportText:
    title: str
    fiscal_year: int
    in_progress: bool  # the report's year is the fiscal year in progress
    notes: tuple[str, ...]
    sections: tuple[Section, ...]


def report_text(rows: list[ReportRow], *, fiscal_year: int, current: int) -> ReportText:
    sections = tuple(
        _section(plan, list(group), fiscal_year, current)
        for plan, group in groupby(rows, key=lambda row: row.indicator.plan)
    )
    notes = [RATE_NOTE]
    if fiscal_year >= current:
        notes.insert(
            0,
            f"{figures.fiscal_year(fiscal_year)}は年度の途中です。値は集計時点の暫定値（年度途中）で、"
            "達成率と評価は年度が終わってから示します。",
        )
    if any(section.ended for section in sections):
        notes.append(FINAL_NOTE)
    return ReportText(
        title=f"地域福祉計画 成果指標の進捗 {FiscalYear(fiscal_year).label}",
        fiscal_year=fiscal_year,
        in_progress=fiscal_year >= current,
        notes=tuple(notes),
        sections=sections,
    )


def _section(plan: Plan, rows: list[ReportRow], fiscal_year: int, current: int) -> Section:
    ended = any(row.plan_ended for row in rows)
    period = f"計画期間 {plan.start_fiscal_year}〜{figures.fiscal_year(plan.end_fiscal_year)}"
    state = f"{figures.fiscal_year(plan.end_fiscal_year)}で終了・最終結果" if ended else "計画期間中"
    return Section(
        title=plan.title,
        period=f"{period}（{state}）",
        ended=ended,
        indicators=tuple(indicator_text(row, fiscal_year=fiscal_year, current=current) for row in rows),
    )


def indicator_text(row: ReportRow, *, fiscal_year: int, current: int) -> IndicatorText:
    i = row.indicator
    better = "増加" if i.direction == Indicator.Direction.INCREASE else "減少"
    status = row.assessment.status
    return IndicatorText(
        code=i.code,
        heading=f"{i.label} {i.name}",
        subheading=f"単位: {i.unit}・{better}が改善",
        status=status,
        status_label=row.assessment.label,
        status_class=STATUS_CLASS.get(status, "none"),
        facts=tuple(_facts(row, fiscal_year)),
        series=_series(row, fiscal_year, current),
    )


def _facts(row: ReportRow, fiscal_year: int) -> list[Fact]:
    i = row.indicator
    facts = [
        Fact("基準値", _baseline(i), "baseline"),
        Fact("目標値", _target(i), "target"),
        _value(row, fiscal_year),
        Fact("出典", source(row.value, i.code) if row.value else "—", "source"),
        Fact("最終達成率" if row.plan_ended else "達成率", _rate(row), "rate"),
        Fact("評価", row.assessment.label, "status"),
    ]
    if row.proxy_indicator is not None:
        facts.append(_proxy(row, row.proxy_indicator))
    if row.by_ward:
        facts.append(Fact("区別", _listed(((a.name, v) for a, v in row.by_ward), unit=i.unit), "wards"))
    if row.parts:
        facts.append(Fact("内訳", _listed(row.parts, unit=i.unit), "parts"))
    after = _after_end(row)
    if after:
        facts.append(Fact("計画終了後の値", f"{after}（計画期間外のため評価の対象外）", "after_end"))
    return facts


def _listed(items: Iterable[tuple[str, Decimal]], unit: str = "") -> str:
    return "、".join(f"{label} {figures.quantity(value, unit)}" for label, value in items)


def _baseline(i: Indicator) -> str:
    if i.baseline_value is None:
        return "基準値なし"
    return f"{figures.fiscal_year(i.baseline_fiscal_year)} {figures.quantity(i.baseline_value, i.unit)}"


def _target(i: Indicator) -> str:
    if i.target_value is None:
        return "目標値なし（計画に定めがありません）"
    return f"{figures.fiscal_year(i.target_fiscal_year)} {figures.quantity(i.target_value, i.unit)}"


def _value(row: ReportRow, fiscal_year: int) -> Fact:
    i, assessment = row.indicator, row.assessment
    if assessment.final:
        return _final_value(row)
    heading = figures.fiscal_year(fiscal_year)
    if row.value is None:
        missing = (
            f"未入力（{row.recorded_by}による値を計画担当課が入力します）" if row.recorded_by else "値なし"
        )
        return Fact(heading, missing, "value")
    # Only the plan office's entry is the official figure; a count the system wrote before the plan
    # said whose records these are (I-2, I-3 until FY2025) is not.
    official = row.recorded_by and row.value.source == IndicatorValue.Source.MANUAL
    notes = [f"公式値: {row.recorded_by}"] if official else []
    if assessment.status in (Status.IN_PROGRESS, Status.NOT_STARTED):
        heading += "（年度途中）"
        notes.append(f"{figures.date(_day(row.value.recorded_at))}時点の暫定値")
    text = figures.quantity(row.value.value, i.unit)
    return Fact(heading, text + (f"（{'・'.join(notes)}）" if notes else ""), "value")


def _final_value(row: ReportRow) -> Fact:
    end = row.indicator.plan.end_fiscal_year
    if row.value is None:
        return Fact("最終実績", "計画期間中の値がありません", "value")
    year = row.value.fiscal_year
    text = f"{figures.fiscal_year(year)} {figures.quantity(row.value.value, row.indicator.unit)}"
    if year != end:
        text += (
            f"（最終年度の{figures.fiscal_year(end)}の値がないため、{figures.fiscal_year(year)}の値で判定）"
        )
    return Fact("最終実績", text, "value")


def _rate(row: ReportRow) -> str:
    i, status = row.indicator, row.assessment.status
    if row.achievement_rate is not None:
        return figures.rate(row.achievement_rate)
    if status in (Status.IN_PROGRESS, Status.NOT_STARTED):
        return "—（年度途中のため示しません）"
    if row.value is None:
        return "—"
    if i.target_value is None:
        return "—（目標値の定めなし）"
    if i.baseline_value is None:
        return "—（基準値なし）"
    return "—（基準値と目標値が同じ）"


def _proxy(row: ReportRow, proxy: Indicator) -> Fact:
    who = row.recorded_by or "計画担当課が入力する値"
    value = row.proxy[1] if row.proxy else None
    figure = figures.quantity(value.value, proxy.unit) if value else "値なし"
    if value is not None and row.assessment.status == Status.IN_PROGRESS:
        figure += "（年度途中）"
    return Fact(
        "参考値（アプリの記録）",
        f"{proxy.label} {proxy.name}: {figure}。アプリで記録された分だけを数えた参考値で、"
        f"公式の値（{who}）に代わるものではありません。",
        "proxy",
    )


def _after_end(row: ReportRow) -> str:
    if not row.plan_ended:
        return ""
    end, unit = row.indicator.plan.end_fiscal_year, row.indicator.unit
    return "、".join(
        f"{figures.fiscal_year(year)} {figures.quantity(value.value, unit)}"
        for year, value in sorted(row.by_year.items())
        if year > end
    )


def source(value: IndicatorValue, indicator_code: str) -> str:
    """Where a value comes from, as the plan office reads it."""
    provenance = value.provenance if isinstance(value.provenance, dict) else {}
    if value.source == IndicatorValue.Source.FEED:
        title = feeds.feed_title(str(provenance.get("feed", "")), indicator_code)
        return f"システムによる集計（{title}）"
    if value.source == IndicatorValue.Source.MANUAL:
        document = provenance.get("source_document")
        return f"計画担当課が入力（{document}）" if document else "計画担当課が入力"
    document = provenance.get("document")
    return f"計画書・審議会資料に掲載の実績（{document}）" if document else "計画書に掲載の実績"


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(JAPAN).date()


def _series(row: ReportRow, fiscal_year: int, current: int) -> charts.Series:
    i = row.indicator
    end = i.plan.end_fiscal_year if row.plan_ended else fiscal_year
    return charts.Series(
        title=f"{i.label} {i.name}",
        unit=i.unit,
        baseline=(i.baseline_fiscal_year, i.baseline_value) if i.baseline_value is not None else None,
        target=(i.target_fiscal_year, i.target_value) if i.target_value is not None else None,
        values=tuple((year, v.value) for year, v in sorted(row.by_year.items()) if year <= end),
        in_progress=current if current <= fiscal_year and not row.plan_ended else None,
    )
