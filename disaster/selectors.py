"""Scoped reads of disaster mode: which disasters are active, who may act at a shelter, and the
live headcounts (the number of evacuee rows in the open stays, so a count always equals the rows
behind it)."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from disaster.models import (
    CallUp,
    CentreDay,
    CentreReception,
    CentreRegistration,
    Disaster,
    DisasterNeed,
    EvacuationSupport,
    Evacuee,
    Shelter,
    ShelterStay,
    Team,
    VolunteerCentre,
)
from plan_registry.models import Area
from volunteer.models import Consent, StaffRole, User
from volunteer.selectors import staff_area_ids

SHELTER_ROLES = (StaffRole.Role.SHELTER_STAFF, StaffRole.Role.DISASTER_OFFICE)
CENTRE_ROLES = (StaffRole.Role.CENTRE_STAFF, StaffRole.Role.DISASTER_OFFICE)
# Headcounts are no one's personal data: every disaster role sees the whole city's, so staff can
# send people to a shelter with room.
HEADCOUNT_ROLES = (*SHELTER_ROLES, StaffRole.Role.CENTRE_STAFF)
STAY_TYPES = tuple(ShelterStay.StayType.values)


def disasters_active(*, at: dt.datetime | None = None) -> QuerySet[Disaster]:
    at = at or timezone.now()
    return Disaster.objects.filter(declared_at__lte=at, lapses_at__gt=at, ended_at__isnull=True)


def disaster_list_for_staff() -> QuerySet[Disaster]:
    return Disaster.objects.prefetch_related("wards", "decisions").order_by("-declared_at", "pk")


def ward_id_of_district(district_id: int) -> int | None:
    """A school district's ward: 校区 → 日常生活圏域 → 区."""
    return Area.objects.filter(pk=district_id).values_list("parent__parent_id", flat=True).first()


def districts_of_wards(*, ward_ids: set[int] | list[int]) -> QuerySet[Area]:
    """The school districts of these wards (校区 → 日常生活圏域 → 区), in code order."""
    return Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT, parent__parent_id__in=ward_ids).order_by(
        "code"
    )


def areas_of_role(*, staff: User, roles: tuple[str, ...]) -> set[int]:
    """The areas a member of staff acts on in these roles, worked out once per request: the
    person object lives for one request, and a scan asks twice (the view, then the service)."""
    known: dict[tuple[str, ...], set[int]] = staff.__dict__.setdefault("_disaster_areas", {})
    if roles not in known:
        known[roles] = staff_area_ids(user=staff, roles=roles)
    return known[roles]


def shelter_staff_may_act(*, shelter: Shelter, staff: User) -> bool:
    return shelter.school_district_id in areas_of_role(staff=staff, roles=SHELTER_ROLES)


def shelter_get_for_staff(*, shelter_id: int, staff: User) -> Shelter | None:
    shelter = Shelter.objects.select_related("disaster", "school_district").filter(pk=shelter_id).first()
    if shelter is None or not shelter_staff_may_act(shelter=shelter, staff=staff):
        return None
    return shelter


def stay_get_for_staff(*, reception_id: uuid.UUID, staff: User) -> ShelterStay | None:
    stay = ShelterStay.objects.select_related("shelter").filter(reception_id=reception_id).first()
    if stay is None or not shelter_staff_may_act(shelter=stay.shelter, staff=staff):
        return None
    return stay


def shelters_public() -> QuerySet[Shelter]:
    """Open shelters, for residents looking for one."""
    return Shelter.objects.filter(status=Shelter.Status.OPEN).select_related("school_district").order_by("pk")


@dataclass
class Headcount:
    people: int = 0
    households: int = 0
    by_stay_type: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(ShelterStay.StayType.values, 0)
    )
    by_age_group: dict[str, int] = field(default_factory=dict)


def headcounts(*, at: dt.datetime | None = None) -> tuple[list[tuple[Shelter, Headcount]], Headcount]:
    """Every shelter open for an active disaster, or still holding people, with its live count;
    and the city's total. Three grouped queries, whatever the number of shelters."""
    open_stays = Q(stays__left_at__isnull=True)
    shelters = list(
        Shelter.objects.filter(Q(status=Shelter.Status.OPEN) | open_stays)
        .distinct()
        .select_related("school_district", "disaster")
        .order_by("school_district__code", "name", "pk")
    )
    counts = {shelter.pk: Headcount() for shelter in shelters}
    city = Headcount()
    people = Evacuee.objects.filter(stay__left_at__isnull=True, stay__shelter__in=counts.keys())
    for row in people.values("stay__shelter_id", "stay__stay_type", "age_group").annotate(n=Count("pk")):
        for count in (counts[row["stay__shelter_id"]], city):
            count.people += row["n"]
            count.by_stay_type[row["stay__stay_type"]] += row["n"]
            count.by_age_group[row["age_group"]] = count.by_age_group.get(row["age_group"], 0) + row["n"]
    stays = ShelterStay.objects.filter(left_at__isnull=True, shelter__in=counts.keys())
    for row in stays.values("shelter_id").annotate(n=Count("pk")):
        counts[row["shelter_id"]].households += row["n"]
        city.households += row["n"]
    return [(shelter, counts[shelter.pk]) for shelter in shelters], city


