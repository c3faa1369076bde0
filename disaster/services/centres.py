"""The disaster volunteer centre: pre-registration, daily quotas and call-ups, reception with the
insurance check.

- A centre may accept only volunteers living in the city, the prefecture or Kyushu (a setting of
  the disaster); a volunteer registers the days they can come, what they bring and their licences.
- About two days ahead (`CENTRE_CALL_UP_DAYS_AHEAD`), each day's quota is filled from those free
  that day, fewest call-ups first (so work is spread), earliest registration next; a reply of
  "not coming" frees the place and the next is called.
- At the door the volunteer's app code is scanned (a device made reception id, as at shelters):
  the volunteer must be registered here, called up or within the day's quota, and hold volunteer
  activity insurance of the natural disaster plan in force that day. Insurance is in force from
  the day after joining to the end of its fiscal year; under the 大規模災害特例 the day of joining
  counts too. No valid insurance, no dispatch: staff record insurance taken out on the spot.

Lock order: the centre row, then its call-ups; a person's receptions are held to one a day by the
unique constraint.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.duties import refuse_own_case
from core.errors import NotFound
from disaster import errors
from disaster.models import (
    AvailableDay,
    CallUp,
    CentreDay,
    CentreReception,
    CentreRegistration,
    Disaster,
    ReceptionMethod,
    VolunteerCentre,
)
from disaster.selectors import centre_day_quota, centre_staff_may_act, ward_id_of_district
from disaster.services.shelters import scan_time_check
from events import tokens
from events.services.attendance import code_key
from volunteer.models import Qualification, QualificationType, Skill, User
from volunteer.services import consent_require, notification_send, qualification_grant

KUMAMOTO = 43
KYUSHU = frozenset(range(40, 47))  # 福岡 40, 佐賀, 長崎, 熊本, 大分, 宮崎, 鹿児島 46 (JIS X 0401)
MAX_DAYS_AHEAD = 31


@dataclass(frozen=True)
class RegistrationInput:
    skill_codes: tuple[str, ...]
    licence_codes: tuple[str, ...]
    vehicle: str
    home_prefecture: int
    days: tuple[dt.date, ...]


def residence_accepted(*, accepted: str, home_prefecture: int, lives_in_city: bool) -> bool:
    if accepted == Disaster.Residence.ANYWHERE or lives_in_city:
        return True
    if accepted == Disaster.Residence.PREFECTURE:
        return home_prefecture == KUMAMOTO
    if accepted == Disaster.Residence.KYUSHU:
        return home_prefecture in KYUSHU
    return False


def _require_open(centre: VolunteerCentre, now: dt.datetime) -> None:
    if centre.closed_at is not None or not centre.disaster.is_active(now):
        raise errors.CentreClosed()


def centre_register(
    *, centre: VolunteerCentre, person: User, registration: RegistrationInput, now: dt.datetime | None = None
) -> CentreRegistration:
    """Registers (or updates the registration of) a volunteer with the centre."""
    now = now or timezone.now()
    _require_open(centre, now)
    consent_require(person=person)
    lives_in_city = person.school_district_id is not None
    home = KUMAMOTO if lives_in_city else registration.home_prefecture
    if not residence_accepted(
        accepted=centre.disaster.accepted_residence, home_prefecture=home, lives_in_city=lives_in_city
    ):
        raise errors.ResidenceNotAccepted()
    today = timezone.localdate(now)
    if not registration.days or any(
        not today <= d <= today + dt.timedelta(days=MAX_DAYS_AHEAD) for d in registration.days
    ):
        raise errors.DaysOutOfRange()
    skills = list(Skill.objects.filter(code__in=registration.skill_codes))
    licences = list(
        QualificationType.objects.filter(
            code__in=registration.licence_codes, kind=QualificationType.Kind.LICENCE
        )
    )
    if len(skills) != len(set(registration.skill_codes)) or len(licences) != len(
        set(registration.licence_codes)
    ):
        raise errors.UnknownSkillOrLicence()
    with transaction.atomic():
        saved, _ = CentreRegistration.objects.update_or_create(
            centre=centre,
            person=person,
            defaults={
                "vehicle": registration.vehicle,
                "home_prefecture": home,
                "registered_at": now,
                "withdrawn_at": None,
            },
        )
        saved.skills.set(skills)
        saved.licences.set(licences)
        saved.days.all().delete()
        AvailableDay.objects.bulk_create(
            AvailableDay(registration=saved, day=d) for d in sorted(set(registration.days))
        )
    return saved


def centre_registration_withdraw(*, registration: CentreRegistration, now: dt.datetime | None = None) -> None:
    """Withdraws; call-ups still to come are answered "not coming", so their places are called again."""
    now = now or timezone.now()
    with transaction.atomic():
        CentreRegistration.objects.filter(pk=registration.pk).update(withdrawn_at=now)
        upcoming = registration.call_ups.filter(day__gt=timezone.localdate(now)).exclude(
            status=CallUp.Status.NOT_COMING
        )
        days = sorted(set(upcoming.values_list("day", flat=True)))
        upcoming.update(status=CallUp.Status.NOT_COMING, replied_at=now)
        for day in days:
            centre_call_up(centre=registration.centre, day=day, now=now)


def centre_day_quota_set(*, centre: VolunteerCentre, day: dt.date, quota: int, staff: User) -> CentreDay:
    _require_centre_staff(centre, staff)
    centre_day, _ = CentreDay.objects.update_or_create(centre=centre, day=day, defaults={"quota": quota})
    return centre_day


def centre_call_up(*, centre: VolunteerCentre, day: dt.date, now: dt.datetime | None = None) -> list[CallUp]:
    """Fills the day's free places (quota less those called and not declined). Idempotent: a
    second run finds nothing free, and a volunteer is called once a day at most."""
    now = now or timezone.now()
    with transaction.atomic():
        centre = VolunteerCentre.objects.select_related("disaster").select_for_update().get(pk=centre.pk)
        if centre.closed_at is not None or not centre.disaster.is_active(now):
            return []
        free = _places_free(centre, day)
        if free <= 0:
            return []
        chosen = list(_candidates(centre, day)[:free])
        called = CallUp.objects.bulk_create(CallUp(registration=r, day=day, called_at=now) for r in chosen)
        for call_up, registration in zip(called, chosen, strict=True):
            _tell_called(call_up, registration, centre)
    return called


def _candidates(centre: VolunteerCentre, day: dt.date):  # type: ignore[no-untyped-def]  # (a QuerySet)
    return (
        CentreRegistration.objects.filter(
            centre=centre,
            withdrawn_at__isnull=True,
            days__day=day,
            person__is_active=True,
            person__use_suspended_at__isnull=True,
            person__erased_at__isnull=True,
        )
        .exclude(call_ups__day=day)
        .annotate(times_called=Count("call_ups", filter=Q(call_ups__status=CallUp.Status.COMING)))
        .order_by("times_called", "registered_at", "pk")
    )


def _tell_called(call_up: CallUp, registration: CentreRegistration, centre: VolunteerCentre) -> None:
    notification_send(
        user=registration.person,
        kind="centre_call_up",
        title=f"{centre.name}：{call_up.day:%m月%d日}の活動のお願い",
        body="災害ボランティアセンターから活動のお願いです。来られるかどうか、アプリで返事をしてください。",
        dedupe_key=f"centre-call-up:{call_up.pk}",
        data={"call_up": call_up.pk, "centre": centre.pk, "day": call_up.day.isoformat()},
    )


def call_ups_due(*, now: dt.datetime | None = None) -> int:
    """Every open centre's days from tomorrow to `CENTRE_CALL_UP_DAYS_AHEAD`, filled (periodic:
    a day is first called two days ahead, and places freed by declines are called again)."""
    now = now or timezone.now()
    today, called = timezone.localdate(now), 0
    centres = VolunteerCentre.objects.filter(
        closed_at__isnull=True, disaster__ended_at__isnull=True, disaster__lapses_at__gt=now
    ).order_by("pk")
    for centre in centres:
        for ahead in range(1, settings.CENTRE_CALL_UP_DAYS_AHEAD + 1):
            called += len(centre_call_up(centre=centre, day=today + dt.timedelta(days=ahead), now=now))
    return called


def call_up_reply(*, call_up: CallUp, person: User, coming: bool, now: dt.datetime | None = None) -> CallUp:
    now = now or timezone.now()
    if call_up.registration.person_id != person.pk:
        raise NotFound()
    if call_up.day < timezone.localdate(now):
        raise errors.CallUpPast()
    centre = call_up.registration.centre
    with transaction.atomic():
        VolunteerCentre.objects.select_for_update().filter(pk=centre.pk).first()  # lock order: centre first
        current = CallUp.objects.select_for_update().get(pk=call_up.pk).status
        if coming and current == CallUp.Status.NOT_COMING and _places_free(centre, call_up.day) <= 0:
            raise errors.CallUpPlaceGiven()  # declined, the place given to the next: the day is full
        CallUp.objects.filter(pk=call_up.pk).update(
            status=CallUp.Status.COMING if coming else CallUp.Status.NOT_COMING, replied_at=now
        )
        if not coming and current != CallUp.Status.NOT_COMING:
            centre_call_up(centre=centre, day=call_up.day, now=now)
    call_up.refresh_from_db()
    return call_up


def _places_free(centre: VolunteerCentre, day: dt.date) -> int:
    """The day's quota less those called and not declined (the centre row held by the caller)."""
    taken = CallUp.objects.filter(registration__centre=centre, day=day).exclude(
        status=CallUp.Status.NOT_COMING
    )
    return centre_day_quota(centre=centre, day=day) - taken.count()


