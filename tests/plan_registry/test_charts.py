"""The indicator chart: fiscal years as ticks, the unit on the y axis, the values, the baseline,
the target and the dashed path between them, a legend; every text in IPAexGothic, none over
another nor cut off; a standalone SVG with a title for screen readers."""

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from core.fonts import japanese_font_path
from plan_registry.charts import Series, describe, indicator_figure, indicator_svg, text_boxes

SVG = "{http://www.w3.org/2000/svg}"
TRAINING = Series(
    "I-2 研修の参加人数 <I-2>",
    "人",
    (2023, Decimal(402)),
    (2031, Decimal(750)),
    ((2024, Decimal(450)), (2025, Decimal(520)), (2026, Decimal(90))),
    in_progress=2026,
)
# Every year of a long plan, the values a hair apart: their labels cannot all fit.
CROWDED = Series(
    "① 民生委員・児童委員、主任児童委員の定員充足率",
    "%",
    (2011, Decimal("95.1")),
    (2031, Decimal(100)),
    tuple((year, Decimal("91.6") + Decimal(year % 3) / 10) for year in range(2012, 2031)),
)
LARGE = Series("SYS-05 付与したくまもとポイント", "ポイント", None, None, ((2025, Decimal(1234567)),))


@pytest.fixture(scope="module")
def font() -> Path:
    return japanese_font_path()


def drawn(figure: Figure) -> list[tuple[str, object]]:
    return [(text, box) for text, box in text_boxes(figure)]


def test_the_years_are_the_ticks_and_the_unit_labels_the_y_axis(font: Path) -> None:
    figure = indicator_figure(TRAINING, font_path=font)
    axes = figure.axes[0]
    texts = [text for text, _ in text_boxes(figure)]

    assert list(axes.get_xticks()) == list(range(2023, 2032))
    assert [label.get_text() for label in axes.get_xticklabels()] == [str(y) for y in range(2023, 2032)]
    assert axes.get_xlabel() == "年度"
    assert axes.get_title(loc="left") == "（人）"
    assert axes.get_ylim()[0] == 0  # a count starts at zero
    legend = [text.get_text() for text in figure.legends[0].get_texts()]
    assert legend == [
        "計画の道筋（基準値→目標値）",
        "実績",
        "年度途中の値",
        "基準値（2023年度）",
        "目標値（2031年度）",
    ]
    assert {"750", "520", "90"} <= set(texts)  # the target and the latest values are labelled


def test_the_path_from_baseline_to_target_is_dashed_and_the_interim_value_hollow(font: Path) -> None:
    lines = {line.get_label(): line for line in indicator_figure(TRAINING, font_path=font).axes[0].lines}

    path = lines["計画の道筋（基準値→目標値）"]
    assert (list(path.get_xdata()), list(path.get_ydata())) == ([2023, 2031], [402.0, 750.0])
    assert path.get_linestyle() == "--"
    assert list(lines["実績"].get_xdata()) == [2023, 2024, 2025]  # the baseline, then settled years
    assert list(lines["年度途中の値"].get_xdata()) == [2026]
    assert lines["年度途中の値"].get_markerfacecolor() == "white"
    assert lines["目標値（2031年度）"].get_marker() == "D"


@pytest.mark.parametrize("series", [TRAINING, CROWDED, LARGE], ids=["training", "crowded", "large"])
def test_no_text_overlaps_another_or_leaves_the_picture(series: Series, font: Path) -> None:
    figure = indicator_figure(series, font_path=font)
    boxes = text_boxes(figure)
    picture = figure.bbox

    overlapping = [
        (a, b) for i, (a, box) in enumerate(boxes) for b, other in boxes[i + 1 :] if box.overlaps(other)
    ]
    assert overlapping == []
    outside = [text for text, box in boxes if not (picture.x0 <= box.x0 and box.x1 <= picture.x1)]
    outside += [text for text, box in boxes if not (picture.y0 <= box.y0 and box.y1 <= picture.y1)]
    assert outside == []


def test_crowded_years_and_labels_give_way_rather_than_overlap(font: Path) -> None:
    figure = indicator_figure(CROWDED, font_path=font)
    shown = [text for text, _ in text_boxes(figure)]
    years = list(figure.axes[0].xaxis.get_major_ticks())

    assert len(years) == 2031 - 2011 + 1  # every year keeps its tick
    assert {"2011", "2031"} <= set(shown)
    assert sum(text.isdigit() and len(text) == 4 for text in shown) < len(years)  # some labels thinned
    assert "100" in shown  # the target's label comes first


def test_large_values_are_grouped_by_thousands(font: Path) -> None:
    shown = [text for text, _ in text_boxes(indicator_figure(LARGE, font_path=font))]

    assert "1,234,567" in shown
    assert any(text.endswith(",000") for text in shown)  # the y axis' ticks


def test_every_text_is_set_in_ipaexgothic(font: Path) -> None:
    figure = indicator_figure(TRAINING, font_path=font)
    texts = [text for text in figure.findobj(Text) if text.get_text().strip()]  # drawn or not

    files = {
        Path(font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)) for text in texts
    }
    assert files == {font}


def test_the_svg_stands_alone_with_a_title_for_screen_readers(font: Path) -> None:
    svg = indicator_svg(TRAINING, font_path=font)

    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == describe(TRAINING)
    assert root.find(f"{SVG}title").text == describe(TRAINING)
    assert root.find(f".//{SVG}text") is None  # glyph outlines: a browser needs no Japanese font
    assert describe(TRAINING) == (
        "I-2 研修の参加人数 <I-2>の推移: 基準値 2023年度 402人、2024年度 450人、2025年度 520人、"
        "2026年度 90人（年度途中）、目標値 2031年度 750人"
    )


def test_the_svg_for_the_pdf_keeps_its_text_as_text(font: Path) -> None:
    root = ET.fromstring(indicator_svg(TRAINING, font_path=font, text_as_paths=False))  # noqa: S314

    texts = list(root.iter(f"{SVG}text"))
    assert {"年度", "（人）", "2023", "2031"} <= {text.text for text in texts}
    assert all("IPAexGothic" in (text.get("style") or "") for text in texts)


def test_an_indicator_without_target_or_values_still_draws(font: Path) -> None:
    series = Series("活動したボランティアの数", "人", None, None, ())
    figure = indicator_figure(series, font_path=font)

    assert [text for text, _ in text_boxes(figure)] == ["値がありません", "年度", "（人）"]
    assert [line for line in figure.axes[0].lines if isinstance(line, Line2D)] == []
    assert ET.fromstring(indicator_svg(series, font_path=font)).find(f"{SVG}title").text == (  # noqa: S314
        "活動したボランティアの数の推移: 値がありません"
    )
