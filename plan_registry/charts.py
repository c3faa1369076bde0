"""An indicator's chart (pure: no Django), drawn with matplotlib: fiscal years along the x axis,
the unit on the y axis, the yearly values, the baseline, the target, and the straight path from
baseline to target dashed, so a reader sees at once whether the line runs above or below it.

matplotlib's `Figure` is used on its own, never pyplot: pyplot keeps global figures, which threads
of a web server would share. Every text is set in IPAexGothic (the file `core.fonts` finds), named
explicitly rather than through rcParams. Two renderings come from one figure: SVG with the text as
glyph outlines for the staff page (a browser draws IPAexGothic without having it), and SVG with
the text as text for the PDF (svglib turns it into a reportlab drawing whose text uses the
embedded font). Value labels that would overlap another text or leave the plot are moved below
their point or dropped (`_place_value_labels`); the table beside the chart has every figure.
"""

import functools
import io
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import Bbox

from plan_registry import figures

SIZE = (5.2, 2.9)  # inches: 374 × 209 pt, the same on the page and, scaled, in the PDF
FONT_SIZE, LABEL_SIZE = 8.0, 7.0
COLOURS = {"value": "#1f5fa8", "target": "#c2410c", "baseline": "#4d4d4d", "path": "#8c8c8c"}
PATH = {"color": COLOURS["path"], "linestyle": (0, (4, 3)), "linewidth": 1.2, "zorder": 1}
VALUES = {"color": COLOURS["value"], "marker": "o", "markersize": 4.5, "linewidth": 1.8, "zorder": 3}
INTERIM = {**VALUES, "markersize": 5, "markerfacecolor": "white", "linestyle": "none", "zorder": 4}
BASELINE = {"color": COLOURS["baseline"], "marker": "s", "markersize": 5, "linestyle": "none", "zorder": 4}
TARGET = {"color": COLOURS["target"], "marker": "D", "markersize": 6, "linestyle": "none", "zorder": 4}
LABEL_OFFSET = 6  # points between a point and its value label
LABEL_GAP = 3  # pixels kept clear around a value label
# matplotlib reads `svg.fonttype` from its global rcParams at save time: the lock keeps one
# thread's "text" rendering from leaking into another's "path" rendering.
_RENDER = threading.Lock()


@dataclass(frozen=True)
class Series:
    title: str
    unit: str
    baseline: tuple[int, Decimal] | None
    target: tuple[int, Decimal] | None
    values: tuple[tuple[int, Decimal], ...]  # (fiscal year, value), in year order
    in_progress: int | None = None  # the fiscal year in progress: its value is interim (年度途中)

    @property
    def empty(self) -> bool:
        """Nothing to draw: no baseline, no target, no value (a system indicator's first year)."""
        return self.baseline is None and self.target is None and not self.values


def indicator_svg(series: Series, *, font_path: Path, text_as_paths: bool = True) -> str:
    """The chart as a standalone SVG document with a title for screen readers."""
    return _svg(series, str(font_path), text_as_paths)


@functools.lru_cache(maxsize=512)
def _svg(series: Series, font_path: str, text_as_paths: bool) -> str:
    # Cached: a chart changes only when its figures do, and drawing one takes a tenth of a second.
    out = io.StringIO()
    with _RENDER:
        figure = indicator_figure(series, font_path=Path(font_path))
        fonttype = "path" if text_as_paths else "none"
        with mpl.rc_context({"svg.fonttype": fonttype, "svg.hashsalt": "plan-report"}):
            figure.savefig(out, format="svg", metadata={"Date": None})
    return _titled(out.getvalue(), describe(series))


def _titled(svg: str, title: str) -> str:
    opening = re.search(r"<svg\b[^>]*>", svg)
    if opening is None:
        raise ValueError("matplotlib wrote no <svg> element")
    tag = opening.group(0)
    labelled = f'{tag[:-1]} role="img" aria-label={quoteattr(title)}><title>{escape(title)}</title>'
    return svg[: opening.start()] + labelled + svg[opening.end() :]


def describe(series: Series) -> str:
    """The chart in words, for screen readers and the image's alternative text."""
    parts = []
    if series.baseline is not None:
        parts.append(f"基準値 {_point(series.baseline, series.unit)}")
    for year, value in series.values:
        interim = "（年度途中）" if year == series.in_progress else ""
        parts.append(f"{_point((year, value), series.unit)}{interim}")
    if series.target is not None:
        parts.append(f"目標値 {_point(series.target, series.unit)}")
    return f"{series.title}の推移: " + ("、".join(parts) if parts else "値がありません")


