"""Opening shelters and taking people in: by one scan of a household head's shelter code, or by
staff entering people without phones; check-out and transfer.

Every reception carries `reception_id`, made on the scanning device. The same id again is the same
reception: the first result is returned (`created` False), so a device that queued scans offline
can upload them as often as it likes. A household is in one place at a time: lock order is the
household row, then its stays; the partial unique constraint backs the lock up (SQLite has no row
locks, and two devices may scan the same household at once).
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from disaster import errors
from disaster.models import Disaster, Evacuee, Household, ReceptionMethod, Shelter, ShelterStay
from disaster.selectors import shelter_staff_may_act, ward_id_of_district
from disaster.services.households import MemberInput, age_group_of, shelter_code_read
from volunteer.models import User


@dataclass(frozen=True)
class Reception:
    """What a device scanned or staff entered; `people` only for a staff entry."""

    reception_id: uuid.UUID
    scanned_at: dt.datetime
    stay_type: str
    code: str = ""
    member_ids: tuple[int, ...] | None = None
    people: tuple[MemberInput, ...] = ()


def shelter_open(
    *, shelter: Shelter, disaster: Disaster, staff: User, now: dt.datetime | None = None
) -> Shelter:
    now = now or timezone.now()
    _require_staff(shelter, staff)
    if not disaster.is_active(now):
        raise errors.DisasterNotActive()
    ward_id = ward_id_of_district(shelter.school_district_id)
    if ward_id is None or not disaster.wards.filter(pk=ward_id).exists():
        raise errors.ShelterOutsideDisaster()
    shelter.status, shelter.disaster, shelter.status_changed_at = Shelter.Status.OPEN, disaster, now
    shelter.save(update_fields=["status", "disaster", "status_changed_at"])
    return shelter


def shelter_close(*, shelter: Shelter, staff: User, now: dt.datetime | None = None) -> Shelter:
    """Closes a shelter whose people have all left or moved: nobody is dropped from a count."""
    _require_staff(shelter, staff)
    with transaction.atomic():
        shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
        if shelter.stays.filter(left_at__isnull=True).exists():
            raise errors.ShelterStillOccupied()
        shelter.status, shelter.status_changed_at = Shelter.Status.CLOSED, now or timezone.now()
        shelter.save(update_fields=["status", "status_changed_at"])
    return shelter


def shelter_receive(
    *, shelter: Shelter, staff: User, reception: Reception, now: dt.datetime | None = None
) -> tuple[ShelterStay, bool]:
    """(the stay, whether it is new). A repeat of a known reception id answers the first stay."""
    now = now or timezone.now()
    _require_staff(shelter, staff)
    known = _known(reception, shelter)
    if known is not None:
        return known, False
    disaster = _open_disaster(shelter, reception.scanned_at, now)
    try:
        with transaction.atomic():
            stay = _stay_create(shelter, disaster, staff, reception, now)
    except (IntegrityError, errors.HouseholdAlreadyReceived):
        # Another device recorded this household, or this very reception (a retry sent while the
        # first upload was still being written), between our look and our write: the retry gets
        # the stay it made, anyone else the refusal.
        known = _known(reception, shelter)
        if known is not None:
            return known, False
        raise errors.HouseholdAlreadyReceived() from None
    return stay, True


def _known(reception: Reception, shelter: Shelter) -> ShelterStay | None:
    stay = ShelterStay.objects.filter(reception_id=reception.reception_id).first()
    if stay is None:
        return None
    if stay.shelter_id != shelter.pk or stay.stay_type != reception.stay_type:
        raise errors.ReceptionIdReused()
    return stay


def _open_disaster(shelter: Shelter, scanned_at: dt.datetime, now: dt.datetime) -> Disaster:
    if shelter.status != Shelter.Status.OPEN or shelter.disaster is None:
        raise errors.ShelterClosed()
    disaster = shelter.disaster
    if not disaster.is_active(now):
        raise errors.DisasterNotActive()
    scan_time_check(disaster=disaster, scanned_at=scanned_at, now=now)
    return disaster


def scan_time_check(*, disaster: Disaster, scanned_at: dt.datetime, now: dt.datetime) -> None:
    """A device's scan time, at a shelter or a centre: not ahead of the server past the clock skew
    allowed, not before the disaster, and not older than an offline device may hold a scan."""
    oldest = now - dt.timedelta(hours=settings.SHELTER_OFFLINE_SCAN_MAX_HOURS)
    skew = dt.timedelta(seconds=settings.SHELTER_SCAN_CLOCK_SKEW_SECONDS)
    if scanned_at > now + skew or scanned_at < max(oldest, disaster.declared_at - skew):
        raise errors.ScanTimeInvalid()


def _stay_create(
    shelter: Shelter, disaster: Disaster, staff: User, reception: Reception, now: dt.datetime
) -> ShelterStay:
    household, evacuees = _people(reception)
    if household is not None:
        Household.objects.select_for_update().filter(pk=household.pk).first()
        if ShelterStay.objects.filter(disaster=disaster, household=household, left_at__isnull=True).exists():
            raise errors.HouseholdAlreadyReceived()
    stay = ShelterStay.objects.create(
        reception_id=reception.reception_id,
        disaster=disaster,
        shelter=shelter,
        household=household,
        method=ReceptionMethod.APP_CODE if household else ReceptionMethod.STAFF_ENTRY,
        stay_type=reception.stay_type,
        scanned_at=reception.scanned_at,
        recorded_at=now,
        received_by=staff,
    )
    for evacuee in evacuees:
        evacuee.stay = stay
    Evacuee.objects.bulk_create(evacuees)
    return stay


def _people(reception: Reception) -> tuple[Household | None, list[Evacuee]]:
    if not reception.code:
        if not reception.people:
            raise errors.PeopleRequired()
        return None, [Evacuee(name=p.name, age_group=p.age_group) for p in reception.people]
    person_id = shelter_code_read(code=reception.code, scanned_at=reception.scanned_at)
    head = User.objects.filter(pk=person_id, is_active=True, erased_at__isnull=True).first()
    if head is None:
        raise errors.ShelterPassInvalid()
    household, _ = Household.objects.get_or_create(head=head, defaults={"updated_at": reception.scanned_at})
    members = list(household.members.order_by("pk"))
    if reception.member_ids is not None:
        if not set(reception.member_ids) <= {member.pk for member in members}:
            raise errors.MemberNotInHousehold()
        members = [member for member in members if member.pk in set(reception.member_ids)]
    day = timezone.localdate(reception.scanned_at)
    evacuees = [Evacuee(person=head, name=head.display_name, age_group=age_group_of(head, day))]
    evacuees += [Evacuee(member=m, name=m.name, age_group=m.age_group) for m in members]
    return household, evacuees


def stay_leave(*, stay: ShelterStay, staff: User, now: dt.datetime | None = None) -> ShelterStay:
    _require_staff(stay.shelter, staff)
    with transaction.atomic():
        stay = ShelterStay.objects.select_for_update().get(pk=stay.pk)
        if stay.left_at is not None:
            raise errors.StayAlreadyLeft()
        stay.left_at, stay.left_recorded_by = now or timezone.now(), staff
        stay.save(update_fields=["left_at", "left_recorded_by"])
    return stay


def stay_transfer(
    *,
    stay: ShelterStay,
    to_shelter: Shelter,
    staff: User,
    reception_id: uuid.UUID,
    now: dt.datetime | None = None,
) -> tuple[ShelterStay, bool]:
    """Moves the stay's people to another open shelter: the old stay leaves, a new one (with the
    device's reception id, so a retried transfer is one transfer) takes the same people in."""
    now = now or timezone.now()
    _require_staff(stay.shelter, staff)
    repeated = ShelterStay.objects.filter(reception_id=reception_id).first()
    if repeated is not None:
        if getattr(repeated, "transferred_from", None) != stay:
            raise errors.ReceptionIdReused()
        return repeated, False
    if to_shelter.pk == stay.shelter_id:
        raise errors.SameShelter()
    disaster = _open_disaster(to_shelter, now, now)
    with transaction.atomic():
        stay = ShelterStay.objects.select_for_update().get(pk=stay.pk)
        if stay.left_at is not None:
            raise errors.StayAlreadyLeft()
        stay.left_at, stay.left_recorded_by = now, staff
        stay.save(update_fields=["left_at", "left_recorded_by"])
        moved = ShelterStay.objects.create(
            reception_id=reception_id,
            disaster=disaster,
            shelter=to_shelter,
            household=stay.household,
            method=stay.method,
            stay_type=stay.stay_type,
            scanned_at=now,
            recorded_at=now,
            received_by=staff,
        )
        Evacuee.objects.bulk_create(
            Evacuee(
                stay=moved, person_id=e.person_id, member_id=e.member_id, name=e.name, age_group=e.age_group
            )
            for e in stay.evacuees.order_by("pk")
        )
        stay.transferred_to = moved
        stay.save(update_fields=["transferred_to"])
    return moved, True


def _require_staff(shelter: Shelter, staff: User) -> None:
    if not shelter_staff_may_act(shelter=shelter, staff=staff):
        raise errors.NotShelterStaff()
