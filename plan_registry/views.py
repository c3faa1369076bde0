"""The progress report as a staff page (tables and a chart per indicator) and as a printable PDF;
both say what `report_text` writes, so the page and the paper agree."""

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.views.decorators.http import require_GET

from core.access import role_required
from core.fonts import JapaneseFontMissing, japanese_font_path
from plan_registry import charts, errors, report
from plan_registry.permissions import PlanOfficeOnly
from plan_registry.report_pdf import report_pdf
from plan_registry.report_text import IndicatorText, report_text

FIRST_REPORTED_FISCAL_YEAR = 2020  # the 4th plan's first year: the earliest the report can show


@dataclass(frozen=True)
class Chart:
    src: str  # a data: URL, which the Content-Security-Policy allows for images (img-src data:)
    alt: str


def _fiscal_year(request: HttpRequest) -> int:
    # The report breaks values down by ward, below open data's threshold: the plan office's.
    role_required(request, PlanOfficeOnly)
    asked = request.GET.get("fiscal_year", "")
    return int(asked) if asked.isdigit() and 2000 <= int(asked) <= 2100 else report.current_fiscal_year()


def _font_path() -> Path | None:
    try:
        return japanese_font_path(override=settings.CERTIFICATE_FONT_PATH)
    except JapaneseFontMissing:
        return None


def _chart(indicator: IndicatorText, font_path: Path | None) -> Chart | None:
    if font_path is None or indicator.series.empty:
        return None  # the page still shows every figure; the template says why there is no chart
    svg = charts.indicator_svg(indicator.series, font_path=font_path)
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Chart(src=f"data:image/svg+xml;base64,{encoded}", alt=charts.describe(indicator.series))


@login_required
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    fiscal_year = _fiscal_year(request)
    current = report.current_fiscal_year()
    text = report_text(
        report.report_for(fiscal_year=fiscal_year, current=current), fiscal_year=fiscal_year, current=current
    )
    font_path = _font_path()
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": text.title,
        "report": text,
        "fiscal_year": fiscal_year,
        "years": list(range(current, FIRST_REPORTED_FISCAL_YEAR - 1, -1)),
        "sections": [
            (section, [(item, _chart(item, font_path)) for item in section.indicators])
            for section in text.sections
        ],
        "charts_missing": font_path is None,
    }
    return render(request, "plan_registry/report.html", context)


@login_required
@require_GET
def report_pdf_view(request: HttpRequest) -> HttpResponse:
    fiscal_year = _fiscal_year(request)
    font_path = _font_path()
    if font_path is None:
        missing = errors.ReportFontMissing()
        return HttpResponse(
            f"<p>{escape(missing.message)}</p>", status=503, content_type="text/html; charset=utf-8"
        )
    current = report.current_fiscal_year()
    rows = report.report_for(fiscal_year=fiscal_year, current=current)
    pdf = report_pdf(
        text=report_text(rows, fiscal_year=fiscal_year, current=current),
        font_path=font_path,
        issued_on=report.issued_on(),
        department=report.ISSUING_DEPARTMENT,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-report-FY{fiscal_year}.pdf"'
    return response