def _point(point: tuple[int, Decimal], unit: str) -> str:
    return f"{figures.fiscal_year(point[0])} {figures.quantity(point[1], unit)}"


def indicator_figure(series: Series, *, font_path: Path) -> Figure:
    """The figure, laid out, its labels placed; callers hold `_RENDER` (tests draw alone)."""
    font = _Font(str(font_path), font_family(font_path))
    figure = Figure(figsize=SIZE, layout="constrained")
    FigureCanvasAgg(figure)  # measures the texts to lay them out; savefig switches to SVG
    axes = figure.add_subplot()
    lines = _draw(axes, series)
    _axes(axes, series, font)
    if lines:
        figure.legend(
            loc="outside lower center", ncols=min(len(lines), 3), frameon=False, prop=font.at(FONT_SIZE)
        )
    else:
        axes.text(
            0.5,
            0.5,
            "値がありません",
            transform=axes.transAxes,
            ha="center",
            fontproperties=font.at(FONT_SIZE),
        )
    figure.draw_without_rendering()
    if _thin_year_labels(figure, axes):
        figure.draw_without_rendering()
    # From here the layout is fixed, so that the labels placed below stay where they were tested.
    figure.set_layout_engine("none")
    _place_value_labels(figure, axes, series, font)
    return figure


@functools.cache
def font_family(font_path: Path) -> str:
    """The font's family name (IPAexGothic), as the SVG for the PDF names it."""
    return font_manager.FontProperties(fname=str(font_path)).get_name()


@dataclass(frozen=True)
class _Font:
    path: str
    family: str

    def at(self, size: float) -> font_manager.FontProperties:
        # The file itself, so that another copy of a font of the same name (a system's) is never
        # taken instead; the family only names it in the SVG, where svglib maps it to the PDF's font.
        return font_manager.FontProperties(family=self.family, fname=self.path, size=size)


def _draw(axes: Axes, series: Series) -> list[str]:
    """The lines and markers, each with its legend entry; returns the entries drawn."""
    settled = [p for p in series.values if p[0] != series.in_progress]
    interim = [p for p in series.values if p[0] == series.in_progress]
    line = [p for p in (series.baseline, *settled) if p is not None]
    if interim:
        # Dotted into the interim value: a part-year figure, not a point the line has reached.
        joined = [*line[-1:], *interim]
        axes.plot(*_xy(joined), color=COLOURS["value"], linestyle=":", linewidth=1.2, zorder=2)
    layers: list[tuple[list[tuple[int, Decimal]], str, dict[str, Any]]] = [
        (line if settled else [], "実績", VALUES),
        (interim, "年度途中の値", INTERIM),
    ]
    if series.baseline is not None and series.target is not None:
        layers.insert(0, ([series.baseline, series.target], "計画の道筋（基準値→目標値）", PATH))
    if series.baseline is not None:
        layers.append(([series.baseline], f"基準値（{figures.fiscal_year(series.baseline[0])}）", BASELINE))
    if series.target is not None:
        layers.append(([series.target], f"目標値（{figures.fiscal_year(series.target[0])}）", TARGET))
    drawn = []
    for points, label, style in layers:
        if points:
            axes.plot(*_xy(points), label=label, **style)
            drawn.append(label)
    return drawn


def _xy(points: list[tuple[int, Decimal]]) -> tuple[list[int], list[float]]:
    return [year for year, _ in points], [float(value) for _, value in points]


def _years(series: Series) -> list[int]:
    points = [p for p in (series.baseline, *series.values, series.target) if p is not None]
    if not points:
        return []
    return list(range(min(p[0] for p in points), max(p[0] for p in points) + 1))


def _axes(axes: Axes, series: Series, font: _Font) -> None:
    years = _years(series)
    axes.set_xlabel("年度", fontproperties=font.at(FONT_SIZE))
    axes.set_title(f"（{series.unit}）", loc="left", fontproperties=font.at(FONT_SIZE))
    axes.spines[["top", "right"]].set_visible(False)
    if not years:
        axes.set_xticks([])
        axes.set_yticks([])
        return
    axes.set_xticks(years, [str(year) for year in years])
    axes.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    axes.yaxis.set_major_formatter(FuncFormatter(_tick))
    axes.margins(y=0.22)  # room above and below the points for their labels
    _from_zero(axes, series)
    for axis in (axes.xaxis, axes.yaxis):
        # Ticks made later copy their labels' font from the first (matplotlib's Axis does so).
        for tick in axis.get_major_ticks():
            tick.label1.set_fontproperties(font.at(FONT_SIZE))
            tick.label2.set_fontproperties(font.at(FONT_SIZE))
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)


