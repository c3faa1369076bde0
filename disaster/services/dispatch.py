"""The morning dispatch: the volunteers received today and not yet in a team are formed into teams
of about eight by the exact engine (disaster.teams) and sent to the accepted needs; each team gets
an activity its members are checked in to, so their verified participation earns points and a
certificate like any other. The leader's report at the day's end updates the need and verifies
the members' attendance.

Lock order: the centre row (one dispatch at a time per centre), then the needs.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.fonts import JapaneseFontMissing, japanese_font_path
from disaster import errors, teams
from disaster import work_order_pdf as work_order_pdf_module
from disaster.models import (
    CentreReception,
    CentreRegistration,
    CompletionReport,
    DisasterNeed,
    Team,
    TeamMember,
    Vehicle,
    VolunteerCentre,
    WorkType,
)
from disaster.selectors import centre_staff_may_act, disaster_days_of
from events.models import Activity, CheckIn
from events.services import (
    activity_schedule,
    checkin_record,
    participation_register,
    participation_verify_by_host,
)
from volunteer.ages import age_on
from volunteer.models import ActivityCategory, Qualification, QualificationType, User

DISASTER_CATEGORY = "disaster"


def _require_staff(centre: VolunteerCentre, staff: User) -> None:
    if not centre_staff_may_act(centre=centre, staff=staff):
        raise errors.NotCentreStaff()


def teams_form(*, centre: VolunteerCentre, staff: User, now: dt.datetime | None = None) -> list[Team]:
    """Forms and dispatches today's teams from those received and free. Running it again forms
    teams only for volunteers received since (nobody is in two teams a day)."""
    now = now or timezone.now()
    _require_staff(centre, staff)
    day = timezone.localdate(now)
    with transaction.atomic():
        centre = VolunteerCentre.objects.select_for_update().select_related("disaster").get(pk=centre.pk)
        receptions = list(
            CentreReception.objects.filter(centre=centre, day=day, team_member__isnull=True)
            .select_related("person")
            .order_by("pk")
        )
        needs = list(
            DisasterNeed.objects.filter(centre=centre, status=DisasterNeed.Status.ACCEPTED)
            .prefetch_related("required_licences")
            .order_by("created_at", "pk")
        )
        plan = teams.solve_teams(
            _problem(receptions, needs, day), time_limit_seconds=settings.TEAM_SOLVE_SECONDS
        )
        if not plan.teams:
            raise errors.NoTeamsToForm()
        by_person = {r.person_id: r for r in receptions}
        by_need = {n.pk: n for n in needs}
        first_number = (
            Team.objects.filter(centre=centre, day=day)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
            or 0
        ) + 1
        return [
            _team_store(centre, day, by_need[p.need_id], first_number + i, p, by_person, staff, now)
            for i, p in enumerate(plan.teams)
        ]


def _problem(receptions: list[CentreReception], needs: list[DisasterNeed], day: dt.date) -> teams.TeamProblem:
    people = [r.person_id for r in receptions]
    days = disaster_days_of(person_ids=people, before=day)
    registrations = {
        r.person_id: r
        for r in CentreRegistration.objects.filter(
            centre_id__in={r.centre_id for r in receptions}, person_id__in=people
        ).prefetch_related("licences")
    }
    recorded = _recorded_licences(people)
    volunteers = tuple(
        teams.VolunteerInput(
            volunteer_id=r.person_id,
            licences=_licences(recorded.get(r.person_id, set()), registrations.get(r.person_id)),
            has_vehicle=r.person_id in registrations and registrations[r.person_id].vehicle != Vehicle.NONE,
            disaster_days=days.get(r.person_id, 0),
            is_adult=r.person.birth_date is None or age_on(r.person.birth_date, day) >= 18,
        )
        for r in receptions
    )
    need_inputs = tuple(
        teams.NeedInput(
            need_id=n.pk,
            helpers_needed=n.helpers_needed,
            work_type=n.work_type,
            required_licences=frozenset(q.code for q in n.required_licences.all()),
            needs_vehicle=n.needs_vehicle,
            urgency=n.urgency,
            received_order=i,
        )
        for i, n in enumerate(needs)
    )
    return teams.TeamProblem(volunteers=volunteers, needs=need_inputs, team_size=settings.TEAM_SIZE)


def _recorded_licences(person_ids: list[int]) -> dict[int, set[str]]:
    """Each person's licences on record (granted by a training), read in one query for the day."""
    held: dict[int, set[str]] = {}
    rows = Qualification.objects.filter(
        user_id__in=person_ids, qualification_type__kind=QualificationType.Kind.LICENCE
    ).values_list("user_id", "qualification_type__code")
    for person_id, code in rows:
        held.setdefault(person_id, set()).add(code)
    return held


