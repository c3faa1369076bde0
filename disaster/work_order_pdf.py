"""The printable work order (活動指示書) a team leader takes to the site: where, what, who, what to
bring and watch for, whom to contact, and a report section filled in on the way back. Pure: no ORM;
the caller passes every label already worded. The Japanese font is embedded, as for certificates.
"""

import functools
import io
import pathlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

MARGIN = 16 * mm
SAFETY = (
    "長袖・長ズボン、踏み抜き防止の靴、手袋、防じんマスクを着用する",
    "30分ごとに休憩と水分補給をとる（熱中症に注意）",
    "ブレーカー・ガス・倒壊のおそれを確かめてから作業する。危険があれば中止してセンターに連絡する",
    "依頼者の同意なく物を捨てない。貴重品・思い出の品は依頼者に渡す",
)


@dataclass(frozen=True)
class Member:
    name: str
    role: str  # リーダー, サブリーダー or empty


@dataclass(frozen=True)
class WorkOrder:
    centre_name: str
    disaster_name: str
    day_label: str
    team_label: str  # e.g. 3班
    work_type: str  # 泥出し …
    place: str  # district and address
    contact: str  # the requester's name and number, or 'センター経由'
    helpers: str  # e.g. 8人（依頼 12人）
    equipment: tuple[str, ...]  # 車両あり, チェーンソー資格者 …
    note: str
    members: tuple[Member, ...]
    reasons: tuple[str, ...]


def work_order_pdf_render(*, order: WorkOrder, font_path: pathlib.Path) -> bytes:
    styles = _styles(_font_register(font_path=font_path))
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"活動指示書 {order.day_label} {order.team_label}",
        author=order.centre_name,
        lang="ja",
        initialFontName=styles["body"].fontName,
        invariant=1,  # the same order always gives the same bytes
    )
    template.build(_story(order, styles))
    return buffer.getvalue()


@functools.cache
def _font_register(*, font_path: pathlib.Path) -> str:
    name = f"WorkOrder-{font_path.stem}"
    pdfmetrics.registerFont(TTFont(name, str(font_path)))
    return name


def _styles(font_name: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=font_name, fontSize=10.5, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=20, leading=28),
        "heading": ParagraphStyle("heading", parent=body, fontSize=12, leading=18, spaceBefore=4),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=10, leading=14),
    }


def _story(order: WorkOrder, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    def text(value: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(value), styles[style])

    story: list[Flowable] = [
        text(f"活動指示書　{order.team_label}", "title"),
        text(f"{order.centre_name}（{order.disaster_name}）　{order.day_label}"),
        Spacer(0, 4 * mm),
        _grid(_facts(order), styles, (36 * mm, 142 * mm)),
        text("班員", "heading"),
        _grid([(m.role or "班員", m.name) for m in order.members], styles, (36 * mm, 142 * mm)),
        text("安全のために", "heading"),
        *[text(f"・{line}") for line in SAFETY],
        text("編成の理由", "heading"),
        text("、".join(order.reasons) or "—"),
        text("活動報告（帰着時に記入し、センターへ提出）", "heading"),
        _grid(_report_rows(), styles, (36 * mm, 142 * mm), row_height=12 * mm),
    ]
    return story


def _facts(order: WorkOrder) -> list[tuple[str, str]]:
    return [
        ("作業", order.work_type),
        ("場所", order.place),
        ("依頼者・連絡先", order.contact),
        ("人数", order.helpers),
        ("必要な装備・資格", "、".join(order.equipment) or "特になし"),
        ("依頼内容", order.note or "—"),
    ]


def _report_rows() -> list[tuple[str, str]]:
    return [
        ("結果", "□ 作業完了　　□ 作業継続が必要（あと　　人）"),
        ("活動時間", "　　時　　分 〜 　　時　　分"),
        ("けが・事故", "□ なし　　□ あり（内容：　　　　　　　　　　　　）"),
        ("引き継ぎ", ""),
    ]


def _grid(
    rows: list[tuple[str, str]],
    styles: dict[str, ParagraphStyle],
    widths: tuple[float, float],
    row_height: float | None = None,
) -> Table:
    cells = [
        [Paragraph(escape(label), styles["cell"]), Paragraph(escape(value), styles["cell"])]
        for label, value in rows
    ]
    table = Table(cells or [["", ""]], colWidths=widths, rowHeights=row_height)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table