def _from_zero(axes: Axes, series: Series) -> None:
    """Counts and shares start their axis at zero, so that a small change does not look large."""
    numbers = [float(p[1]) for p in (series.baseline, *series.values, series.target) if p is not None]
    if min(numbers) < 0:
        return
    axes.autoscale_view()
    top = axes.get_ylim()[1]
    axes.set_ylim(0, top if top > 0 else 1)


def _tick(value: float, _position: float) -> str:
    return figures.number(Decimal(str(float(value))), places=2)


def _thin_year_labels(figure: Figure, axes: Axes) -> bool:
    """Every year keeps its tick; if their labels would touch, only every second (third…) is
    written, the first and last always. Says whether any was hidden."""
    labels = [tick.label1 for tick in axes.xaxis.get_major_ticks()]
    for step in range(1, len(labels) + 1):
        shown = [label for i, label in enumerate(labels) if i % step == 0 or i == len(labels) - 1]
        for label in labels:
            label.set_visible(label in shown)
        if not _overlapping(figure, shown):
            return step > 1
    return True


def _renderer(figure: Figure) -> RendererAgg:
    """The Agg renderer `indicator_figure` measures with (savefig only borrows the SVG one)."""
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        raise TypeError("the chart's figure must keep its Agg canvas")
    return canvas.get_renderer()


def _overlapping(figure: Figure, texts: list[Text]) -> bool:
    boxes = [_box(figure, text) for text in texts]
    return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def _box(figure: Figure, text: Text) -> Bbox:
    return text.get_window_extent(_renderer(figure))


def _place_value_labels(figure: Figure, axes: Axes, series: Series, font: _Font) -> None:
    """Labels each point with its value, the most telling first (the target, then the latest
    value, the baseline, earlier values); a label goes above its point, else below, else not
    at all, and never over another text or outside the plot."""
    taken = [box for _, box in text_boxes(figure)]
    inside = axes.get_window_extent(_renderer(figure))
    for point in _by_importance(series):
        for offset, align in ((LABEL_OFFSET, "bottom"), (-LABEL_OFFSET, "top")):
            label = axes.annotate(
                figures.number(point[1]),
                xy=(point[0], float(point[1])),
                xytext=(0, offset),
                textcoords="offset points",
                ha="center",
                va=align,
                fontproperties=font.at(LABEL_SIZE),
                color="#333333",
            )
            label.set_in_layout(False)
            box = _box(figure, label)
            # A gap, not only no overlap: "91.7" touching "91.8" reads as "91.791.8".
            if _within(box, inside) and not any(box.padded(LABEL_GAP).overlaps(other) for other in taken):
                taken.append(box)
                break
            label.remove()


def _by_importance(series: Series) -> Iterator[tuple[int, Decimal]]:
    if series.target is not None:
        yield series.target
    yield from reversed(series.values)
    if series.baseline is not None:
        yield series.baseline


def _within(box: Bbox, outer: Bbox) -> bool:
    return outer.x0 <= box.x0 and box.x1 <= outer.x1 and outer.y0 <= box.y0 and box.y1 <= outer.y1


def text_boxes(figure: Figure) -> list[tuple[str, Bbox]]:
    """Every text the figure draws, with where (display units): the tick labels within the axes'
    limits, the axis labels and title, the legend, the value labels."""
    renderer = _renderer(figure)
    ticks = {id(label) for axes in figure.axes for label in _tick_labels(axes)}
    texts = [text for text in figure.findobj(Text) if id(text) not in ticks]
    texts += [label for axes in figure.axes for label in _drawn_tick_labels(axes)]
    return [
        (text.get_text(), text.get_window_extent(renderer))
        for text in texts
        if text.get_visible() and text.get_text().strip()
    ]


def _tick_labels(axes: Axes) -> Iterator[Text]:
    for axis in (axes.xaxis, axes.yaxis):
        for tick in axis.get_major_ticks() + axis.get_minor_ticks():
            yield from (tick.label1, tick.label2)


def _drawn_tick_labels(axes: Axes) -> Iterator[Text]:
    """matplotlib keeps tick labels beyond the axis limits but does not draw them."""
    for axis in (axes.xaxis, axes.yaxis):
        low, high = sorted(axis.get_view_interval())
        slack = (high - low) * 1e-9
        for tick in axis.get_major_ticks():
            if low - slack <= tick.get_loc() <= high + slack and tick.label1.get_visible():
                yield tick.label1
