"""An indicator's chart as SVG (pure): baseline → each year's value → target, with the straight
path from baseline to target dashed, so a reader sees at once whether the line runs above or
below it. Text is escaped; the picture has a title for screen readers."""

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

WIDTH, HEIGHT, PAD = 420, 180, 36


@dataclass(frozen=True)
class Series:
    title: str
    unit: str
    baseline: tuple[int, Decimal] | None
    target: tuple[int, Decimal] | None
    values: tuple[tuple[int, Decimal], ...]  # (fiscal year, value), in year order


def indicator_svg(series: Series) -> str:
    points = [p for p in (series.baseline, *series.values, series.target) if p is not None]
    if not points:
        return _frame(series, "")
    years = [year for year, _ in points]
    numbers = [float(value) for _, value in points]
    low, high = min(numbers), max(numbers)
    if high == low:
        low, high = low - 1, high + 1
    first, last = min(years), max(years)
    span = max(last - first, 1)

    def x(year: int) -> float:
        return PAD + (WIDTH - 2 * PAD) * (year - first) / span

    def y(value: Decimal) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (float(value) - low) / (high - low)

    parts = []
    if series.baseline and series.target:
        (by, bv), (ty, tv) = series.baseline, series.target
        parts.append(
            f'<line class="path" x1="{x(by):.1f}" y1="{y(bv):.1f}" x2="{x(ty):.1f}" y2="{y(tv):.1f}" '
            'stroke="#888" stroke-dasharray="4 3"/>'
        )
    line = [p for p in (series.baseline, *series.values) if p is not None]
    if len(line) > 1:
        coordinates = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in line)
        parts.append(
            f'<polyline class="values" points="{coordinates}" fill="none" stroke="#1f5fa8" stroke-width="2"/>'
        )
    for kind, point in (("baseline", series.baseline), ("target", series.target)):
        if point is not None:
            parts.append(_marker(kind, x(point[0]), y(point[1]), point, series.unit))
    for point in series.values:
        parts.append(_marker("value", x(point[0]), y(point[1]), point, series.unit))
    return _frame(series, "".join(parts))


def _marker(kind: str, cx: float, cy: float, point: tuple[int, Decimal], unit: str) -> str:
    year, value = point
    colour = {"baseline": "#666", "target": "#c2410c", "value": "#1f5fa8"}[kind]
    label = escape(f"{year}: {_short(value)}{unit}")
    return (
        f'<circle class="{kind}" cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}">'
        f"<title>{label}</title></circle>"
        f'<text x="{cx:.1f}" y="{cy - 8:.1f}" font-size="10" text-anchor="middle">{label}</text>'
    )


def _short(value: Decimal) -> str:
    return (
        format(value.normalize(), "f")
        if value == value.to_integral()
        else format(value.quantize(Decimal("0.1")), "f")
    )


def _frame(series: Series, body: str) -> str:
    title = escape(series.title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}"><title>{title}</title>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#ccc"/>'
        f"{body}</svg>"
    )
