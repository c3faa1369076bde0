"""The disaster volunteer centre's staff pages: the headquarters opens a centre; centre staff set
each day's quota and see the call-ups and replies, receive volunteers at the door (a hand-held
scanner types the app code into the page; insurance taken out at the desk is recorded there and
then), take needs by phone and triage them, form and dispatch the day's teams, print their work
orders and record the leaders' reports. The same permissions, selectors, services and input
rules (the API's serializers) as the API, so a page cannot allow what the API refuses."""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from rest_framework import serializers

from core.access import admits, staff_page_context
from core.errors import DomainError
from disaster import errors, selectors, services
from disaster.api import serializers as s
from disaster.api.permissions import IsCentreStaff, IsDisasterOffice
from disaster.models import (
    CentreReception,
    CompletionReport,
    Disaster,
    DisasterNeed,
    Team,
    VolunteerCentre,
    WorkType,
)
from disaster.views import staff_member
from plan_registry.models import Area
from volunteer.models import QualificationType, User

DAYS_SHOWN = 7  # the day page's choice of days: today and the week ahead (call-ups go two days ahead)
URGENCIES = ((1, "1（最優先）"), (2, "2"), (3, "3"))
FIELD_LABELS = {
    "name": "センターの名称",
    "school_district": "校区",
    "address": "住所",
    "daily_quota": "1日の受け入れ人数",
    "quota": "受け入れ人数",
    "work_type": "作業の種類",
    "helpers_needed": "必要な人数",
    "licences": "必要な資格",
    "note": "メモ",
    "contact_name": "連絡先の氏名",
    "contact_phone": "連絡先の電話番号",
    "accept": "判断",
    "urgency": "緊急度",
    "reason": "理由",
    "outcome": "結果",
    "helpers_still_needed": "まだ必要な人数",
}


def _centre(request: HttpRequest, centre_id: int) -> tuple[User, VolunteerCentre]:
    staff = staff_member(request, IsCentreStaff)
    centre = selectors.centre_get_for_staff(centre_id=centre_id, staff=staff)
    if centre is None:
        raise Http404
    return staff, centre


def _checked(request: HttpRequest, serializer: type[serializers.Serializer[Any]], data: Any) -> Any | None:
    """The form's values by the API's rules, or None after a message per field to correct. A
    field left empty is a field not sent: its default, or "required"."""
    checking = serializer(data={name: value for name, value in data.items() if value not in ("", [])})
    if checking.is_valid():
        return checking.validated_data
    for field, problems in checking.errors.items():
        label = FIELD_LABELS.get(field, field)
        for problem in problems if isinstance(problems, list) else [problems]:
            messages.error(request, f"{label}: {problem}")
    return None


def _form(request: HttpRequest, *fields: str, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """The POSTed fields, stripped; `lists` are the multi-valued ones (check boxes)."""
    data: dict[str, Any] = {name: request.POST.get(name, "").strip() for name in fields}
    data |= {name: request.POST.getlist(name) for name in lists}
    return data


def _refused(request: HttpRequest, error: DomainError, back: str) -> HttpResponse:
    messages.error(request, error.message)
    return HttpResponseRedirect(back)


# --- the centres (centre staff; the headquarters opens them) -----------------------------------


def _opening_choices(staff: User) -> tuple[list[Disaster], list[Area]]:
    """The active disasters and the school districts (of their wards, in the staff's areas) a
    headquarters may open a centre in."""
    disasters = list(selectors.disasters_active().prefetch_related("wards"))
    ward_ids = {ward.pk for disaster in disasters for ward in disaster.wards.all()}
    areas = selectors.areas_of_role(staff=staff, roles=selectors.CENTRE_ROLES)
    return disasters, list(selectors.districts_of_wards(ward_ids=ward_ids).filter(pk__in=areas))


@login_required
@require_GET
def centre_list(request: HttpRequest) -> HttpResponse:
    staff = staff_member(request, IsCentreStaff)
    today = timezone.localdate()
    open_ids = set(selectors.centres_open().values_list("pk", flat=True))
    centres = [
        {
            "centre": centre,
            "open": centre.pk in open_ids,
            "today": selectors.centre_day_summary(centre=centre, day=today),
        }
        for centre in selectors.centres_for_staff(staff=staff)
    ]
    may_open = admits(request, IsDisasterOffice)
    disasters, districts = _opening_choices(staff) if may_open else ([], [])
    context = staff_page_context(
        request,
        "災害ボランティアセンター",
        centres=centres,
        may_open=may_open,
        disasters=disasters,
        districts=districts,
    )
    return render(request, "disaster/staff_centres.html", context)


@login_required
@require_POST
def centre_open(request: HttpRequest) -> HttpResponse:
    staff = staff_member(request, IsDisasterOffice)
    back = reverse("staff-centre-list-page")
    data = _checked(
        request, s.CentreInputSerializer, _form(request, "name", "school_district", "address", "daily_quota")
    )
    disaster_id = request.POST.get("disaster", "")
    disaster = Disaster.objects.filter(pk=disaster_id).first() if disaster_id.isdigit() else None
    district = (
        Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT, code=data["school_district"]).first()
        if data
        else None
    )
    if data is None:
        return HttpResponseRedirect(back)
    if disaster is None or district is None:
        messages.error(request, "災害と校区を選んでください。")
        return HttpResponseRedirect(back)
    try:
        centre = services.centre_open(
            disaster=disaster,
            staff=staff,
            name=data["name"],
            school_district_id=district.pk,
            address=data["address"],
            daily_quota=data["daily_quota"],
        )
    except DomainError as error:
        return _refused(request, error, back)
    messages.success(request, f"「{centre.name}」を開設しました（1日{centre.daily_quota}人）。")
    return HttpResponseRedirect(back)


