"""The volunteer centre's point pages: redemptions to approve or void and conversions to the care
scheme to approve or reject, each with a CSV of what the filter shows. The same selectors, filters
and services as the staff API, so a page and an endpoint never disagree on scope or rules."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import django_filters
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from core.access import role_required
from core.csv_download import csv_response
from core.errors import DomainError
from core.redirects import next_path_or
from plan_registry.fiscal_year import FiscalYear
from points import selectors, services
from points.api.filters import StaffConversionFilter, StaffRedemptionFilter
from points.models import ConversionRequest, Redemption
from volunteer.api.permissions import IsCoordinator
from volunteer.models import User

PAGE_SIZE = 50

# The staff site's words for each state (the models' labels are the API's, shared with residents).
REDEMPTION_STATUSES: dict[str, str] = {
    Redemption.Status.HELD: "承認待ち",
    Redemption.Status.APPROVED: "承認済み",
    Redemption.Status.VOIDED: "取消済み",
}
CONVERSION_STATUSES: dict[str, str] = {
    ConversionRequest.Status.REQUESTED: "承認待ち",
    ConversionRequest.Status.APPROVED: "承認済み",
    ConversionRequest.Status.REJECTED: "却下",
}
REDEMPTION_ORDERINGS = {"-created_at": "新しい順", "created_at": "古い順", "-amount": "ポイントの多い順",
                        "amount": "ポイントの少ない順"}  # fmt: skip
CONVERSION_ORDERINGS = {"-created_at": "新しい順", "created_at": "古い順", "-yen": "金額の多い順",
                        "yen": "金額の少ない順"}  # fmt: skip
NOT_VERIFIED = "本人確認なし"
# The columns the page shows, and no more of the person: no e-mail, address or birth date.
PERSON_COLUMNS = ("番号", "申請日時", "利用者番号", "利用者", "校区", "本人確認済みの氏名")
REDEMPTION_CSV_HEADER = (*PERSON_COLUMNS, "特典", "制度", "ポイント", "状態", "決定日時", "理由")
CONVERSION_CSV_HEADER = (
    *PERSON_COLUMNS,
    "年度",
    "制度",
    "スタンプ",
    "金額（円）",
    "状態",
    "決定日時",
    "理由",
)


def _coordinator(request: HttpRequest) -> User:
    role_required(request, IsCoordinator)
    assert isinstance(request.user, User)  # noqa: S101 (the role check admits only a signed-in person)
    return request.user


def _filtered(
    request: HttpRequest,
    filterset_class: type[django_filters.FilterSet],
    queryset: QuerySet[Any],
    default_status: str,
) -> tuple[QuerySet[Any], dict[str, str]]:
    """The rows the filter shows (awaiting a decision unless another status is asked for, "" for
    all) and the filter's values as the form and the links carry them on. A value the form cannot
    read (a typo in the address bar) is left out, not refused, as on the match queue."""
    query = request.GET.copy()
    query.setdefault("status", default_status)
    filterset = filterset_class(query, queryset=queryset)
    rows = filterset.qs
    values = {
        name: "" if name in filterset.form.errors else query.get(name, "") for name in filterset.filters
    }
    return rows, values


@dataclass(frozen=True)
class Row:
    """A redemption or conversion as a row of the page: with the name to hand over to (or pay)."""

    item: Any
    verified_name: str
    verified: bool
    status_label: str
    fiscal_year_label: str = ""  # a conversion's: 令和7年度（2025年度）


def _verified_name(person_id: int, recorded: str, verified: dict[int, str]) -> str:
    """The name the request was made under (a reward's recipient, fixed when it was held), else the
    person's verified identity now; "本人確認なし" when there is neither."""
    return recorded or verified.get(person_id) or NOT_VERIFIED


def _rows(
    items: Iterable[Redemption | ConversionRequest], statuses: dict[str, str], person_ids: Iterable[int]
) -> list[Row]:
    verified = selectors.verified_names_of_people(person_ids=person_ids)
    rows = []
    for item in items:
        if isinstance(item, Redemption):
            name, year = _verified_name(item.person_id, item.recipient_name, verified), ""
        else:
            name, year = _verified_name(item.person_id, "", verified), FiscalYear(item.fiscal_year).label
        rows.append(Row(item, name, name != NOT_VERIFIED, statuses[item.status], year))
    return rows


def _list_context(
    request: HttpRequest, title: str, rows: QuerySet[Any], filters: dict[str, str], statuses: dict[str, str]
) -> dict[str, Any]:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        **admin.site.each_context(request),  # the staff pages' header, navigation and title
        "title": title,
        "page": page,
        "rows": _rows(page.object_list, statuses, [item.person_id for item in page.object_list]),
        "statuses": statuses,
        "filters": filters,
        "filter_query": urlencode(filters),
        "not_verified": NOT_VERIFIED,
    }


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _person_cells(item: Redemption | ConversionRequest, row: Row) -> list[object]:
    """The request and its person as the page shows them: no e-mail, no address, no birth date."""
    district = item.person.school_district
    name = item.person.display_name or f"#{item.person_id}"
    return [item.pk, _when(item.created_at), item.person_id, name, district.name if district else "",
            row.verified_name]  # fmt: skip