def _licences(recorded: set[str], registration: CentreRegistration | None) -> frozenset[str]:
    """The licences a volunteer brings: those on record and those declared when registering with
    the centre, whose certificate staff see at the door (the door page reminds them:
    selectors.licences_to_check)."""
    declared = {q.code for q in registration.licences.all()} if registration is not None else set()
    return frozenset(recorded | declared)


def _team_store(
    centre: VolunteerCentre,
    day: dt.date,
    need: DisasterNeed,
    number: int,
    plan: teams.TeamPlan,
    by_person: dict[int, CentreReception],
    staff: User,
    now: dt.datetime,
) -> Team:
    activity = activity_schedule(
        source_key=f"disaster-team:{centre.pk}:{day.isoformat()}:{number}",
        kind=Activity.Kind.ONE_OFF,
        title=f"災害ボランティア {WorkType(need.work_type).label}（{centre.disaster.name}）",
        category=ActivityCategory.objects.get(code=DISASTER_CATEGORY),
        school_district=need.school_district,
        starts_at=now,
        ends_at=now + dt.timedelta(hours=settings.TEAM_ACTIVITY_HOURS),
        capacity=len(plan.member_ids),
    )
    team = Team.objects.create(
        centre=centre,
        day=day,
        need=need,
        number=number,
        leader_id=plan.leader_id,
        sub_leader_id=plan.sub_leader_id,
        reasons=list(plan.reasons),
        formed_at=now,
        formed_by=staff,
        activity=activity,
    )
    for person_id in plan.member_ids:
        _join(team, by_person[person_id], staff, now)
    return team


def _join(team: Team, reception: CentreReception, staff: User, at: dt.datetime) -> TeamMember:
    """A received volunteer joins the team: a member, registered for its activity, checked in."""
    member = TeamMember.objects.create(team=team, reception=reception)
    source_key = f"disaster-team:{team.pk}"
    participation_register(activity=team.activity, person=reception.person, source_key=source_key)
    checkin_record(
        activity=team.activity,
        person=reception.person,
        direction=CheckIn.Direction.IN,
        method=CheckIn.Method.RESIDENT_QR,
        at=_within(team, at),
        entered_by=staff,
    )
    return member


def team_member_add(
    *, team: Team, reception: CentreReception, staff: User, now: dt.datetime | None = None
) -> TeamMember:
    """Staff move a late arrival into a team by hand: never past the team size."""
    _require_staff(team.centre, staff)
    now = now or timezone.now()
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        if team.status != Team.Status.DISPATCHED:
            raise errors.TeamAlreadyReported()
        if team.members.count() >= settings.TEAM_SIZE:
            raise errors.TeamFull()
        if (
            reception.centre_id != team.centre_id
            or reception.day != team.day
            or hasattr(reception, "team_member")
        ):
            raise errors.VolunteerAlreadyReceived()
        return _join(team, reception, staff, now)


