"""The progress report on the staff pages (a chart per indicator) and as a printable PDF."""

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from plan_registry.models import Indicator
from tests.factories import PASSWORD
from tests.pdf_fonts import embedded_families, font_names, not_embedded
from volunteer.models import User

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_the_report_page_shows_values_provenance_and_a_chart_each(
    planner: User,
    report_plan: tuple[Indicator, Indicator],
) -> None:
    page = signed_in(planner).get("/staff/plan/report/", {"fiscal_year": 2027})

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 2
    assert "600人（システムで集計: events.training_participants" in html
    assert '<td class="rate">56.9%' in html
    assert "計画どおり" in html  # training on track
    assert "遅れ" in html  # loneliness behind
    assert "中央区 200" in html


def test_residents_do_not_see_the_report(resident: User) -> None:
    assert signed_in(resident).get("/staff/plan/report/").status_code == 403


def test_the_printable_pdf_embeds_the_packaged_japanese_font(
    planner: User,
    report_plan: tuple[Indicator, Indicator],
) -> None:
    response = signed_in(planner).get("/staff/plan/report.pdf", {"fiscal_year": 2027})

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"] == 'inline; filename="plan-report-FY2027.pdf"'
    assert embedded_families(response.content) == {"IPAexGothic"}, font_names(response.content)
    # reportlab's chart renderer starts from Helvetica and names it; every text sets IPAexGothic.
    assert not_embedded(response.content) <= {"Helvetica"}


def test_a_missing_font_is_a_clear_503_not_a_server_error(
    planner: User, report_plan: tuple[Indicator, Indicator], settings: Any
) -> None:
    settings.CERTIFICATE_FONT_PATH = "/nonexistent/ipaexg.ttf"

    response = signed_in(planner).get(
        "/staff/plan/report.pdf", {"fiscal_year": 2027}, HTTP_ACCEPT_LANGUAGE="ja"
    )

    assert response.status_code == 503
    assert "matplotlib-fontja" in response.content.decode()
    assert "フォント" in response.content.decode()


@pytest.mark.pdf_text
def test_the_printable_pdf_has_the_same_figures(
    planner: User,
    report_plan: tuple[Indicator, Indicator],
    tmp_path: Path,
) -> None:
    response = signed_in(planner).get("/staff/plan/report.pdf", {"fiscal_year": 2027})
    (tmp_path / "r.pdf").write_bytes(response.content)
    command = [shutil.which("pdftotext") or "pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603 - our file

    assert response["Content-Type"] == "application/pdf"
    assert "令和9年度（2027年度）" in text
    assert "研修の参加人数" in text
    assert "孤独感の程度が高い市民の割合" in text
    assert "本年度: 600" in text
    assert "達成率 56.9%" in text
