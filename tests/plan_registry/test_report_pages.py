"""The progress report on the staff pages (a chart per indicator) and as a printable PDF: the same
figures and words, the year in progress marked 年度途中, a finished plan's final result, every
page of the PDF numbered, dated and signed by its department, and every font in it embedded."""

import base64
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from plan_registry.feeds import registered
from plan_registry.models import Indicator, IndicatorValue, Plan
from plan_registry.report import ISSUING_DEPARTMENT
from tests.factories import PASSWORD, IndicatorFactory, PlanFactory
from tests.pdf_fonts import embedded_families, font_names, not_embedded
from tests.plan_registry.conftest import InFiscalYear
from volunteer.models import User

pytestmark = pytest.mark.django_db
CHART = re.compile(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)"')


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def section(html: str, code: str) -> str:
    """The part of the page about one indicator."""
    start = html.index(f'id="indicator-{code}"')
    end = html.find("</section>", start)
    return html[start:end]


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def lectures(in_fiscal_year: InFiscalYear) -> Indicator:
    """I-3 in FY2026, the year in progress: half a year's count, far below the straight path."""
    in_fiscal_year(2026)
    plan = Plan.objects.filter(code="kumamoto-welfare-5").first() or PlanFactory(code="kumamoto-welfare-5")
    indicator = IndicatorFactory(
        plan=plan,
        code="KPI5-I-3",
        label="I-3",
        name="ふくし出前講座の受講者数",
        source="manual",
        baseline_fiscal_year=2023,
        baseline_value=Decimal(2465),
        target_fiscal_year=2031,
        target_value=Decimal(3000),
    )
    proxy = IndicatorFactory(plan=indicator.plan, code="SYS-15", label="SYS-15", proxy_for=indicator)
    for target, value, source in ((indicator, 130, "manual"), (proxy, 57, "feed")):
        IndicatorValue.objects.create(
            indicator=target,
            fiscal_year=2026,
            value=Decimal(value),
            source=source,
            recorded_at=timezone.now(),
        )
    return indicator


def test_the_report_page_shows_values_provenance_and_a_chart_each(
    planner: User, report_plan: tuple[Indicator, Indicator], in_fiscal_year: InFiscalYear
) -> None:
    in_fiscal_year(2028)
    page = signed_in(planner).get("/staff/plan/report/", {"fiscal_year": 2027})

    html = page.content.decode()
    charts = CHART.findall(html)
    training, loneliness = section(html, "KPI5-I-2"), section(html, "KPI5-IV-3")
    feed_title = next(
        feed.description for feed in registered() if feed.name == "events.training_participants"
    )
    assert page.status_code == 200
    assert len(charts) == 2
    for encoded, alt in charts:
        svg = ET.fromstring(base64.b64decode(encoded))  # noqa: S314 - our own output
        assert svg.get("role") == "img"
        assert alt.endswith("目標値 2031年度 750人") or alt.endswith("目標値 2031年度 15%")
    assert '<td class="value">600人</td>' in training  # counted by a feed: not the official figure
    assert f"システムによる集計（{feed_title}）" in training
    assert "events.training_participants" not in html  # no internal name on the page
    assert '<td class="rate">56.9%</td>' in training  # 198 / 348
    assert '<span class="status ok">計画どおり</span>' in training
    assert '<span class="status late">遅れ</span>' in loneliness  # 18.0 against the path's 17.5
    assert "中央区 200人" in training


def test_the_year_in_progress_is_marked_and_never_called_behind(planner: User, lectures: Indicator) -> None:
    html = signed_in(planner).get("/staff/plan/report/", {"fiscal_year": 2026}).content.decode()

    part = section(html, "KPI5-I-3")
    assert "2026年度は年度の途中です" in html
    assert '<span class="status interim">年度途中</span>' in part
    assert "遅れ" not in part
    assert "2026年度（年度途中）" in part
    assert "SYS-15 " in part  # the app's count beside the official one
    assert "57人（年度途中）" in part
    assert "熊本市社会福祉協議会の記録" in part


