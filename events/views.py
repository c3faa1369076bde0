"""Organiser staff pages: the events they run, and the venue's rotating check-in code, shown
on a screen or tablet at the door (the same services as the API)."""

from typing import Any

import segno
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from events import selectors, services
from volunteer.models import User

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> User:
    """The same rule as the API's (events.api.permissions): 403 for anyone who acts for no
    approved organisation and holds no volunteer-centre role."""
    user = request.user
    if not isinstance(user, User) or not selectors.acts_for_events(user=user):
        raise PermissionDenied
    return user


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    now = timezone.now()
    events = selectors.activity_list_for_staff(staff=staff).filter(ends_at__gte=now).order_by("starts_at")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": "本日以降のイベント",
        "events": page.object_list,
        "page": page,
    }
    return render(request, "events/staff_events.html", context)


@login_required
@require_GET
def checkin_screen(request: HttpRequest, event_id: int) -> HttpResponse:
    """The code for the venue: the page reloads itself before the code's window ends."""
    staff = _staff(request)
    activity = selectors.activity_get_for_staff(activity_id=event_id, staff=staff)
    if activity is None:
        raise Http404
    token = services.checkin_venue_token(activity=activity, staff=staff)
    qr = segno.make(token, error="m")
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": f"受付 {activity.title}",
        "activity": activity,
        "token": token,
        "qr_svg": qr.svg_inline(scale=8, dark="#000", light="#fff"),
        "refresh_seconds": max(5, settings.CHECKIN_CODE_PERIOD // 2),
    }
    return render(request, "events/checkin_screen.html", context)
