"""Declaring, renewing and ending a disaster: only the disaster headquarters for every ward named,
each switch recorded with who, when and why. A declaration lapses by itself unless renewed
(`DISASTER_DECLARATION_HOURS`), so a mode nobody looks after does not stay on."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import required_reason
from disaster import errors
from disaster.models import Disaster, DisasterDecision
from plan_registry.models import Area
from volunteer.models import StaffRole, User
from volunteer.selectors import staff_area_ids

OFFICE_ROLES = (StaffRole.Role.DISASTER_OFFICE,)


def _declaration_span() -> dt.timedelta:
    return dt.timedelta(hours=settings.DISASTER_DECLARATION_HOURS)


def _require_office_for(*, staff: User, ward_ids: set[int]) -> None:
    if not ward_ids <= staff_area_ids(user=staff, roles=OFFICE_ROLES):
        raise errors.NotDisasterOffice()


def disaster_declare(
    *,
    staff: User,
    name: str,
    ward_ids: list[int],
    accepted_residence: str,
    reason: str,
    now: dt.datetime | None = None,
) -> Disaster:
    now, reason = now or timezone.now(), required_reason(reason)
    wards = list(Area.objects.filter(pk__in=set(ward_ids), kind=Area.Kind.WARD).order_by("pk"))
    if not wards or len(wards) != len(set(ward_ids)):
        raise errors.WardsRequired()
    _require_office_for(staff=staff, ward_ids={ward.pk for ward in wards})
    with transaction.atomic():
        disaster = Disaster.objects.create(
            name=name,
            accepted_residence=accepted_residence,
            declared_at=now,
            declared_by=staff,
            lapses_at=now + _declaration_span(),
        )
        disaster.wards.set(wards)
        _record(disaster, DisasterDecision.Action.DECLARED, staff, now, reason)
    return disaster


def disaster_renew(
    *, disaster: Disaster, staff: User, reason: str, now: dt.datetime | None = None
) -> Disaster:
    now, reason = now or timezone.now(), required_reason(reason)
    with transaction.atomic():
        disaster = _locked_active(disaster, staff, now)
        disaster.lapses_at = now + _declaration_span()
        disaster.save(update_fields=["lapses_at"])
        _record(disaster, DisasterDecision.Action.RENEWED, staff, now, reason)
    return disaster


def disaster_end(*, disaster: Disaster, staff: User, reason: str, now: dt.datetime | None = None) -> Disaster:
    now, reason = now or timezone.now(), required_reason(reason)
    with transaction.atomic():
        disaster = _locked_active(disaster, staff, now)
        disaster.ended_at = now
        disaster.save(update_fields=["ended_at"])
        _record(disaster, DisasterDecision.Action.ENDED, staff, now, reason)
    return disaster


def disaster_special_measure_apply(
    *, disaster: Disaster, staff: User, reason: str, now: dt.datetime | None = None
) -> Disaster:
    """Records that the 大規模災害特例 applies (announced by the national council of social
    welfare): volunteer activity insurance taken out from now on is in force the day it is taken,
    not the day after. Once applied it stays for the disaster; applying it again changes nothing."""
    now, reason = now or timezone.now(), required_reason(reason)
    with transaction.atomic():
        disaster = _locked_active(disaster, staff, now)
        if not disaster.insurance_special_measure:
            disaster.insurance_special_measure = True
            disaster.save(update_fields=["insurance_special_measure"])
            _record(disaster, DisasterDecision.Action.SPECIAL_MEASURE, staff, now, reason)
    return disaster


def _locked_active(disaster: Disaster, staff: User, now: dt.datetime) -> Disaster:
    _require_office_for(staff=staff, ward_ids=set(disaster.wards.values_list("pk", flat=True)))
    locked = Disaster.objects.select_for_update().get(pk=disaster.pk)
    if not locked.is_active(now):
        raise errors.DisasterNotActive()
    return locked


def _record(disaster: Disaster, action: str, staff: User | None, now: dt.datetime, reason: str) -> None:
    DisasterDecision.objects.create(
        disaster=disaster,
        action=action,
        decided_by=staff,
        decided_at=now,
        reason=reason,
        lapses_at=disaster.lapses_at if action != DisasterDecision.Action.ENDED else None,
    )


def disasters_record_lapses(*, now: dt.datetime | None = None) -> int:
    """Writes the lapse of each declaration nobody renewed into its record (beat, every few
    minutes). The mode itself ended at the lapse whether or not this has run: this only records
    it. The unique constraint keeps it to one row however many workers run it at once."""
    now, recorded = now or timezone.now(), 0
    lapsed = Disaster.objects.filter(ended_at__isnull=True, lapses_at__lte=now).exclude(
        decisions__action=DisasterDecision.Action.LAPSED
    )
    for disaster in lapsed.order_by("pk"):
        try:
            with transaction.atomic():
                DisasterDecision.objects.create(
                    disaster=disaster,
                    action=DisasterDecision.Action.LAPSED,
                    decided_at=disaster.lapses_at,
                    reason="",
                )
        except IntegrityError:
            continue
        recorded += 1
    return recorded
