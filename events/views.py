"""Event staff pages: the events an organiser or coordinator runs (with how many registered and
wait), each event's participants with attendance verified one by one or together, the venue's
check-in screen on its own layout (a rotating code, the arrivals so far, entry by hand with a
reason), and the coordinators' 地域デビュー list. The same selectors and services as the API."""

import datetime as dt
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from rest_framework.permissions import BasePermission

from core.access import role_required, staff_page_context
from core.csv_download import csv_response
from core.errors import DomainError
from events import selectors, services
from events.api.filters import EventFilter
from events.api.permissions import IsEventStaff
from events.models import Activity, CheckIn, Participation
from volunteer.api.permissions import IsCoordinator
from volunteer.models import User

PAGE_SIZE = 50
NEWCOMER_MONTHS = (1, 3, 6, 12)
DOOR_REFUSALS = {  # by how many registered people the number or name typed at the door found
    0: "その番号・名前の申込者は見つかりません。参加者一覧で確かめてください。",
    1: "受付か退出かを選んでください。",
    2: "同じ名前の申込者が複数います。参加者一覧の番号で入力してください。",
}


def _staff(request: HttpRequest, permission: type[BasePermission] = IsEventStaff) -> User:
    role_required(request, permission)
    assert isinstance(request.user, User)  # noqa: S101 (the role check admits only a signed-in person)
    return request.user


def _activity(request: HttpRequest, event_id: int) -> tuple[User, Activity]:
    staff = _staff(request)
    activity = selectors.activity_get_for_staff(activity_id=event_id, staff=staff)
    if activity is None:
        raise Http404
    return staff, activity


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    events = selectors.with_staff_counts(selectors.activity_list_for_staff(staff=staff))
    # A value the form cannot read (a typo in the address bar) is left out, not refused.
    events = EventFilter(request.GET, queryset=events).qs.order_by("starts_at", "pk")
    if request.GET.get("format") == "csv":
        return csv_response(
            filename="events.csv",
            header=("開始", "終了", "イベント", "主催", "定員", "申込", "キャンセル待ち", "受付済み"),
            rows=(
                (
                    timezone.localtime(e.starts_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(e.ends_at).strftime("%Y-%m-%d %H:%M"),
                    e.title,
                    e.organisation.name if e.organisation else "",
                    e.capacity,
                    e.registered_count,
                    e.waitlisted_count,
                    e.arrived_count,
                )
                for e in events
            ),
        )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {key: request.GET.get(key, "") for key in ("search", "date_from", "date_to")}
    context = staff_page_context(
        request, "イベントと受付", events=page.object_list, page=page, filters=filters
    )
    return render(request, "events/staff_events.html", context)


@login_required
@require_GET
def participant_list(request: HttpRequest, event_id: int) -> HttpResponse:
    _, activity = _activity(request, event_id)
    participants = selectors.participants_for_staff(activity=activity)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"event-{activity.pk}-participants.csv",
            header=("番号", "氏名", "受付", "退出", "時間（分）", "出席確認"),
            rows=(
                (
                    p.pk,
                    p.person.display_name,
                    _when(p.checked_in_at),
                    _when(p.checked_out_at),
                    p.minutes,
                    _when(p.verified_at),
                )
                for p in participants
            ),
        )
    waiting = activity.participations.filter(status=Participation.Status.WAITLISTED).count()
    context = staff_page_context(
        request,
        f"参加者 {activity.title}",
        activity=activity,
        participants=participants,
        waiting=waiting,
        started=timezone.now() >= activity.starts_at,
    )
    return render(request, "events/staff_participants.html", context)


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@login_required
@require_POST
def participant_verify(request: HttpRequest, event_id: int) -> HttpResponse:
    """Verify the ticked participants, or the one whose own button was pressed: each gets its own
    outcome, so one refusal (not checked in, already verified) does not hold back the rest."""
    staff, activity = _activity(request, event_id)
    chosen = [request.POST["one"]] if request.POST.get("one") else request.POST.getlist("participation")
    ids = [int(value) for value in chosen if value.isdigit()]
    found = selectors.participations_of_activity(activity=activity, participation_ids=ids)
    verified, refused = 0, []
    for participation in found.values():
        try:
            services.participation_verify(participation=participation, staff=staff)
            verified += 1
        except DomainError as error:
            refused.append(f"{participation.person.display_name or participation.pk}: {error.message}")
    if verified:
        messages.success(request, f"{verified}人の出席を確認しました。")
    for line in refused:
        messages.error(request, line)
    if not ids:
        messages.error(request, "出席を確認する参加者を選んでください。")
    return HttpResponseRedirect(reverse("staff-event-participants-page", args=[activity.pk]))


