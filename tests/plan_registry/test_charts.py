"""The indicator chart: a well-formed SVG with the baseline, each value and the target."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from plan_registry.charts import Series, indicator_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_the_chart_shows_baseline_values_target_and_the_path() -> None:
    svg = indicator_svg(
        Series(
            "研修の参加人数 <I-2>",
            "人",
            (2023, Decimal(402)),
            (2031, Decimal(750)),
            ((2024, Decimal(450)), (2025, Decimal(520))),
        )
    )

    root = ET.fromstring(svg)  # noqa: S314 - our own output
    circles = {c.get("class"): c for c in root.iter(f"{SVG}circle")}
    assert root.find(f"{SVG}title").text == "研修の参加人数 <I-2>"
    assert [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")] == [
        "2023: 402人",
        "2031: 750人",
        "2024: 450人",
        "2025: 520人",
    ]
    assert set(circles) == {"baseline", "target", "value"}
    assert root.find(f"{SVG}line[@class='path']") is not None
    assert len(root.find(f"{SVG}polyline").get("points").split()) == 3  # baseline and two years
    # Higher values are drawn higher: y grows downwards in SVG.
    ys = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert ys[1] < ys[3] < ys[2] < ys[0]


def test_an_indicator_without_target_or_values_still_draws() -> None:
    svg = indicator_svg(Series("活動したボランティアの数", "人", None, None, ()))

    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.find(f"{SVG}circle") is None
    assert root.find(f"{SVG}title").text == "活動したボランティアの数"
