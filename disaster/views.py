"""Disaster mode's staff pages: the headquarters declares, renews and ends disaster mode (the
password typed again each time), every disaster role watches the shelters' live headcounts (a page
that asks again every 15 seconds) and downloads them, shelter staff keep their shelter's roster
(people without phones entered by hand, departures), and the headquarters downloads the roster
for safety enquiries. The same permissions, selectors and services as the API."""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from rest_framework.permissions import BasePermission

from core.access import admits, role_required, staff_page_context
from core.csv_download import csv_response
from core.errors import DomainError
from core.text import validate_single_line
from disaster import selectors, services
from disaster.api.permissions import IsDisasterOffice, IsDisasterStaff, IsShelterStaff
from disaster.models import AgeGroup, Disaster, Evacuee, Shelter, ShelterStay
from plan_registry.models import Area
from volunteer.models import User
from volunteer.selectors import staff_area_ids

REFRESH_SECONDS = 15
ENTRY_ROWS = 10  # people entered at once: a family arriving together, without phones
NAME_MAX = Evacuee._meta.get_field("name").max_length or 60
DISASTER_NAME_MAX = Disaster._meta.get_field("name").max_length or 200
# The catalogue's "Open"/"Closed" are worded for other things (受付中/締め); a shelter is 開設/閉鎖.
SHELTER_STATUS: dict[str, str] = {Shelter.Status.OPEN: "開設中", Shelter.Status.CLOSED: "閉鎖"}
NOT_CONFIRMED = "パスワードが違います。ご自分のパスワードをもう一度入力してください（何も変更していません）。"
HEADCOUNT_HEADER = (
    "避難所", "校区", "状態", "収容人数", "避難者数", "世帯数", "避難所内", "車中泊", "在宅避難",
    "未就学児", "学齢の子ども", "大人", "75歳以上", "集計日時",
)  # fmt: skip
ROSTER_HEADER = ("避難所", "氏名", "年齢区分", "避難の形態", "受付日時", "受付方法")
SWITCHES = {
    "renew": (services.disaster_renew, "「{name}」を延長しました。"),
    "end": (services.disaster_end, "「{name}」を終了しました。"),
    "special-measure": (
        services.disaster_special_measure_apply,
        "「{name}」に大規模災害特例の適用を記録しました。",
    ),
}


def staff_member(request: HttpRequest, permission: type[BasePermission]) -> User:
    role_required(request, permission)
    assert isinstance(request.user, User)  # noqa: S101 (the role check admits only a signed-in person)
    return request.user


