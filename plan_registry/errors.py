"""Error codes of the plan registry, with translated messages."""

from django.utils.translation import gettext_lazy as _

from config.api.errors import Conflict, DomainError


class FiscalYearClosed(Conflict):
    default_code = "fiscal_year_closed"
    default_detail = _("This fiscal year is closed: reopen it, with a reason, before recomputing.")


class FiscalYearNotClosed(Conflict):
    default_code = "fiscal_year_not_closed"
    default_detail = _("This fiscal year is not closed.")


class ReasonRequired(DomainError):
    default_code = "reason_required"
    default_detail = _("A reason is required.")
