"""The annual progress report as a printable PDF (A4 landscape, Japanese): per plan, per indicator
the facts `report_text` writes and the indicator's chart, a vector drawing (matplotlib's SVG turned
into a reportlab drawing by svglib, its text still text). Every page carries the report's title,
the date of issue, the issuing department and its number out of the total.

One font, IPAexGothic, is embedded and every text is set in it: the paragraphs, the tables (which
otherwise name Helvetica for their cells), the charts (svglib maps the SVG's font family to it) and
the drawings' starting state (reportlab's graphics otherwise begin in Helvetica). A font a PDF
names without embedding it shows as boxes on a machine without it.
"""

import datetime as dt
import functools
import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from svglib.fonts import FontMap
from svglib.svglib import svg2rlg

from plan_registry import charts, figures
from plan_registry.report_text import IndicatorText, ReportText, Section

PAGE = landscape(A4)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 12 * mm, 18 * mm, 16 * mm
CHART_WIDTH = 105 * mm
STATUS_COLOURS = {"ok": "#106b21", "late": "#a4161a", "interim": "#5b5b5b", "none": "#5b5b5b"}


@functools.cache
def _font(font_path: Path) -> str:
    # reportlab's font registry is process-wide; registering each file once keeps renders cheap.
    name = f"Report-{font_path.stem}"
    pdfmetrics.registerFont(TTFont(name, str(font_path)))
    return name


@functools.cache
def _chart_fonts(font_path: Path, family: str) -> FontMap:
    """svglib's map from the SVG's font family (matplotlib writes the font's own name) to the
    registered font; a family it cannot map it would draw in Helvetica."""
    fonts = FontMap()
    fonts.register_font(family, str(font_path), rlgFontName=_font(font_path))
    return fonts


def report_pdf(*, text: ReportText, font_path: Path, issued_on: dt.date, department: str) -> bytes:
    font = _font(font_path)
    styles = _styles(font)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=text.title,
        author=department,
        lang="ja",
        initialFontName=font,
        invariant=1,  # no timestamps or random ids: the same report gives the same bytes
    )
    page = _page_canvas(font=font, title=text.title, issued_on=issued_on, department=department)
    document.build(_story(text, styles, font_path, issued_on, department), canvasmaker=page)
    return out.getvalue()


def _styles(font: str) -> dict[str, ParagraphStyle]:
    # wordWrap="CJK" breaks Japanese lines between any two characters; the default waits for spaces.
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontSize=16, leading=22),
        # keepWithNext: a plan's heading never ends a page without its first indicator below it.
        "plan": ParagraphStyle(
            "plan", parent=body, fontSize=12, leading=17, spaceBefore=2 * mm, keepWithNext=1
        ),
        "heading": ParagraphStyle("heading", parent=body, fontSize=10.5, leading=15),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=11),
    }


def _story(
    text: ReportText, styles: dict[str, ParagraphStyle], font_path: Path, issued_on: dt.date, department: str
) -> list[Flowable]:
    story: list[Flowable] = [
        _paragraph(text.title, styles["title"]),
        _paragraph(f"発行日 {figures.date(issued_on)}　発行 {department}", styles["body"]),
        Spacer(0, 2 * mm),
    ]
    story += [_paragraph(note, styles["small"]) for note in text.notes]
    for section in text.sections:
        story += _section(section, styles, font_path)
    return story


def _section(section: Section, styles: dict[str, ParagraphStyle], font_path: Path) -> list[Flowable]:
    story: list[Flowable] = [
        Spacer(0, 3 * mm),
        _paragraph(f"{section.title}　{section.period}", styles["plan"]),
    ]
    for indicator in section.indicators:
        story.append(KeepTogether([_indicator(indicator, styles, font_path), Spacer(0, 3 * mm)]))
    return story


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _indicator(indicator: IndicatorText, styles: dict[str, ParagraphStyle], font_path: Path) -> Table:
    font = styles["body"].fontName
    facts = Table(
        [
            [_paragraph(fact.heading, styles["small"]), _fact(fact.text, fact.kind, indicator, styles)]
            for fact in indicator.facts
        ],
        colWidths=[32 * mm, None],
    )
    facts.setStyle(_table_style(font, [("LINEBELOW", (0, 0), (-1, -2), 0.25, colors.lightgrey)]))
    text = [
        _paragraph(indicator.heading, styles["heading"]),
        _paragraph(indicator.subheading, styles["small"]),
        facts,
    ]
    if indicator.series.empty:
        table = Table([[text]])  # nothing to draw: the facts take the width
    else:
        table = Table([[text, _chart(indicator.series, font_path)]], colWidths=[None, CHART_WIDTH + 4 * mm])
    table.setStyle(_table_style(font, [("BOX", (0, 0), (-1, -1), 0.5, colors.grey)]))
    return table


def _fact(text: str, kind: str, indicator: IndicatorText, styles: dict[str, ParagraphStyle]) -> Paragraph:
    if kind != "status":
        return _paragraph(text, styles["body"])
    colour = STATUS_COLOURS.get(indicator.status_class, STATUS_COLOURS["none"])
    return Paragraph(f'<font color="{colour}">{escape(text)}</font>', styles["heading"])


def _table_style(font: str, extra: list[tuple[Any, ...]]) -> TableStyle:
    # Tables set their own cell font, Helvetica unless told: it would be named, unembedded.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("VALIGN", (0, 0), (-1, -1), "TOP"), *extra])


def _chart(series: charts.Series, font_path: Path) -> Drawing:
    svg = charts.indicator_svg(series, font_path=font_path, text_as_paths=False)
    family = charts.font_family(font_path)
    drawing = svg2rlg(io.BytesIO(svg.encode("utf-8")), font_map=_chart_fonts(font_path, family))
    if drawing is None:
        raise ValueError(f"svglib could not read the chart of {series.title}")
    scale = CHART_WIDTH / drawing.width
    drawing.scale(scale, scale)
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    drawing.initialFontName = _font(font_path)  # the renderer's starting font, named in the PDF
    return drawing


def _page_canvas(*, font: str, title: str, issued_on: dt.date, department: str) -> type[Canvas]:
    """A canvas that holds its pages back until the last one, so that each can say "n / total"."""

    class PageCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self._frame(number, len(self._pages))
                super().showPage()
            super().save()

        def _frame(self, number: int, total: int) -> None:
            width, height = PAGE
            self.saveState()
            self.setFont(font, 8)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(MARGIN_X, height - 10 * mm, title)
            self.drawRightString(width - MARGIN_X, height - 10 * mm, f"発行日 {figures.date(issued_on)}")
            self.drawString(MARGIN_X, 8 * mm, f"発行 {department}")
            self.drawRightString(width - MARGIN_X, 8 * mm, f"{number} / {total}")
            self.restoreState()

    return PageCanvas
