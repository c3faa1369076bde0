"""The annual progress report as a printable PDF (A4 landscape, Japanese, IPAexGothic embedded):
per indicator its plan, this year's value with its source, the rate, the on-track flag and a
chart of baseline → yearly values → target drawn with reportlab's vector graphics."""

import functools
import io
import pathlib
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from plan_registry.fiscal_year import FiscalYear
from plan_registry.report import ReportRow

CHART_W, CHART_H, PAD = 80 * mm, 32 * mm, 6 * mm


@functools.cache
def _font(font_path: pathlib.Path) -> str:
    name = f"Report-{font_path.stem}"
    pdfmetrics.registerFont(TTFont(name, str(font_path)))
    return name


def report_pdf(*, rows: list[ReportRow], fiscal_year: int, font_path: pathlib.Path) -> bytes:
    font = _font(font_path)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title="成果指標の進捗",
        invariant=1,
    )
    story: list = [
        Paragraph(escape(f"地域福祉計画 成果指標の進捗 {FiscalYear(fiscal_year).label}"), title),
        Spacer(0, 4 * mm),
    ]
    for row in rows:
        story.append(KeepTogether([_table(row, body, font), Spacer(0, 3 * mm)]))
    document.build(story)
    return out.getvalue()


def _number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return (
        format(value.normalize(), "f")
        if value == value.to_integral()
        else format(value.quantize(Decimal("0.1")), "f")
    )


def _table(row: ReportRow, body: ParagraphStyle, font: str) -> Table:
    i = row.indicator
    value = row.value
    rate = "—" if row.achievement_rate is None else f"{row.achievement_rate * 100:.1f}%"
    track = "—" if row.on_track is None else ("計画どおり" if row.on_track else "遅れ")
    source = (
        {"feed": "システム集計", "manual": "手入力（調査等）", "plan_document": "計画書"}.get(
            value.source, ""
        )
        if value
        else ""
    )
    better = "増加" if i.direction == "increase" else "減少"
    plan = (
        f"基準値 {i.baseline_fiscal_year}年度: {_number(i.baseline_value)} ／ "
        f"目標 {i.target_fiscal_year}年度: {_number(i.target_value)}"
    )
    this_year = (
        f"本年度: {_number(value.value if value else None)} {escape(source)} ／ 達成率 {rate} ／ {track}"
    )
    lines = [
        f"<b>{escape(i.label)} {escape(i.name)}</b>（{escape(i.unit)}・{better}が改善）",
        plan,
        this_year,
    ]
    if row.proxy:
        proxy, proxy_value = row.proxy
        lines.append(
            f"参考値（{escape(proxy.label)} アプリの記録）: {_number(proxy_value.value)}{escape(proxy.unit)}"
        )
    if row.by_ward:
        lines.append("区別: " + "、".join(f"{escape(area.name)} {_number(v)}" for area, v in row.by_ward))
    if row.parts:
        lines.append("内訳: " + "、".join(f"{escape(label)} {_number(v)}" for label, v in row.parts))
    text = [Paragraph(line, body) for line in lines]
    table = Table([[text, _chart(row, font)]], colWidths=[None, CHART_W + 4 * mm])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (-1, -1), 0.5, colors.grey)])
    )
    return table


def _chart(row: ReportRow, font: str) -> Drawing:
    i = row.indicator
    baseline = (i.baseline_fiscal_year, i.baseline_value) if i.baseline_value is not None else None
    target = (i.target_fiscal_year, i.target_value) if i.target_value is not None else None
    values = [(year, v.value) for year, v in sorted(row.by_year.items())]
    points = [p for p in (baseline, *values, target) if p is not None]
    drawing = Drawing(CHART_W, CHART_H)
    drawing.add(Line(PAD, PAD, CHART_W - PAD, PAD, strokeColor=colors.lightgrey))
    if not points:
        return drawing
    years, numbers = [p[0] for p in points], [float(p[1]) for p in points]
    low, high = min(numbers), max(numbers)
    low, high = (low - 1, high + 1) if high == low else (low, high)
    span = max(max(years) - min(years), 1)

    def xy(point: tuple[int, Decimal]) -> tuple[float, float]:
        return (
            PAD + (CHART_W - 2 * PAD) * (point[0] - min(years)) / span,
            PAD + (CHART_H - 2 * PAD) * (float(point[1]) - low) / (high - low),
        )

    if baseline and target:
        drawing.add(Line(*xy(baseline), *xy(target), strokeColor=colors.grey, strokeDashArray=[3, 2]))
    line = [p for p in (baseline, *values) if p is not None]
    if len(line) > 1:
        drawing.add(
            PolyLine(
                [c for p in line for c in xy(p)], strokeColor=colors.HexColor("#1f5fa8"), strokeWidth=1.5
            )
        )
    for point, colour in [(baseline, colors.grey), (target, colors.HexColor("#c2410c"))] + [
        (p, colors.HexColor("#1f5fa8")) for p in values
    ]:
        if point is not None:
            x, y = xy(point)
            drawing.add(Circle(x, y, 2, fillColor=colour, strokeColor=colour))
            drawing.add(
                String(
                    x,
                    y + 3,
                    f"{point[0]}: {_number(point[1])}",
                    fontName=font,
                    fontSize=6,
                    textAnchor="middle",
                )
            )
    return drawing
