"""The progress report as a staff page (tables and a chart per indicator) and as a printable PDF."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from core.access import role_required
from core.fonts import JapaneseFontMissing, japanese_font_path
from plan_registry import charts, errors, report
from plan_registry.fiscal_year import FiscalYear, fiscal_year_of
from plan_registry.permissions import PlanOfficeOnly
from plan_registry.report_pdf import report_pdf


def _fiscal_year(request: HttpRequest) -> int:
    # The report breaks values down by ward, below open data's threshold: the plan office's.
    role_required(request, PlanOfficeOnly)
    asked = request.GET.get("fiscal_year", "")
    return (
        int(asked) if asked.isdigit() and 2000 <= int(asked) <= 2100 else fiscal_year_of(timezone.now()).year
    )


def _chart(row: report.ReportRow) -> str:
    i = row.indicator
    series = charts.Series(
        title=f"{i.label} {i.name}",
        unit=i.unit,
        baseline=(i.baseline_fiscal_year, i.baseline_value) if i.baseline_value is not None else None,
        target=(i.target_fiscal_year, i.target_value) if i.target_value is not None else None,
        values=tuple((year, value.value) for year, value in sorted(row.by_year.items())),
    )
    return mark_safe(charts.indicator_svg(series))  # noqa: S308 - built from escaped text (charts.py)


def _percent(row: report.ReportRow) -> str:
    return "—" if row.achievement_rate is None else f"{row.achievement_rate * 100:.1f}%"


@login_required
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    fiscal_year = _fiscal_year(request)
    rows = report.report_for(fiscal_year=fiscal_year)
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": f"成果指標の進捗 {FiscalYear(fiscal_year).label}",
        "fiscal_year": fiscal_year,
        "years": list(range(fiscal_year_of(timezone.now()).year, 2019, -1)),
        "rows": [(row, _chart(row), _percent(row)) for row in rows],
    }
    return render(request, "plan_registry/report.html", context)


@login_required
@require_GET
def report_pdf_view(request: HttpRequest) -> HttpResponse:
    fiscal_year = _fiscal_year(request)
    try:
        font_path = japanese_font_path(override=settings.CERTIFICATE_FONT_PATH)
    except JapaneseFontMissing:
        missing = errors.ReportFontMissing()
        return HttpResponse(
            f"<p>{escape(missing.message)}</p>", status=503, content_type="text/html; charset=utf-8"
        )
    pdf = report_pdf(
        rows=report.report_for(fiscal_year=fiscal_year), fiscal_year=fiscal_year, font_path=font_path
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-report-FY{fiscal_year}.pdf"'
    return response
