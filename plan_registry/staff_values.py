"""The plan office's page: enter a survey-based value (or change one, with a reason), recompute
a fiscal year's feeds, close or reopen a year, and see the latest changes and runs. Every action
goes through the same services as the API, so the same checks and records apply.

A refusal is shown once, beside the field it is about (`ERROR_FIELDS`). Closing a year freezes its
values, so it takes two steps: the first says what closing means and changes nothing; only the
second, which carries `confirmed=yes`, closes (on the server: the page runs no script of its own
for this, and a dialog alone would be skipped by a double submit or a stale tab)."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.access import role_required
from core.errors import DomainError
from plan_registry import errors, feeds, selectors
from plan_registry.fiscal_year import fiscal_year_of
from plan_registry.permissions import PlanOfficeOnly
from plan_registry.selectors import fiscal_year_closed
from plan_registry.services import feeds_run, fiscal_year_close, fiscal_year_reopen, manual_value_record

# The page shows the latest changes, runs and closings; the API lists every one (paged).
RECENT = 20
CONFIRMED = "yes"
# The field each refusal of the services is about; a refusal of none stays above the form.
ERROR_FIELDS = {
    "unknown_indicator": "indicator",
    "indicator_fed_by_system": "indicator",
    "unknown_area": "area",
    "outside_plan_period": "fiscal_year",
    "fiscal_year_closed": "fiscal_year",
    "fiscal_year_not_closed": "fiscal_year",
    "reason_required": "reason",
}


def _years() -> list[tuple[int, str]]:
    current = fiscal_year_of(timezone.now()).year
    return [(year, f"{year}年度") for year in range(current, 2017, -1)]


class ManualValueForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, choices=_years)
    area = forms.ChoiceField(label=_("Area"), required=False)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=3)
    source_document = forms.CharField(label=_("Source document"), max_length=300)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label=_("Reason (to change a value already entered)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entered = selectors.indicator_list_entered_by_hand()
        self.fields["indicator"].choices = [(i.code, f"{i.label} {i.name}（{i.unit}）") for i in entered]  # type: ignore[attr-defined]
        areas = selectors.area_list_below_city()
        self.fields["area"].choices = [("", "市全体")] + [  # type: ignore[attr-defined]
            (a.code, f"{a.get_kind_display()} {a.name}") for a in areas
        ]


class YearForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, choices=_years)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


def _plan_office(request: HttpRequest) -> None:
    role_required(request, PlanOfficeOnly)


@login_required
@require_http_methods(["GET", "POST"])
def values_page(request: HttpRequest) -> HttpResponse:
    _plan_office(request)
    value_form, year_form = ManualValueForm(), YearForm()
    closing: dict[str, Any] | None = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "value":
            value_form = ManualValueForm(request.POST)
            if value_form.is_valid() and _record(request, value_form):
                return HttpResponseRedirect(reverse("plan-values-page"))
        elif action in ("run", "close", "reopen"):
            year_form = YearForm(request.POST)
            closing = _closing_to_confirm(request, action, year_form)
            if closing is None and year_form.is_valid() and _year_action(request, action, year_form):
                return HttpResponseRedirect(reverse("plan-values-page"))
    return render(request, "plan_registry/values.html", _context(request, value_form, year_form, closing))


def _closing_to_confirm(request: HttpRequest, action: str, form: YearForm) -> dict[str, Any] | None:
    """The year and reason of a closing asked for but not yet confirmed: the page then asks."""
    if action != "close" or not form.is_valid() or request.POST.get("confirmed") == CONFIRMED:
        return None
    if fiscal_year_closed(fiscal_year=form.cleaned_data["fiscal_year"]):
        _refused(form, errors.FiscalYearClosed())  # said at once, not after a confirmation
        return None
    return {"fiscal_year": form.cleaned_data["fiscal_year"], "reason": form.cleaned_data["reason"]}


def _record(request: HttpRequest, form: ManualValueForm) -> bool:
    data = form.cleaned_data
    try:
        value = manual_value_record(
            indicator_code=data["indicator"],
            fiscal_year=data["fiscal_year"],
            area_code=data["area"] or None,
            value=cast(Decimal, data["value"]),
            source_document=data["source_document"],
            note=data["note"],
            reason=data["reason"],
            staff=request.user,
        )
    except DomainError as error:
        _refused(form, error)
        return False
    messages.success(
        request,
        _("Recorded: %(indicator)s, %(value)s.") % {"indicator": value.indicator.label, "value": value.value},
    )
    return True


def _year_action(request: HttpRequest, action: str, form: YearForm) -> bool:
    fiscal_year, reason = form.cleaned_data["fiscal_year"], form.cleaned_data["reason"]
    try:
        if action == "run":
            outcomes = feeds_run(fiscal_year=fiscal_year, staff=request.user)
            messages.success(
                request,
                _("Recomputed %(feeds)d feeds for FY%(year)d: %(values)d values written.")
                % {"feeds": len(outcomes), "year": fiscal_year, "values": sum(o.written for o in outcomes)},
            )
        elif action == "close":
            fiscal_year_close(fiscal_year=fiscal_year, staff=request.user, reason=reason)
            messages.success(request, _("FY%(year)d is closed.") % {"year": fiscal_year})
        else:
            fiscal_year_reopen(fiscal_year=fiscal_year, staff=request.user, reason=reason)
            messages.success(request, _("FY%(year)d is reopened.") % {"year": fiscal_year})
    except DomainError as error:
        _refused(form, error)
        return False
    return True


def _refused(form: forms.Form, error: DomainError) -> None:
    field = ERROR_FIELDS.get(error.code)
    form.add_error(field if field in form.fields else None, str(error.message))


def _context(
    request: HttpRequest,
    value_form: ManualValueForm,
    year_form: YearForm,
    closing: dict[str, Any] | None = None,
) -> dict[str, Any]:
    runs = selectors.feed_runs_latest(count=RECENT)
    return {
        **admin.site.each_context(request),
        "title": "指標の値の入力と集計",
        "value_form": value_form,
        "year_form": year_form,
        "years": [(year, label, fiscal_year_closed(fiscal_year=year)) for year, label in _years()[:6]],
        "changes": selectors.value_changes_latest(count=RECENT),
        "runs": [(run, feeds.feed_title(run.feed, run.indicator.code)) for run in runs],
        "closing": closing,
        "confirmed": CONFIRMED,
        "year_events": selectors.fiscal_year_events_latest(count=RECENT),
        "recent": RECENT,
    }