def centre_staff_may_act(*, centre: VolunteerCentre, staff: User) -> bool:
    return centre.school_district_id in areas_of_role(staff=staff, roles=CENTRE_ROLES)


def centre_get_for_staff(*, centre_id: int, staff: User) -> VolunteerCentre | None:
    centre = VolunteerCentre.objects.select_related("disaster").filter(pk=centre_id).first()
    if centre is None or not centre_staff_may_act(centre=centre, staff=staff):
        return None
    return centre


def centres_open(*, at: dt.datetime | None = None) -> QuerySet[VolunteerCentre]:
    """Centres taking volunteers now, for the app's list."""
    at = at or timezone.now()
    return (
        VolunteerCentre.objects.filter(closed_at__isnull=True, disaster__in=disasters_active(at=at))
        .select_related("disaster", "school_district")
        .order_by("pk")
    )


def centres_for_staff(*, staff: User, at: dt.datetime | None = None) -> QuerySet[VolunteerCentre]:
    """The centres in the staff's areas that are open, or have teams still to report on (their
    disaster ended, or the centre closed, before every leader came back): the staff's page list."""
    open_now = centres_open(at=at).values("pk")
    return (
        VolunteerCentre.objects.filter(school_district_id__in=areas_of_role(staff=staff, roles=CENTRE_ROLES))
        .filter(Q(pk__in=open_now) | Q(teams__status=Team.Status.DISPATCHED))
        .distinct()
        .select_related("disaster", "school_district")
        .order_by("pk")
    )


def teams_awaiting_report(*, centre: VolunteerCentre, before: dt.date) -> QuerySet[Team]:
    """Teams of earlier days whose report was never recorded: still to be closed, so their
    members' attendance is verified."""
    return (
        Team.objects.filter(centre=centre, day__lt=before, status=Team.Status.DISPATCHED)
        .prefetch_related("members__reception__person")
        .select_related("need__school_district")
        .order_by("day", "number", "pk")
    )


def call_ups_of_day(*, centre: VolunteerCentre, day: dt.date) -> QuerySet[CallUp]:
    return (
        CallUp.objects.filter(registration__centre=centre, day=day)
        .select_related("registration__person")
        .order_by("status", "called_at", "pk")
    )


def receptions_of_day(*, centre: VolunteerCentre, day: dt.date) -> QuerySet[CentreReception]:
    """Those received at the door on the day, newest first, with their insurance and team."""
    return (
        CentreReception.objects.filter(centre=centre, day=day)
        .select_related("person", "insurance", "team_member__team")
        .order_by("-scanned_at", "-pk")
    )


def registrations_of(*, person: User) -> QuerySet[CentreRegistration]:
    return (
        CentreRegistration.objects.filter(person=person, withdrawn_at__isnull=True)
        .select_related("centre")
        .prefetch_related("skills", "licences", "days")
        .order_by("pk")
    )


def call_ups_of(*, person: User) -> QuerySet[CallUp]:
    return (
        CallUp.objects.filter(registration__person=person)
        .select_related("registration__centre")
        .order_by("day", "pk")
    )


def call_up_get(*, call_up_id: int, person: User) -> CallUp | None:
    return call_ups_of(person=person).filter(pk=call_up_id).first()


def centre_day_quota(*, centre: VolunteerCentre, day: dt.date) -> int:
    override = CentreDay.objects.filter(centre=centre, day=day).values_list("quota", flat=True).first()
    return centre.daily_quota if override is None else override


def centre_day_summary(*, centre: VolunteerCentre, day: dt.date) -> dict[str, object]:
    replies = dict(
        CallUp.objects.filter(registration__centre=centre, day=day)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "day": day,
        "quota": centre_day_quota(centre=centre, day=day),
        "called": replies.get(CallUp.Status.CALLED, 0),
        "coming": replies.get(CallUp.Status.COMING, 0),
        "not_coming": replies.get(CallUp.Status.NOT_COMING, 0),
        "received": CentreReception.objects.filter(centre=centre, day=day).count(),
    }


def disaster_days_of(*, person_ids: list[int], before: dt.date) -> dict[int, int]:
    """Days each person was received at any centre before `day`: their disaster experience."""
    rows = (
        CentreReception.objects.filter(person_id__in=person_ids, day__lt=before)
        .values("person_id")
        .annotate(n=Count("day", distinct=True))
    )
    return {row["person_id"]: row["n"] for row in rows}