def local_time(moment: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(moment).strftime(fmt) if moment else ""


def _password_confirmed(request: HttpRequest, staff: User) -> bool:
    """The staff site's fresh sign-in for a switch of disaster mode: a browser left signed in at
    the headquarters must not be enough to declare or end one."""
    if staff.check_password(request.POST.get("password", "")):
        return True
    messages.error(request, NOT_CONFIRMED)
    return False


# --- declarations (the headquarters) ----------------------------------------------------------


def _disaster_state(disaster: Disaster, now: dt.datetime) -> str:
    if disaster.is_active(now):
        return "有効"
    if disaster.ended_at is not None:
        return "終了"
    return "失効" if now >= disaster.lapses_at else "宣言前"


@login_required
@require_GET
def disaster_list(request: HttpRequest) -> HttpResponse:
    staff = staff_member(request, IsDisasterOffice)
    now = timezone.now()
    disasters = selectors.disaster_list_for_staff().prefetch_related("decisions__decided_by")
    rows = [{"disaster": d, "active": d.is_active(now), "state": _disaster_state(d, now)} for d in disasters]
    wards = Area.objects.filter(
        kind=Area.Kind.WARD, pk__in=staff_area_ids(user=staff, roles=IsDisasterOffice.roles)
    ).order_by("code")
    context = staff_page_context(
        request,
        "災害モードの宣言",
        rows=rows,
        active_rows=[row for row in rows if row["active"]],
        wards=wards,
        residences=Disaster.Residence.choices,
        hours=settings.DISASTER_DECLARATION_HOURS,
    )
    return render(request, "disaster/staff_disasters.html", context)


def _declaration_name(request: HttpRequest) -> str | None:
    name = request.POST.get("name", "").strip()
    try:
        validate_single_line(name)
    except ValidationError as error:
        messages.error(request, f"災害の名称: {error.messages[0]}")
        return None
    if not name or len(name) > DISASTER_NAME_MAX:
        messages.error(request, f"災害の名称を{DISASTER_NAME_MAX}文字以内で入力してください。")
        return None
    return name


@login_required
@require_POST
def disaster_declare(request: HttpRequest) -> HttpResponse:
    staff = staff_member(request, IsDisasterOffice)
    back = HttpResponseRedirect(reverse("staff-disaster-list-page"))
    if not _password_confirmed(request, staff):
        return back
    name = _declaration_name(request)
    residence = request.POST.get("accepted_residence", "")
    if name is None:
        return back
    if residence not in Disaster.Residence.values:
        messages.error(request, "ボランティアの受け入れ範囲を選んでください。")
        return back
    ward_ids = [int(value) for value in request.POST.getlist("wards") if value.isdigit()]
    try:
        disaster = services.disaster_declare(
            staff=staff,
            name=name,
            ward_ids=ward_ids,
            accepted_residence=residence,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return back
    messages.success(
        request,
        f"「{disaster.name}」を宣言しました。延長しなければ {local_time(disaster.lapses_at)} に失効します。",
    )
    return back


@login_required
@require_POST
def disaster_switch(request: HttpRequest, disaster_id: int, action: str) -> HttpResponse:
    staff = staff_member(request, IsDisasterOffice)
    disaster = Disaster.objects.filter(pk=disaster_id).first()
    if disaster is None or action not in SWITCHES:
        raise Http404
    back = HttpResponseRedirect(reverse("staff-disaster-list-page"))
    if not _password_confirmed(request, staff):
        return back
    switch, done = SWITCHES[action]
    try:
        changed = switch(disaster=disaster, staff=staff, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, f"「{disaster.name}」: {error.message}")
        return back
    lapse = f" 失効は {local_time(changed.lapses_at)} です。" if action == "renew" else ""
    messages.success(request, f"{done.format(name=changed.name)}{lapse}")
    return back


# --- headcounts (every disaster role) ---------------------------------------------------------


def _occupancy(people: int, capacity: int) -> str:
    return f"{round(people * 100 / capacity)}%" if capacity else "—"


def _headcounts(request: HttpRequest, staff: User) -> dict[str, Any]:
    """What the page shows and its status view answers: one shape, so the two cannot drift."""
    now = timezone.now()
    rows, city = selectors.headcounts(at=now)
    # Which rows link to their roster: the selector's rule (shelter_staff_may_act), its areas
    # read once rather than once per shelter on a page asked for every 15 seconds.
    areas = (
        staff_area_ids(user=staff, roles=selectors.SHELTER_ROLES)
        if admits(request, IsShelterStaff)
        else set()
    )
    shelters = [
        {
            "id": shelter.pk,
            "name": shelter.name,
            "school_district": shelter.school_district.name,
            "status": SHELTER_STATUS[shelter.status],
            "capacity": shelter.capacity,
            "people": count.people,
            "households": count.households,
            **count.by_stay_type,
            "occupancy": _occupancy(count.people, shelter.capacity),
            "roster_url": (
                reverse("staff-shelter-roster-page", args=[shelter.pk])
                if shelter.school_district_id in areas
                else ""
            ),
        }
        for shelter, count in rows
    ]
    return {
        "updated": local_time(now, "%H:%M:%S"),
        "city": {"people": city.people, "households": city.households, **city.by_stay_type},
        "shelters": shelters,
    }


@login_required
@require_GET
def headcounts_page(request: HttpRequest) -> HttpResponse:
    staff = staff_member(request, IsDisasterStaff)
    context = staff_page_context(
        request,
        "避難所の避難者数",
        counts=_headcounts(request, staff),
        refresh_seconds=REFRESH_SECONDS,
        status_url=reverse("staff-shelter-headcounts-status"),
        roster_csv=admits(request, IsDisasterOffice),
    )
    return render(request, "disaster/staff_headcounts.html", context)


@login_required
@require_GET
def headcounts_status(request: HttpRequest) -> JsonResponse:
    staff = staff_member(request, IsDisasterStaff)
    return JsonResponse(_headcounts(request, staff), headers={"Cache-Control": "no-store"})


@login_required
@require_GET
def headcounts_csv(request: HttpRequest) -> HttpResponse:
    staff_member(request, IsDisasterStaff)
    now = timezone.now()
    rows, city = selectors.headcounts(at=now)
    at = local_time(now, "%Y-%m-%d %H:%M:%S")

    def line(name: str, district: str, status: str, capacity: int, count: selectors.Headcount) -> list[Any]:
        ages = [count.by_age_group.get(group, 0) for group in AgeGroup.values]
        stays = [count.by_stay_type[stay_type] for stay_type in selectors.STAY_TYPES]
        return [name, district, status, capacity, count.people, count.households, *stays, *ages, at]

    return csv_response(
        filename=f"shelter-headcounts-{timezone.localtime(now):%Y%m%d-%H%M}.csv",
        header=HEADCOUNT_HEADER,
        rows=[
            *(line(s.name, s.school_district.name, SHELTER_STATUS[s.status], s.capacity, c) for s, c in rows),
            line("市の合計", "", "", sum(s.capacity for s, _ in rows), city),
        ],
    )


# --- a shelter's roster (shelter staff and the headquarters of its area) ----------------------


def _shelter(request: HttpRequest, shelter_id: int) -> tuple[User, Shelter]:
    staff = staff_member(request, IsShelterStaff)
    shelter = selectors.shelter_get_for_staff(shelter_id=shelter_id, staff=staff)
    if shelter is None:
        raise Http404
    return staff, shelter


def _blank_entry() -> dict[str, Any]:
    return {
        "reception_id": str(uuid.uuid4()),
        "stay_type": ShelterStay.StayType.SHELTER,
        "people": [{"name": "", "age_group": ""} for _ in range(ENTRY_ROWS)],
    }


def _roster(request: HttpRequest, shelter: Shelter, entry: dict[str, Any]) -> HttpResponse:
    stays = list(selectors.open_stays_at(shelter=shelter))
    context = staff_page_context(
        request,
        f"避難所の受付 {shelter.name}",
        shelter=shelter,
        status=SHELTER_STATUS[shelter.status],
        stays=stays,
        people=sum(len(stay.evacuees.all()) for stay in stays),
        entry=entry,
        entry_open=shelter.status == Shelter.Status.OPEN,
        age_groups=AgeGroup.choices,
        name_max=NAME_MAX,
        stay_types=ShelterStay.StayType.choices,
        disasters=_disasters_covering(shelter) if shelter.status == Shelter.Status.CLOSED else [],
    )
    return render(request, "disaster/staff_roster.html", context)


def _disasters_covering(shelter: Shelter) -> list[Disaster]:
    """The active disasters whose wards include the shelter's: those it can be opened for."""
    ward_id = selectors.ward_id_of_district(shelter.school_district_id)
    return list(selectors.disasters_active().filter(wards=ward_id).order_by("-declared_at", "pk"))


@login_required
@require_POST
def shelter_switch(request: HttpRequest, shelter_id: int, action: str) -> HttpResponse:
    """Opens the shelter for a disaster, or closes it once everyone has left or moved."""
    staff, shelter = _shelter(request, shelter_id)
    if action not in ("open", "close"):
        raise Http404
    back = HttpResponseRedirect(reverse("staff-shelter-roster-page", args=[shelter.pk]))
    disaster_id = request.POST.get("disaster", "")
    disaster = Disaster.objects.filter(pk=disaster_id).first() if disaster_id.isdigit() else None
    try:
        if action == "close":
            services.shelter_close(shelter=shelter, staff=staff)
        elif disaster is None:
            messages.error(request, "開設する災害を選んでください。")
            return back
        else:
            services.shelter_open(shelter=shelter, disaster=disaster, staff=staff)
    except DomainError as error:
        messages.error(request, error.message)
        return back
    messages.success(request, f"{shelter.name}を{'開設' if action == 'open' else '閉鎖'}しました。")
    return back


@login_required
@require_GET
def roster_page(request: HttpRequest, shelter_id: int) -> HttpResponse:
    _, shelter = _shelter(request, shelter_id)
    return _roster(request, shelter, _blank_entry())


def _entry_people(request: HttpRequest) -> tuple[list[dict[str, str]], list[str]]:
    """The form's rows as typed, and what is wrong with them; a row left empty is skipped."""
    rows, problems = [], []
    for i in range(ENTRY_ROWS):
        name = request.POST.get(f"name_{i}", "").strip()
        age_group = request.POST.get(f"age_group_{i}", "")
        rows.append({"name": name, "age_group": age_group})
        if not name and not age_group:
            continue
        try:
            validate_single_line(name)
        except ValidationError as error:
            problems.append(f"{i + 1}人目の氏名: {error.messages[0]}")
        if not name:
            problems.append(f"{i + 1}人目: 氏名を入力してください（わからなければ「不明」など）。")
        elif len(name) > NAME_MAX:
            problems.append(f"{i + 1}人目: 氏名は{NAME_MAX}文字以内で入力してください。")
        if age_group not in AgeGroup.values:
            problems.append(f"{i + 1}人目: 年齢区分を選んでください。")
    if not any(row["name"] or row["age_group"] for row in rows):
        problems.append("受付する人を1人以上入力してください。")
    return rows, problems


def _entry_reception(request: HttpRequest) -> tuple[dict[str, Any], services.Reception | None]:
    """The form as typed (to show again) and the reception it makes, or None after the messages
    saying what to correct."""
    rows, problems = _entry_people(request)
    stay_type = request.POST.get("stay_type", "")
    if stay_type not in ShelterStay.StayType.values:
        problems.append("避難の形態を選んでください。")
    try:
        reception_id = uuid.UUID(request.POST.get("reception_id", ""))
    except ValueError:
        reception_id = uuid.uuid4()  # a form not made by this page: the corrected one is new
    entry = {"reception_id": str(reception_id), "stay_type": stay_type, "people": rows}
    for problem in problems:
        messages.error(request, problem)
    if problems:
        return entry, None
    people = tuple(
        services.MemberInput(name=row["name"], age_group=row["age_group"]) for row in rows if row["name"]
    )
    return entry, services.Reception(
        reception_id=reception_id, scanned_at=timezone.now(), stay_type=stay_type, people=people
    )


@login_required
@require_POST
def roster_entry(request: HttpRequest, shelter_id: int) -> HttpResponse:
    """People without phones, entered by staff. The form carries a reception id made when it was
    shown, so a form sent twice (a double click, a resend after a dropped connection) is one
    reception: the service answers the first."""
    staff, shelter = _shelter(request, shelter_id)
    entry, reception = _entry_reception(request)
    if reception is None:
        return _roster(request, shelter, entry)
    try:
        stay, created = services.shelter_receive(shelter=shelter, staff=staff, reception=reception)
    except DomainError as error:
        messages.error(request, error.message)
        return _roster(request, shelter, entry)
    if created:
        messages.success(request, f"{len(reception.people)}人を受付しました。")
    else:
        messages.info(request, "この受付は記録済みです（同じフォームがもう一度送られました）。")
    return HttpResponseRedirect(reverse("staff-shelter-roster-page", args=[stay.shelter_id]))


@login_required
@require_POST
def stay_leave(request: HttpRequest, reception_id: uuid.UUID) -> HttpResponse:
    staff = staff_member(request, IsShelterStaff)
    stay = selectors.stay_get_for_staff(reception_id=reception_id, staff=staff)
    if stay is None:
        raise Http404
    try:
        services.stay_leave(stay=stay, staff=staff)
        messages.success(request, f"退所を記録しました（{stay.evacuees.count()}人）。")
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("staff-shelter-roster-page", args=[stay.shelter_id]))


# --- the headquarters' roster for safety enquiries --------------------------------------------


@login_required
@require_GET
def roster_csv(request: HttpRequest) -> HttpResponse:
    """Everyone in an open stay at the shelters the headquarters may act on (its areas: the whole
    city for a headquarters given the city), for safety enquiries. Names are personal data, so the
    areas of the role bound them as they bound every roster (volunteer.selectors.staff_acts_citywide).
    Names as stored: blank once erased."""
    people = selectors.roster_for_staff(staff=staff_member(request, IsDisasterOffice))
    return csv_response(
        filename=f"shelter-roster-{timezone.localtime():%Y%m%d-%H%M}.csv",
        header=ROSTER_HEADER,
        rows=(
            (
                e.stay.shelter.name,
                e.name,
                e.get_age_group_display(),
                e.stay.get_stay_type_display(),
                local_time(e.stay.scanned_at),
                e.stay.get_method_display(),
            )
            for e in people
        ),
    )