def insurance_in_force(*, person: User, day: dt.date, special_measure: bool) -> Qualification | None:
    """The natural-disaster-plan insurance covering the day, if any: from the day after joining
    (the day itself under the special measure) to its fiscal year's end."""
    joined_by = day if special_measure else day - dt.timedelta(days=1)
    return (
        Qualification.objects.filter(
            user=person,
            qualification_type__code=settings.DISASTER_INSURANCE_CODE,
            obtained_on__lte=joined_by,
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .order_by("-obtained_on", "pk")
        .first()
    )


def insurance_record_on_the_spot(
    *, centre: VolunteerCentre, staff: User, person: User, now: dt.datetime | None = None
) -> Qualification:
    """Insurance the volunteer took out at the centre's desk (the premium paid there). Nobody
    records their own: a colleague at the desk does."""
    now = now or timezone.now()
    _require_centre_staff(centre, staff)
    _require_open(centre, now)
    refuse_own_case(staff=staff, party_ids=[person.pk], subject=centre)
    insurance_type = QualificationType.objects.filter(code=settings.DISASTER_INSURANCE_CODE).first()
    if insurance_type is None:  # the catalogue not loaded: a setup fault, said plainly (not a 500)
        raise errors.InsuranceTypeMissing()
    return qualification_grant(
        user=person,
        qualification_type=insurance_type,
        obtained_on=timezone.localdate(now),
        source=f"{centre.name}の窓口で加入",
    )


@dataclass(frozen=True)
class VolunteerScan:
    reception_id: uuid.UUID
    scanned_at: dt.datetime
    code: str


def person_from_code(*, code: str, scanned_at: dt.datetime) -> User:
    """The volunteer whose app code (the personal check-in code) was scanned, as it stood then."""
    try:
        person_id = tokens.resident_token_read(key=code_key(), token=code, at=scanned_at).person_id
    except tokens.TokenRefused as refused:
        if refused.code == "token_expired":
            raise errors.VolunteerCodeExpired() from refused
        raise errors.VolunteerCodeInvalid() from refused
    person = User.objects.filter(pk=person_id, is_active=True, erased_at__isnull=True).first()
    if person is None:
        raise errors.VolunteerCodeInvalid()
    return person


def centre_receive(
    *, centre: VolunteerCentre, staff: User, scan: VolunteerScan, now: dt.datetime | None = None
) -> tuple[CentreReception, bool]:
    """(the reception, whether it is new). A repeat of a known reception id answers the first."""
    now = now or timezone.now()
    _require_centre_staff(centre, staff)
    known = CentreReception.objects.filter(reception_id=scan.reception_id).first()
    if known is not None:
        if known.centre_id != centre.pk:
            raise errors.ReceptionIdReused()
        return known, False
    _require_open(centre, now)
    scan_time_check(disaster=centre.disaster, scanned_at=scan.scanned_at, now=now)
    person = person_from_code(code=scan.code, scanned_at=scan.scanned_at)
    day = timezone.localdate(scan.scanned_at)
    registration = CentreRegistration.objects.filter(
        centre=centre, person=person, withdrawn_at__isnull=True
    ).first()
    if registration is None:
        raise errors.NotRegisteredWithCentre()
    insurance = insurance_in_force(
        person=person, day=day, special_measure=centre.disaster.insurance_special_measure
    )
    if insurance is None:
        raise errors.InsuranceNotInForce()
    try:
        with transaction.atomic():
            _require_place(centre, registration, day)
            reception = CentreReception.objects.create(
                reception_id=scan.reception_id,
                centre=centre,
                day=day,
                person=person,
                method=ReceptionMethod.APP_CODE,
                scanned_at=scan.scanned_at,
                recorded_at=now,
                received_by=staff,
                insurance=insurance,
            )
    except (IntegrityError, errors.CentreFullToday) as refused:
        # A retry of this very scan sent while the first was being written waits for it and then
        # sees it (its place counted, or its id taken): it gets the first result.
        known = CentreReception.objects.filter(reception_id=scan.reception_id, centre=centre).first()
        if known is not None:
            return known, False
        if isinstance(refused, errors.CentreFullToday):
            raise
        raise errors.VolunteerAlreadyReceived() from None
    return reception, True


def _require_place(centre: VolunteerCentre, registration: CentreRegistration, day: dt.date) -> None:
    """Called up (and not declined) for the day, or a walk-in while the day's quota has room."""
    VolunteerCentre.objects.select_for_update().filter(pk=centre.pk).first()
    called = registration.call_ups.filter(day=day).exclude(status=CallUp.Status.NOT_COMING).exists()
    if called:
        return
    received = CentreReception.objects.filter(centre=centre, day=day).count()
    expected = (
        CallUp.objects.filter(registration__centre=centre, day=day)
        .exclude(status=CallUp.Status.NOT_COMING)
        .exclude(
            registration__person__centre_receptions__centre=centre,
            registration__person__centre_receptions__day=day,
        )
        .count()
    )
    if received + expected >= centre_day_quota(centre=centre, day=day):
        raise errors.CentreFullToday()


def _require_centre_staff(centre: VolunteerCentre, staff: User) -> None:
    if not centre_staff_may_act(centre=centre, staff=staff):
        raise errors.NotCentreStaff()


def centre_open(
    *,
    disaster: Disaster,
    staff: User,
    name: str,
    school_district_id: int,
    address: str,
    daily_quota: int,
    now: dt.datetime | None = None,
) -> VolunteerCentre:
    """The headquarters sets up a centre in one of the disaster's wards."""
    now = now or timezone.now()
    centre = VolunteerCentre(
        disaster=disaster,
        name=name,
        school_district_id=school_district_id,
        address=address,
        daily_quota=daily_quota,
        opened_at=now,
    )
    if not centre_staff_may_act(centre=centre, staff=staff):
        raise errors.NotCentreStaff()
    if not disaster.is_active(now):
        raise errors.DisasterNotActive()
    ward_id = ward_id_of_district(school_district_id)
    if ward_id is None or not disaster.wards.filter(pk=ward_id).exists():
        raise errors.CentreOutsideDisaster()
    centre.save()
    return centre
