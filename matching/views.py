"""The coordinator's queue as a server-rendered staff page (the same services as the API)."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.access import role_required
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