def _decided(request: HttpRequest, fallback: str) -> HttpResponse:
    return HttpResponseRedirect(next_path_or(request, fallback=reverse(fallback)))


# --- ポイント交換 (redemptions) ------------------------------------------------------------------


def _redemptions(request: HttpRequest, staff: User) -> tuple[QuerySet[Redemption], dict[str, str]]:
    rows = selectors.redemptions_for_staff(staff=staff).select_related("person__school_district")
    return _filtered(request, StaffRedemptionFilter, rows, Redemption.Status.HELD)


@login_required
@require_GET
def redemption_list(request: HttpRequest) -> HttpResponse:
    rows, filters = _redemptions(request, _coordinator(request))
    context = _list_context(request, "ポイント交換の承認", rows, filters, REDEMPTION_STATUSES)
    context["orderings"] = REDEMPTION_ORDERINGS
    return render(request, "points/staff_redemptions.html", context)


@login_required
@require_GET
def redemption_csv(request: HttpRequest) -> HttpResponse:
    rows, _ = _redemptions(request, _coordinator(request))
    return csv_response(
        filename=f"redemptions-{timezone.localdate():%Y%m%d}.csv",
        header=REDEMPTION_CSV_HEADER,
        rows=_redemption_csv_rows(rows),
    )


def _redemption_csv_rows(redemptions: QuerySet[Redemption]) -> Iterable[list[object]]:
    for row in _rows(redemptions, REDEMPTION_STATUSES, redemptions.values_list("person_id", flat=True)):
        redemption = row.item
        yield [
            *_person_cells(redemption, row),
            redemption.reward.name,
            redemption.reward.scheme.name,
            redemption.amount,
            row.status_label,
            _when(redemption.decided_at),
            redemption.reason,
        ]


@login_required
@require_POST
def redemption_decide(request: HttpRequest, redemption_id: int, action: str) -> HttpResponse:
    staff = _coordinator(request)
    redemption = selectors.redemption_get_for_staff(redemption_id=redemption_id, staff=staff)
    if redemption is None or action not in ("approve", "void"):
        raise Http404
    label = f"#{redemption.pk} {redemption.reward.name}"
    try:
        if action == "approve":
            services.redemption_approve(redemption=redemption, staff=staff)
            messages.success(request, f"{label}: 承認しました")
        else:
            services.redemption_void(
                redemption=redemption, staff=staff, reason=request.POST.get("reason", "")
            )
            messages.success(request, f"{label}: 取り消しました（ポイントは本人に戻りました）")
    except DomainError as error:
        messages.error(request, f"#{redemption.pk}: {error.message}")
    return _decided(request, "staff-redemptions-page")


# --- 介護支援ポイントへの移行 (conversions) ------------------------------------------------------


def _conversions(request: HttpRequest, staff: User) -> tuple[QuerySet[ConversionRequest], dict[str, str]]:
    rows = selectors.conversions_for_staff(staff=staff).select_related("person__school_district")
    return _filtered(request, StaffConversionFilter, rows, ConversionRequest.Status.REQUESTED)


@login_required
@require_GET
def conversion_list(request: HttpRequest) -> HttpResponse:
    rows, filters = _conversions(request, _coordinator(request))
    context = _list_context(request, "介護支援ポイントへの移行", rows, filters, CONVERSION_STATUSES)
    context["orderings"] = CONVERSION_ORDERINGS
    return render(request, "points/staff_conversions.html", context)


@login_required
@require_GET
def conversion_csv(request: HttpRequest) -> HttpResponse:
    rows, _ = _conversions(request, _coordinator(request))
    return csv_response(
        filename=f"conversions-{timezone.localdate():%Y%m%d}.csv",
        header=CONVERSION_CSV_HEADER,
        rows=_conversion_csv_rows(rows),
    )


def _conversion_csv_rows(conversions: QuerySet[ConversionRequest]) -> Iterable[list[object]]:
    for row in _rows(conversions, CONVERSION_STATUSES, conversions.values_list("person_id", flat=True)):
        conversion = row.item
        yield [
            *_person_cells(conversion, row),
            row.fiscal_year_label,
            conversion.scheme.name,
            conversion.stamps,
            conversion.yen,
            row.status_label,
            _when(conversion.decided_at),
            conversion.reason,
        ]


@login_required
@require_POST
def conversion_decide(request: HttpRequest, conversion_id: int, action: str) -> HttpResponse:
    staff = _coordinator(request)
    conversion = selectors.conversion_get_for_staff(conversion_id=conversion_id, staff=staff)
    if conversion is None or action not in ("approve", "reject"):
        raise Http404
    approve = action == "approve"
    try:
        services.conversion_decide(
            request=conversion, staff=staff, approve=approve, reason=request.POST.get("reason", "")
        )
        done = "承認しました" if approve else "却下しました（スタンプは本人に戻りました）"
        messages.success(request, f"#{conversion.pk} {FiscalYear(conversion.fiscal_year).label}: {done}")
    except DomainError as error:
        messages.error(request, f"#{conversion.pk}: {error.message}")
    return _decided(request, "staff-conversions-page")