# --- a day: its quota, the call-ups and replies ---------------------------------------------


def _chosen_day(request: HttpRequest, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("day", "")[:10])
    except ValueError:
        return today
    return (
        day
        if today - dt.timedelta(days=DAYS_SHOWN) <= day <= today + dt.timedelta(days=DAYS_SHOWN)
        else today
    )


@login_required
@require_GET
def centre_day(request: HttpRequest, centre_id: int) -> HttpResponse:
    _, centre = _centre(request, centre_id)
    today = timezone.localdate()
    day = _chosen_day(request, today)
    summary = selectors.centre_day_summary(centre=centre, day=day)
    call_ups = list(selectors.call_ups_of_day(centre=centre, day=day))
    context = staff_page_context(
        request,
        f"受け入れ人数と呼び出し {centre.name}",
        centre=centre,
        day=day,
        today=today,
        days=[today + dt.timedelta(days=n) for n in range(DAYS_SHOWN + 1)],
        summary=summary,
        call_ups=call_ups,
        call_up_days_ahead=settings.CENTRE_CALL_UP_DAYS_AHEAD,
    )
    return render(request, "disaster/staff_centre_day.html", context)


@login_required
@require_POST
def centre_quota(request: HttpRequest, centre_id: int) -> HttpResponse:
    """Sets a day's quota (rain, a holiday); for a day to come the call-ups follow at once."""
    staff, centre = _centre(request, centre_id)
    today = timezone.localdate()
    try:
        day: dt.date | None = dt.date.fromisoformat(request.POST.get("day", "")[:10])
    except ValueError:
        day = None
    if day is None or day < today:
        messages.error(request, "今日以降の日を選んでください。")
        return HttpResponseRedirect(reverse("staff-centre-day-page", args=[centre.pk]))
    back = f"{reverse('staff-centre-day-page', args=[centre.pk])}?day={day.isoformat()}"
    data = _checked(request, s.QuotaInputSerializer, _form(request, "quota"))
    if data is None:
        return HttpResponseRedirect(back)
    try:
        services.centre_day_quota_set(centre=centre, day=day, quota=data["quota"], staff=staff)
        called = services.centre_call_up(centre=centre, day=day) if day > today else []
    except DomainError as error:
        return _refused(request, error, back)
    follow = f" 新たに{len(called)}人を呼び出しました。" if called else ""
    messages.success(request, f"{day:%m/%d} の受け入れ人数を{data['quota']}人にしました。{follow}")
    return HttpResponseRedirect(back)


# --- the door: reception by the app code, insurance taken out at the desk ---------------------


def _door(
    request: HttpRequest, centre: VolunteerCentre, pending: dict[str, Any] | None = None
) -> HttpResponse:
    today = timezone.localdate()
    context = staff_page_context(
        request,
        f"受付 {centre.name}",
        centre=centre,
        reception_id=str(uuid.uuid4()),
        summary=selectors.centre_day_summary(centre=centre, day=today),
        receptions=list(selectors.receptions_of_day(centre=centre, day=today)),
        special_measure=centre.disaster.insurance_special_measure,
        pending=pending,
        code_max=CODE_MAX,
    )
    return render(request, "disaster/staff_centre_door.html", context)