def _checkin_state(activity: Activity, now: dt.datetime) -> str:
    """before / open / after: the same window the check-in services keep (CHECKIN_OPEN_MINUTES)."""
    margin = dt.timedelta(minutes=settings.CHECKIN_OPEN_MINUTES)
    if now < activity.starts_at - margin:
        return "before"
    return "after" if now > activity.ends_at + margin else "open"


def _screen(activity: Activity, staff: User) -> dict[str, Any]:
    """What the venue's screen shows now; the page asks again every few seconds."""
    now = timezone.now()
    margin = dt.timedelta(minutes=settings.CHECKIN_OPEN_MINUTES)
    state = _checkin_state(activity, now)
    token = code = ""
    if state == "open":
        token = services.checkin_venue_token(activity=activity, staff=staff)
        code = segno.make(token, error="m").svg_inline(scale=8, dark="#000", light="#fff", omitsize=True)
    return {
        "state": state,
        "token": token,
        "arrivals": selectors.arrivals_count(activity=activity),
        "capacity": activity.capacity,
        "opens_at": timezone.localtime(activity.starts_at - margin).strftime("%H:%M"),
        "code": code,
        "refresh_seconds": max(5, settings.CHECKIN_CODE_PERIOD // 2),
    }


@login_required
@require_GET
def checkin_screen(request: HttpRequest, event_id: int) -> HttpResponse:
    """The venue's screen, on its own layout: no staff navigation on a device the public sees.
    A script of the site's own refreshes the code and the count without reloading the page."""
    staff, activity = _activity(request, event_id)
    context = {
        "activity": activity,
        "screen": _screen(activity, staff),
        "status_url": reverse("staff-event-checkin-status", args=[activity.pk]),
    }
    return render(request, "events/checkin_screen.html", context)


@login_required
@require_GET
def checkin_status(request: HttpRequest, event_id: int) -> JsonResponse:
    staff, activity = _activity(request, event_id)
    return JsonResponse(_screen(activity, staff), headers={"Cache-Control": "no-store"})


@login_required
@require_POST
def checkin_by_hand(request: HttpRequest, event_id: int) -> HttpResponse:
    """Staff enter a person without a phone, in or out, always with a reason: found by the number
    or the name they give, since the screen at the door lists nobody."""
    staff, activity = _activity(request, event_id)
    found = selectors.participants_found_at_the_door(
        activity=activity, asked=request.POST.get("who", "")[:100]
    )
    direction = request.POST.get("direction", CheckIn.Direction.IN)
    if len(found) != 1 or direction not in CheckIn.Direction.values:
        messages.error(request, DOOR_REFUSALS[min(len(found), 2)])
    else:
        person = found[0]
        try:
            _, created = services.checkin_manual(
                activity=activity,
                person=person,
                staff=staff,
                direction=direction,
                reason=request.POST.get("reason", ""),
            )
            done = "受付" if direction == CheckIn.Direction.IN else "退出"
            note = "しました" if created else "は記録済みです"
            messages.success(request, f"{person.display_name or person.pk}さんの{done}{note}。")
        except DomainError as error:
            messages.error(request, error.message)
    return HttpResponseRedirect(reverse("staff-event-checkin-screen", args=[activity.pk]))


@login_required
@require_GET
def newcomers(request: HttpRequest) -> HttpResponse:
    """地域デビュー: who came for the first time lately, and who has not come back."""
    staff = _staff(request, IsCoordinator)
    asked = request.GET.get("months", "")
    months = int(asked) if asked.isdigit() and int(asked) in NEWCOMER_MONTHS else 3
    only_once = request.GET.get("only_once") == "1"
    since = timezone.now() - dt.timedelta(days=30 * months)
    people = selectors.newcomers_for_staff(staff=staff, since=since, only_once=only_once)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename="newcomers.csv",
            header=("氏名", "校区", "はじめての参加", "最後の参加", "参加回数"),
            rows=(
                (
                    p.display_name,
                    p.school_district.name if p.school_district else "",
                    _when(p.first_attended),
                    _when(p.last_attended),
                    p.times_attended,
                )
                for p in people
            ),
        )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = staff_page_context(
        request,
        "地域デビュー",
        people=page.object_list,
        page=page,
        months=months,
        month_choices=NEWCOMER_MONTHS,
        only_once=only_once,
    )
    return render(request, "events/staff_newcomers.html", context)