def disaster_needs_of(*, person: User) -> QuerySet[DisasterNeed]:
    return (
        DisasterNeed.objects.filter(requester=person)
        .prefetch_related("required_licences")
        .order_by("-created_at", "pk")
    )


def disaster_needs_of_centre(*, centre: VolunteerCentre, status: str | None = None) -> QuerySet[DisasterNeed]:
    needs = DisasterNeed.objects.filter(centre=centre).select_related("school_district")
    if status in DisasterNeed.Status.values:
        needs = needs.filter(status=status)
    return needs.prefetch_related("required_licences").order_by("urgency", "created_at", "pk")


def disaster_need_get_for_staff(*, need_id: int, staff: User) -> DisasterNeed | None:
    need = DisasterNeed.objects.select_related("centre").filter(pk=need_id).first()
    if need is None or not centre_staff_may_act(centre=need.centre, staff=staff):
        return None
    return need


def teams_of_day(*, centre: VolunteerCentre, day: dt.date) -> QuerySet[Team]:
    return (
        Team.objects.filter(centre=centre, day=day)
        .prefetch_related("members__reception__person")
        .order_by("number", "pk")
    )


def team_get_for_staff(*, team_id: int, staff: User) -> Team | None:
    team = Team.objects.select_related("centre", "need").filter(pk=team_id).first()
    if team is None or not centre_staff_may_act(centre=team.centre, staff=staff):
        return None
    return team


def open_stays_at(*, shelter: Shelter) -> QuerySet[ShelterStay]:
    """The stays still open at a shelter, newest first, with their people."""
    return (
        ShelterStay.objects.filter(shelter=shelter, left_at__isnull=True)
        .prefetch_related("evacuees")
        .order_by("-recorded_at", "pk")
    )


def roster_for_staff(*, staff: User) -> QuerySet[Evacuee]:
    """Everyone in an open stay at the shelters the person may act on (the areas of their role:
    the whole city for a headquarters given the city), for the headquarters' safety enquiries."""
    areas = staff_area_ids(user=staff, roles=SHELTER_ROLES)
    return (
        Evacuee.objects.filter(stay__left_at__isnull=True, stay__shelter__school_district_id__in=areas)
        .select_related("stay__shelter__school_district")
        .order_by("stay__shelter__school_district__code", "stay__shelter__name", "stay__recorded_at", "pk")
    )


SUPPORT_ROLES = (StaffRole.Role.WELFARE_COMMISSIONER, StaffRole.Role.DISASTER_PREVENTION)


@dataclass(frozen=True)
class SupportEntry:
    """An entry a local supporter may read now, and on what ground: the person's consent, or the
    disaster declared for their area (`disaster_id`)."""

    support: EvacuationSupport
    disaster_id: int | None


def support_register_for(*, reader: User, at: dt.datetime | None = None) -> list[SupportEntry]:
    """The entries of the reader's areas they may read now: with the person's consent, or, in a
    ward under a declared disaster, all of them. Computed from the stored times, so it narrows
    again the moment the disaster ends or lapses."""
    at = at or timezone.now()
    areas = areas_of_role(staff=reader, roles=SUPPORT_ROLES)
    consenting = Consent.objects.filter(
        document=Consent.Document.SUPPORT_REGISTER, withdrawn_at__isnull=True, user_id=OuterRef("person_id")
    )
    active = disasters_active(at=at).prefetch_related("wards").order_by("declared_at", "pk")
    by_ward = {ward.pk: disaster.pk for disaster in active for ward in disaster.wards.all()}
    entries = (
        EvacuationSupport.objects.filter(person__school_district_id__in=areas, person__erased_at__isnull=True)
        .annotate(consented=Exists(consenting), ward_id=F("person__school_district__parent__parent_id"))
        .filter(Q(consented=True) | Q(ward_id__in=list(by_ward)))
        .select_related("person__school_district")
        .order_by("person__school_district__code", "person_id")
    )
    return [SupportEntry(e, None if e.consented else by_ward[e.ward_id]) for e in entries]


def evacuation_support_of(*, person: User) -> EvacuationSupport | None:
    return EvacuationSupport.objects.filter(person=person).first()


def licences_to_check(*, reception: CentreReception) -> list[str]:
    """The licences a volunteer declared on registering with the centre but has no record of (a
    training grants one): their certificate is to be seen at the door, as teams count them."""
    registration = CentreRegistration.objects.filter(
        centre_id=reception.centre_id, person_id=reception.person_id
    ).first()
    if registration is None:
        return []
    recorded = reception.person.qualifications.values_list("qualification_type_id", flat=True)
    return list(
        registration.licences.exclude(pk__in=recorded).order_by("code").values_list("name", flat=True)
    )