CODE_MAX = 512  # far above any code the app shows; a longer one is not one


def _scan(request: HttpRequest) -> services.VolunteerScan:
    """The door form's scan: the code as the scanner typed it, the reception id made when the
    form was shown (a form sent twice is one reception), the time carried by an insurance form
    from the first scan (the service's scan-time rule bounds it), else now."""
    try:
        reception_id = uuid.UUID(request.POST.get("reception_id", "")[:40])
    except ValueError:
        reception_id = uuid.uuid4()
    try:
        scanned_at = dt.datetime.fromisoformat(request.POST.get("scanned_at", "")[:40])
    except ValueError:
        scanned_at = timezone.now()
    if timezone.is_naive(scanned_at):
        scanned_at = timezone.now()
    code = "".join(request.POST.get("code", "")[: CODE_MAX + 1].split())
    return services.VolunteerScan(reception_id=reception_id, scanned_at=scanned_at, code=code)


def _received(request: HttpRequest, reception: CentreReception, created: bool) -> None:
    name = reception.person.display_name or f"#{reception.person_id}"
    if created:
        expires = reception.insurance.expires_on if reception.insurance else None
        insured = f"（保険 {expires:%Y-%m-%d}まで）" if expires else ""
        messages.success(request, f"{name} さんを受付しました{insured}。")
        for licence in selectors.licences_to_check(reception=reception):
            messages.warning(
                request, f"{name} さんの「{licence}」は自己申告です。修了証・免許証を確認してください。"
            )
    else:
        messages.info(request, f"{name} さんの受付は記録済みです（同じ読み取りがもう一度送られました）。")


@login_required
@require_GET
def centre_door(request: HttpRequest, centre_id: int) -> HttpResponse:
    _, centre = _centre(request, centre_id)
    return _door(request, centre)


@login_required
@require_POST
def centre_receive(request: HttpRequest, centre_id: int) -> HttpResponse:
    """One scan at the door. Without insurance in force the page asks whether the volunteer took
    it out at the desk, carrying the scan on to the insurance form."""
    staff, centre = _centre(request, centre_id)
    back = reverse("staff-centre-door-page", args=[centre.pk])
    scan = _scan(request)
    if not scan.code or len(scan.code) > CODE_MAX:
        return _refused(request, errors.VolunteerCodeInvalid(), back)
    try:
        reception, created = services.centre_receive(centre=centre, staff=staff, scan=scan)
    except errors.InsuranceNotInForce as uninsured:
        person = services.person_from_code(code=scan.code, scanned_at=scan.scanned_at)
        messages.error(request, uninsured.message)
        pending = {
            "name": person.display_name or f"#{person.pk}",
            "code": scan.code,
            "scanned_at": scan.scanned_at.isoformat(),
            "reception_id": str(scan.reception_id),
        }
        return _door(request, centre, pending)
    except DomainError as error:
        return _refused(request, error, back)
    _received(request, reception, created)
    return HttpResponseRedirect(back)


@login_required
@require_POST
def centre_insurance(request: HttpRequest, centre_id: int) -> HttpResponse:
    """Insurance the volunteer took out at the desk; where it is in force today (the 大規模災害特例)
    the scan that was refused is received with its own reception id."""
    staff, centre = _centre(request, centre_id)
    back = reverse("staff-centre-door-page", args=[centre.pk])
    scan = _scan(request)
    try:
        person = services.person_from_code(code=scan.code[:CODE_MAX], scanned_at=scan.scanned_at)
        insurance = services.insurance_record_on_the_spot(centre=centre, staff=staff, person=person)
        in_force = services.insurance_in_force(
            person=person, day=timezone.localdate(), special_measure=centre.disaster.insurance_special_measure
        )
        if in_force is None:
            messages.warning(
                request,
                f"{person.display_name} さんの保険加入を記録しました（{insurance.obtained_on:%m/%d}加入）。"
                "保険は翌日から有効のため、本日は活動に参加できません。",
            )
            return HttpResponseRedirect(back)
        reception, created = services.centre_receive(centre=centre, staff=staff, scan=scan)
    except DomainError as error:
        return _refused(request, error, back)
    messages.success(
        request, f"{person.display_name} さんの保険加入を記録しました（大規模災害特例で本日から有効）。"
    )
    _received(request, reception, created)
    return HttpResponseRedirect(back)


