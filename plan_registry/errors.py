"""Error codes of the plan registry, with translated messages."""

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, Unavailable


class FiscalYearClosed(Conflict):
    code = "fiscal_year_closed"
    message = _("This fiscal year is closed: reopen it, with a reason, before recomputing.")


class FiscalYearNotClosed(Conflict):
    code = "fiscal_year_not_closed"
    message = _("This fiscal year is not closed.")


class UnknownIndicator(DomainError):
    code = "unknown_indicator"
    message = _("There is no indicator with this code.")


class UnknownArea(DomainError):
    code = "unknown_area"
    message = _("There is no area with this code.")


class OutsidePlanPeriod(DomainError):
    code = "outside_plan_period"
    message = _("This fiscal year is outside the indicator's plan period.")


class IndicatorFedBySystem(Conflict):
    code = "indicator_fed_by_system"
    message = _("This indicator is counted by the system; its values cannot be entered by hand.")


class ReportFontMissing(Unavailable):
    code = "report_font_missing"
    message = _(
        "The Japanese font for the printable report is missing on the server: the matplotlib-fontja "
        "package is not installed, or CERTIFICATE_FONT_PATH names no file."
    )
