"""The coordinator's queue as a server-rendered staff page (the same services as the API): the
count, paging, a text search, each proposal's request and volunteer one click away, a decision
one by one or confirming the ticked ones together, and the filtered list as CSV."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.access import role_required
from core.csv_download import csv_response
from core.errors import DomainError
from core.redirects import next_path_or
from matching import selectors
from matching.api.filters import StaffMatchFilter
from matching.models import Match
from matching.services import decisions
from plan_registry.selectors import area_get_by_code
from volunteer.api.permissions import IsCoordinator
from volunteer.models import User
from volunteer.selectors import category_list, staff_area_list

PAGE_SIZE = 100


def _coordinator(request: HttpRequest) -> User:
    role_required(request, IsCoordinator)
    assert isinstance(request.user, User)  # noqa: S101 (the role check admits only a signed-in person)
    return request.user


@login_required
@require_http_methods(["GET"])
def match_queue(request: HttpRequest) -> HttpResponse:
    staff = _coordinator(request)
    query = request.GET.copy()
    query.setdefault("status", Match.Status.PROPOSED)
    # A value the form cannot read (a typo in the address bar) is left out, not refused.
    matches = StaffMatchFilter(query, queryset=selectors.match_queue_for_staff(staff=staff)).qs
    status, area = query["status"], area_get_by_code(code=query.get("area") or "")
    older = query.get("older_than_hours", "")
    if request.GET.get("format") == "csv":
        return _queue_csv(matches)
    page = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        **admin.site.each_context(request),  # the staff pages' header, navigation and title
        "title": "マッチング確認キュー",
        "matches": page.object_list,
        "page": page,
        "statuses": Match.Status.choices,
        "areas": staff_area_list(user=staff),
        "categories": category_list(),
        "filters": {
            "status": status,
            "area": area.code if area else "",
            "category": request.GET.get("category", ""),
            "older_than_hours": older,
            "search": request.GET.get("search", ""),
        },
        "now": timezone.now(),
    }
    return render(request, "matching/staff_queue.html", context)


@login_required
@require_POST
def match_decide(request: HttpRequest, match_id: int, action: str) -> HttpResponse:
    staff = _coordinator(request)
    match = selectors.match_get_for_staff(match_id=match_id, staff=staff)
    if match is None or action not in ("confirm", "reject"):
        raise Http404
    reason = request.POST.get("reason", "")
    try:
        if action == "confirm":
            decisions.match_confirm(match=match, staff=staff, reason=reason)
            messages.success(request, f"#{match.pk} {match.need.title}: 確定しました")
        else:
            decisions.match_reject(match=match, staff=staff, reason=reason)
            messages.success(request, f"#{match.pk} {match.need.title}: 見送りました")
    except DomainError as error:
        messages.error(request, f"#{match.pk}: {error.message}")
    return HttpResponseRedirect(next_path_or(request, fallback=reverse("staff-match-queue-page")))


@login_required
@require_POST
def match_confirm_selected(request: HttpRequest) -> HttpResponse:
    """Confirm the ticked proposals: each on its own, so one that another coordinator decided a
    moment ago (or the staff member's own case) is reported and the rest still go through."""
    staff = _coordinator(request)
    ids = [int(value) for value in request.POST.getlist("match") if value.isdigit()]
    confirmed = 0
    for match_id in ids:
        match = selectors.match_get_for_staff(match_id=match_id, staff=staff)
        if match is None:
            messages.error(request, f"#{match_id}: 見つかりません（担当地域の外か、取り消されました）")
            continue
        try:
            decisions.match_confirm(match=match, staff=staff, reason="")
            confirmed += 1
        except DomainError as error:
            messages.error(request, f"#{match.pk}: {error.message}")
    if confirmed:
        messages.success(request, f"{confirmed}件の提案を確定しました。")
    if not ids:
        messages.error(request, "確定する提案を選んでください。")
    return HttpResponseRedirect(next_path_or(request, fallback=reverse("staff-match-queue-page")))


def _queue_csv(matches: QuerySet[Match]) -> HttpResponse:
    return csv_response(
        filename="match-queue.csv",
        header=("番号", "依頼", "分野", "校区", "ボランティア", "理由", "提案日時", "状態"),
        rows=(
            (
                match.pk,
                match.need.title,
                match.need.category.name,
                match.need.school_district.name,
                match.volunteer.display_name,
                match.reason,
                timezone.localtime(match.proposed_at).strftime("%Y-%m-%d %H:%M"),
                match.get_status_display(),
            )
            for match in matches
        ),
    )