def test_a_finished_plan_shows_its_final_result(planner: User, in_fiscal_year: InFiscalYear) -> None:
    in_fiscal_year(2026)
    plan = PlanFactory(
        code="kumamoto-welfare-4", title="第4次計画", start_fiscal_year=2020, end_fiscal_year=2024
    )
    matching = IndicatorFactory(
        plan=plan,
        code="KPI4-02",
        label="②",
        unit="件",
        baseline_fiscal_year=2018,
        baseline_value=Decimal(98),
        target_fiscal_year=2024,
        target_value=Decimal(640),
    )
    for year, value in ((2023, 90), (2025, 4)):
        IndicatorValue.objects.create(
            indicator=matching,
            fiscal_year=year,
            value=Decimal(value),
            source="feed",
            recorded_at=timezone.now(),
        )

    html = signed_in(planner).get("/staff/plan/report/", {"fiscal_year": 2025}).content.decode()

    part = section(html, "KPI4-02")
    assert "計画期間 2020〜2024年度（2024年度で終了・最終結果）" in html
    assert '<span class="status late">未達成</span>' in part
    assert '<th scope="row">最終実績</th>' in part
    assert "2023年度 90件" in part
    assert '<td class="rate">-1.5%</td>' in part  # (90 − 98) / (640 − 98), not FY2025's 4
    assert "遅れ" not in part


def test_residents_do_not_see_the_report(resident: User) -> None:
    assert signed_in(resident).get("/staff/plan/report/").status_code == 403


def test_the_printable_pdf_is_numbered_dated_signed_and_embeds_every_font(
    planner: User, report_plan: tuple[Indicator, Indicator], lectures: Indicator
) -> None:
    response = signed_in(planner).get("/staff/plan/report.pdf", {"fiscal_year": 2026})

    pages = pdf_text(response.content)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"] == 'inline; filename="plan-report-FY2026.pdf"'
    assert len(pages) >= 2  # three indicators, one chart each: more than a page
    for number, text in enumerate(pages, 1):
        assert f"{number} / {len(pages)}" in text
        assert "発行日 2026年10月1日" in text  # the clock's day (in_fiscal_year)
        assert f"発行 {ISSUING_DEPARTMENT}" in text
    everything = "\n".join(pages)
    assert "年度途中" in everything
    assert "遅れ" not in everything  # FY2026 is in progress: nothing in it is judged
    assert "（人）" in everything  # the charts' text is text, in the embedded font
    assert "目標値（2031年度）" in everything
    assert embedded_families(response.content) == {"IPAexGothic"}, font_names(response.content)
    assert not_embedded(response.content) == set()  # no Helvetica, nor any font left out
    assert b"/Subtype /Image" not in response.content  # the charts are drawn, not pictures


def test_the_printable_pdf_has_the_page_s_figures(
    planner: User, report_plan: tuple[Indicator, Indicator], in_fiscal_year: InFiscalYear
) -> None:
    in_fiscal_year(2028)
    text = "\n".join(
        pdf_text(signed_in(planner).get("/staff/plan/report.pdf", {"fiscal_year": 2027}).content)
    )

    assert "令和9年度（2027年度）" in text
    for figure in ("研修の参加人数", "孤独感の程度が高い市民の割合", "600人", "56.9%", "計画どおり", "遅れ"):
        assert figure in text


def test_a_missing_font_is_a_clear_503_not_a_server_error(
    planner: User, report_plan: tuple[Indicator, Indicator], settings: Any
) -> None:
    settings.CERTIFICATE_FONT_PATH = "/nonexistent/ipaexg.ttf"

    response = signed_in(planner).get(
        "/staff/plan/report.pdf", {"fiscal_year": 2027}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    page = signed_in(planner).get("/staff/plan/report/", {"fiscal_year": 2027})

    assert response.status_code == 503
    assert "matplotlib-fontja" in response.content.decode()
    assert "フォント" in response.content.decode()
    assert page.status_code == 200  # the page keeps its tables and says why it has no charts
    assert CHART.findall(page.content.decode()) == []
    assert "グラフを省いています" in page.content.decode()


@pytest.mark.pdf_text
def test_poppler_reads_the_same_pdf_and_finds_every_font_embedded(
    planner: User, report_plan: tuple[Indicator, Indicator], lectures: Indicator, tmp_path: Path
) -> None:
    response = signed_in(planner).get("/staff/plan/report.pdf", {"fiscal_year": 2026})
    (tmp_path / "r.pdf").write_bytes(response.content)

    def run(*command: str) -> str:
        tool = [shutil.which(command[0]) or command[0], *command[1:]]
        return subprocess.run(tool, capture_output=True, text=True, check=True).stdout  # noqa: S603 - our file

    fonts = run("pdffonts", str(tmp_path / "r.pdf")).splitlines()[2:]
    text = run("pdftotext", "-layout", str(tmp_path / "r.pdf"), "-")
    assert fonts
    assert all(" yes yes " in line and "IPAexGothic" in line for line in fonts), fonts  # embedded subsets
    assert "年度途中" in text
    assert ISSUING_DEPARTMENT in text