def team_complete(
    *,
    team: Team,
    staff: User,
    outcome: str,
    helpers_still_needed: int = 0,
    note: str = "",
    now: dt.datetime | None = None,
) -> CompletionReport:
    """The day's report: the need is done, or stays open for the helpers still needed; the
    members are checked out and their attendance verified (points and certificates follow)."""
    _require_staff(team.centre, staff)
    now = now or timezone.now()
    with transaction.atomic():
        team = Team.objects.select_for_update().select_related("activity").get(pk=team.pk)
        if team.status == Team.Status.COMPLETED:
            raise errors.TeamAlreadyReported()
        report = CompletionReport.objects.create(
            team=team,
            outcome=outcome,
            helpers_still_needed=helpers_still_needed
            if outcome == CompletionReport.Outcome.MORE_NEEDED
            else 0,
            note=note,
            reported_by=staff,
            reported_at=now,
        )
        team.status = Team.Status.COMPLETED
        team.save(update_fields=["status"])
        _need_update(team.need_id, report)
        for member in team.members.select_related("reception__person"):
            _verify(team, member.reception.person, staff, now)
    # A member of staff who worked in the team has their own attendance verified by a colleague
    # (nobody decides their own case): it stays checked out and unverified here.
    return report


def _need_update(need_id: int, report: CompletionReport) -> None:
    need = DisasterNeed.objects.select_for_update().get(pk=need_id)
    if report.outcome == CompletionReport.Outcome.DONE:
        need.status = DisasterNeed.Status.DONE
        need.save(update_fields=["status"])
    elif report.helpers_still_needed:
        need.helpers_needed = report.helpers_still_needed
        need.save(update_fields=["helpers_needed"])


def _within(team: Team, at: dt.datetime) -> dt.datetime:
    """A time inside the team's activity: a report made after the longest day counts to its end."""
    return min(at, team.activity.ends_at)


def _verify(team: Team, person: User, staff: User, now: dt.datetime) -> None:
    checkin_record(
        activity=team.activity,
        person=person,
        direction=CheckIn.Direction.OUT,
        method=CheckIn.Method.RESIDENT_QR,
        at=_within(team, now),
        entered_by=staff,
    )
    if person.pk == staff.pk:
        return
    participation = team.activity.participations.get(person=person)
    participation_verify_by_host(participation=participation, staff=staff)


def work_order_pdf(*, team: Team) -> bytes:
    """The team's printable work order (活動指示書), worded for the leader."""
    try:
        font = japanese_font_path(override=settings.CERTIFICATE_FONT_PATH)
    except JapaneseFontMissing as missing:
        raise errors.WorkOrderFontMissing() from missing
    need, centre = team.need, team.centre
    leaders = {team.leader_id: "リーダー", team.sub_leader_id: "サブリーダー"}
    people = [
        member.reception.person for member in team.members.select_related("reception__person").order_by("pk")
    ]
    members = sorted(
        (
            work_order_pdf_module.Member(name=p.display_name or f"#{p.pk}", role=leaders.get(p.pk, ""))
            for p in people
        ),
        key=lambda m: ({"リーダー": 0, "サブリーダー": 1}.get(m.role, 2), m.name),
    )
    equipment = [q.name for q in need.required_licences.all()] + (["車両"] if need.needs_vehicle else [])
    contact = " ".join(part for part in (need.contact_name, need.contact_phone) if part)
    order = work_order_pdf_module.WorkOrder(
        centre_name=centre.name,
        disaster_name=centre.disaster.name,
        day_label=f"{team.day.year}年{team.day.month}月{team.day.day}日",
        team_label=f"{team.number}班",
        work_type=str(WorkType(need.work_type).label),
        place=f"{need.school_district.name}　{need.address}",
        contact=contact or "依頼者へはセンターから連絡します",
        helpers=f"{len(members)}人（依頼 {need.helpers_needed}人）",
        equipment=tuple(equipment),
        note=need.note,
        members=tuple(members),
        reasons=tuple(team.reasons),
    )
    return work_order_pdf_module.work_order_pdf_render(order=order, font_path=font)