# --- needs: phone calls entered, triage ---------------------------------------------------------


NEED_FIELDS = (
    "work_type",
    "school_district",
    "address",
    "helpers_needed",
    "note",
    "contact_name",
    "contact_phone",
)


def _blank_need() -> dict[str, Any]:
    return dict.fromkeys(NEED_FIELDS, "") | {"helpers_needed": "1", "licences": [], "needs_vehicle": False}


def _needs_page(request: HttpRequest, centre: VolunteerCentre, entry: dict[str, Any]) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in DisasterNeed.Status.values else ""
    needs = selectors.disaster_needs_of_centre(centre=centre, status=status or None).select_related(
        "triaged_by"
    )
    districts = selectors.districts_of_wards(ward_ids=[ward.pk for ward in centre.disaster.wards.all()])
    context = staff_page_context(
        request,
        f"依頼の受付と判断 {centre.name}",
        centre=centre,
        needs=list(needs),
        status=status,
        statuses=DisasterNeed.Status.choices,
        entry=entry,
        work_types=WorkType.choices,
        districts=districts,
        licences=QualificationType.objects.filter(kind=QualificationType.Kind.LICENCE).order_by("code"),
        urgencies=URGENCIES,
    )
    return render(request, "disaster/staff_centre_needs.html", context)


@login_required
@require_GET
def centre_needs(request: HttpRequest, centre_id: int) -> HttpResponse:
    _, centre = _centre(request, centre_id)
    return _needs_page(request, centre, _blank_need())


@login_required
@require_POST
def centre_need_phone(request: HttpRequest, centre_id: int) -> HttpResponse:
    """A phone call entered for someone: the caller's name and a number to call back. A form with
    mistakes is shown again as typed, so nothing said on the phone is lost."""
    staff, centre = _centre(request, centre_id)
    entry = _form(request, *NEED_FIELDS, lists=("licences",))
    entry["needs_vehicle"] = request.POST.get("needs_vehicle") == "on"
    data = _checked(request, s.PhoneNeedInputSerializer, entry)
    if data is None:
        return _needs_page(request, centre, entry)
    try:
        need = services.need_post(centre=centre, need=s.need_input(data), entered_by=staff)
    except DomainError as error:
        messages.error(request, error.message)
        return _needs_page(request, centre, entry)
    messages.success(
        request, f"依頼 #{need.pk}（{need.get_work_type_display()}）を受け付けました。判断をしてください。"
    )
    return HttpResponseRedirect(f"{reverse('staff-centre-needs-page', args=[centre.pk])}?status=new")


@login_required
@require_POST
def need_triage(request: HttpRequest, need_id: int) -> HttpResponse:
    staff = staff_member(request, IsCentreStaff)
    need = selectors.disaster_need_get_for_staff(need_id=need_id, staff=staff)
    if need is None:
        raise Http404
    back = reverse("staff-centre-needs-page", args=[need.centre_id])
    status = request.POST.get("back_status", "")
    if status in DisasterNeed.Status.values:
        back = f"{back}?status={status}"
    data = _checked(request, s.TriageInputSerializer, _form(request, "accept", "urgency", "reason"))
    if data is None:
        return HttpResponseRedirect(back)
    try:
        triaged = services.need_triage(
            need=need, staff=staff, accept=data["accept"], urgency=data["urgency"], reason=data["reason"]
        )
    except DomainError as error:
        return _refused(request, error, back)
    messages.success(
        request, f"依頼 #{triaged.pk}: {triaged.get_status_display()}（緊急度 {triaged.urgency}）"
    )
    return HttpResponseRedirect(back)


# --- teams: formed and dispatched, work orders, reports ----------------------------------------


