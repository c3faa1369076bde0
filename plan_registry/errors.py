"""Error codes of the plan registry, with translated messages."""

from django.utils.translation import gettext_lazy as _

from config.api.errors import Conflict, DomainError
from config.api.errors import ReasonRequired as ReasonRequired  # shared; callers raise errors.ReasonRequired


class FiscalYearClosed(Conflict):
    default_code = "fiscal_year_closed"
    default_detail = _("This fiscal year is closed: reopen it, with a reason, before recomputing.")


class FiscalYearNotClosed(Conflict):
    default_code = "fiscal_year_not_closed"
    default_detail = _("This fiscal year is not closed.")


class UnknownIndicator(DomainError):
    default_code = "unknown_indicator"
    default_detail = _("There is no indicator with this code.")


class UnknownArea(DomainError):
    default_code = "unknown_area"
    default_detail = _("There is no area with this code.")


class OutsidePlanPeriod(DomainError):
    default_code = "outside_plan_period"
    default_detail = _("This fiscal year is outside the indicator's plan period.")


class IndicatorFedBySystem(Conflict):
    default_code = "indicator_fed_by_system"
    default_detail = _("This indicator is counted by the system; its values cannot be entered by hand.")
