"""The printable activity certificate (活動証明書): an A4 PDF with a QR code to its verification page.

Pure: no ORM; the caller passes every label already worded (fiscal year, issue date in both
calendars). The Japanese font is embedded from a TrueType file, because reportlab's built-in CID
fonts are not embedded and show as empty boxes on machines without them. The QR code is drawn as
vector squares, so it stays sharp at any zoom or printer resolution.
"""

import functools
import io
import pathlib
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from points.credentials import Activity

MARGIN = 20 * mm
QR_SIZE = 32 * mm
# 日付 / 場所 / 活動内容 / 時間 / 主催, adding up to the 170 mm between A4's margins; the date column
# fits the widest date, "2025年12月30日", on one line.
COLUMN_WIDTHS = (32 * mm, 34 * mm, 48 * mm, 24 * mm, 32 * mm)
HEADINGS = ("日付", "場所", "活動内容", "時間", "主催")
VERIFY_CAPTION = "この証明書の真正性は右のQRコードから確認できます"


@dataclass(frozen=True)
class CertificateDocument:
    title: str
    fiscal_year_label: str | None
    recipient_name: str
    activities: tuple[Activity, ...]
    total_minutes: int
    issuing_body: str
    issued_on_label: str
    serial: str
    verification_url: str


def duration_label(*, minutes: int) -> str:
    """'2時間30分', '2時間', '45分': the way the city's forms write a length of time."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}時間{rest}分"
    return f"{hours}時間" if hours else f"{rest}分"


def certificate_pdf_render(*, document: CertificateDocument, font_path: pathlib.Path) -> bytes:
    styles = _styles(font_name=_font_register(font_path=font_path))
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{document.title} {document.serial}",
        author=document.issuing_body,
        lang="ja",
        initialFontName=styles["body"].fontName,
        # No timestamps or random ids in the file: the same certificate always gives the same bytes.
        invariant=1,
    )
    footer = _page_footer(serial=document.serial, style=styles["small"])
    template.build(_story(document=document, styles=styles), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


@functools.cache
def _font_register(*, font_path: pathlib.Path) -> str:
    # reportlab's font registry is process-wide; registering each file once keeps renders cheap.
    name = f"Certificate-{font_path.stem}"
    pdfmetrics.registerFont(TTFont(name, str(font_path)))
    return name


def _styles(*, font_name: str) -> dict[str, ParagraphStyle]:
    # wordWrap="CJK" breaks Japanese lines between any two characters; the default waits for spaces.
    body = ParagraphStyle("body", fontName=font_name, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=24, leading=32, alignment=TA_CENTER),
        "recipient": ParagraphStyle("recipient", parent=body, fontSize=16, leading=24),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=12),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=9, leading=12, alignment=TA_RIGHT),
        "total": ParagraphStyle("total", parent=body, fontSize=12, leading=18, alignment=TA_RIGHT),
        "issuer": ParagraphStyle("issuer", parent=body, fontSize=13, leading=20),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=11),
    }


def _story(*, document: CertificateDocument, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    def text(value: str, style: str) -> Paragraph:
        return Paragraph(escape(value), styles[style])

    story: list[Flowable] = [text(document.title, "title"), Spacer(0, 8 * mm)]
    story.append(text(f"{document.recipient_name}　様", "recipient"))
    if document.fiscal_year_label:
        story.append(text(f"対象期間　{document.fiscal_year_label}", "body"))
    story += [
        Spacer(0, 4 * mm),
        text("下記のとおり、ボランティア活動に参加されたことを証明します。", "body"),
        Spacer(0, 4 * mm),
        _activity_table(activities=document.activities, styles=styles),
        Spacer(0, 3 * mm),
        text(f"活動時間の合計　{duration_label(minutes=document.total_minutes)}", "total"),
        Spacer(0, 10 * mm),
        KeepTogether([_issuer_block(document=document, styles=styles)]),
    ]
    return story


def _activity_table(*, activities: tuple[Activity, ...], styles: dict[str, ParagraphStyle]) -> Table:
    def cell(value: str, style: str = "cell") -> Paragraph:
        return Paragraph(escape(value), styles[style])

    rows = [[cell(heading) for heading in HEADINGS]]
    for activity in activities:
        day = activity.date
        rows.append(
            [
                cell(f"{day.year}年{day.month}月{day.day}日"),
                cell(activity.place),
                cell(activity.content),
                cell(duration_label(minutes=activity.minutes), "cell_right"),
                cell(activity.organiser),
            ]
        )
    # repeatRows=1: a table that flows onto further pages repeats its headings there.
    table = Table(rows, colWidths=COLUMN_WIDTHS, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                # Tables set their own cell font, Helvetica unless told: it would be listed unembedded.
                ("FONTNAME", (0, 0), (-1, -1), styles["cell"].fontName),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _issuer_block(*, document: CertificateDocument, styles: dict[str, ParagraphStyle]) -> Table:
    def text(value: str, style: str) -> Paragraph:
        return Paragraph(escape(value), styles[style])

    details = [
        text(document.issued_on_label, "body"),
        text(document.issuing_body, "issuer"),
        text(f"証明書番号　{document.serial}", "body"),
        Spacer(0, 3 * mm),
        text(VERIFY_CAPTION, "small"),
        text(document.verification_url, "small"),
    ]
    block = Table(
        [[details, _QrCode(url=document.verification_url, size=QR_SIZE)]],
        colWidths=(170 * mm - QR_SIZE, QR_SIZE),
    )
    block.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles["body"].fontName),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (1, 0), (1, 0), 0),
            ]
        )
    )
    return block


class _QrCode(Flowable):
    """The QR code as filled squares on the canvas; reportlab's graphics renderer would reference
    Helvetica, an unembedded font, for a drawing that has no text."""

    def __init__(self, *, url: str, size: float) -> None:
        super().__init__()
        self.rows = [list(row) for row in segno.make_qr(url, error="m").matrix_iter(scale=1, border=4)]
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        module = self.size / len(self.rows)
        self.canv.setFillColor(colors.black)
        for row_number, row in enumerate(self.rows):
            y = self.size - (row_number + 1) * module
            # One rectangle per run of dark modules: fewer shapes, and no hairline gaps between them.
            for start, length in _dark_runs(row):
                self.canv.rect(start * module, y, length * module, module, stroke=0, fill=1)


def _dark_runs(row: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for column, dark in enumerate([*row, 0]):
        if dark and start is None:
            start = column
        elif not dark and start is not None:
            runs.append((start, column - start))
            start = None
    return runs


def _page_footer(*, serial: str, style: ParagraphStyle) -> Callable[[Canvas, SimpleDocTemplate], None]:
    # Every page names its certificate, so a loose second page cannot be passed off with another.
    def draw(canvas: Canvas, template: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(style.fontName, style.fontSize)
        canvas.drawRightString(
            A4[0] - MARGIN, MARGIN / 2, f"証明書番号 {serial}　{canvas.getPageNumber()}ページ"
        )
        canvas.restoreState()

    return draw