@login_required
@require_GET
def centre_teams(request: HttpRequest, centre_id: int) -> HttpResponse:
    _, centre = _centre(request, centre_id)
    today = timezone.localdate()
    teams = list(
        selectors.teams_of_day(centre=centre, day=today).select_related(
            "need__school_district", "leader", "sub_leader", "report"
        )
    )
    free = list(selectors.receptions_of_day(centre=centre, day=today).filter(team_member__isnull=True))
    earlier = selectors.teams_awaiting_report(centre=centre, before=today)
    context = staff_page_context(
        request,
        f"班の編成と派遣 {centre.name}",
        centre=centre,
        today=today,
        is_open=selectors.centres_open().filter(pk=centre.pk).exists(),
        teams=[{"team": team, "members": _members(team)} for team in teams],
        earlier=[{"team": team, "members": _members(team)} for team in earlier],
        free=free,
        accepted=DisasterNeed.objects.filter(centre=centre, status=DisasterNeed.Status.ACCEPTED).count(),
        team_size=settings.TEAM_SIZE,
        outcomes=CompletionReport.Outcome.choices,
    )
    return render(request, "disaster/staff_centre_teams.html", context)


def _members(team: Team) -> list[dict[str, str]]:
    roles = {team.leader_id: "リーダー", team.sub_leader_id: "サブリーダー"}
    people = [member.reception.person for member in team.members.all()]
    return sorted(
        ({"name": p.display_name or f"#{p.pk}", "role": roles.get(p.pk, "")} for p in people),
        key=lambda m: ({"リーダー": 0, "サブリーダー": 1}.get(m["role"], 2), m["name"]),
    )


@login_required
@require_POST
def centre_teams_form(request: HttpRequest, centre_id: int) -> HttpResponse:
    staff, centre = _centre(request, centre_id)
    back = reverse("staff-centre-teams-page", args=[centre.pk])
    try:
        formed = services.teams_form(centre=centre, staff=staff)
    except DomainError as error:
        return _refused(request, error, back)
    people = sum(team.members.count() for team in formed)
    messages.success(
        request, f"{len(formed)}班（{people}人）を編成して派遣しました。活動指示書を印刷してください。"
    )
    return HttpResponseRedirect(back)


def _team(request: HttpRequest, team_id: int) -> tuple[User, Team]:
    staff = staff_member(request, IsCentreStaff)
    team = selectors.team_get_for_staff(team_id=team_id, staff=staff)
    if team is None:
        raise Http404
    return staff, team


@login_required
@require_POST
def team_member_add(request: HttpRequest, team_id: int) -> HttpResponse:
    staff, team = _team(request, team_id)
    back = reverse("staff-centre-teams-page", args=[team.centre_id])
    try:
        reception_id = uuid.UUID(request.POST.get("reception_id", "")[:40])
    except ValueError:
        messages.error(request, "班に加える人を選んでください。")
        return HttpResponseRedirect(back)
    reception = CentreReception.objects.filter(reception_id=reception_id, centre=team.centre).first()
    if reception is None:
        messages.error(request, "班に加える人を選んでください。")
        return HttpResponseRedirect(back)
    try:
        services.team_member_add(team=team, reception=reception, staff=staff)
    except DomainError as error:
        return _refused(request, error, back)
    messages.success(request, f"{reception.person.display_name} さんを{team.number}班に加えました。")
    return HttpResponseRedirect(back)


@login_required
@require_POST
def team_report(request: HttpRequest, team_id: int) -> HttpResponse:
    """The leader's report brought back: the need done or still open; attendance verified."""
    staff, team = _team(request, team_id)
    back = reverse("staff-centre-teams-page", args=[team.centre_id])
    data = _checked(
        request, s.CompletionInputSerializer, _form(request, "outcome", "helpers_still_needed", "note")
    )
    if data is None:
        return HttpResponseRedirect(back)
    try:
        report = services.team_complete(
            team=team,
            staff=staff,
            outcome=data["outcome"],
            helpers_still_needed=data["helpers_still_needed"],
            note=data["note"],
        )
    except DomainError as error:
        return _refused(request, error, back)
    messages.success(
        request,
        f"{team.number}班の報告を記録しました（{report.get_outcome_display()}）。参加者の出席を確認済みにしました。",
    )
    return HttpResponseRedirect(back)


@login_required
@require_GET
def team_work_order(request: HttpRequest, team_id: int) -> HttpResponse:
    _, team = _team(request, team_id)
    try:
        pdf = services.work_order_pdf(team=team)
    except DomainError as error:
        return _refused(request, error, reverse("staff-centre-teams-page", args=[team.centre_id]))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="work-order-{team.day:%Y%m%d}-{team.number}.pdf"'
    return response
