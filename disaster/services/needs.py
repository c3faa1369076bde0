"""Needs brought to the centre: from a resident in the app, an organisation, or a phone call staff
enter for someone (with a name and number to call back); triaged by staff before teams go. A need
has a place (the school district and the address), or teams cannot be sent."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.duties import refuse_own_case
from core.errors import required_reason
from disaster import errors
from disaster.models import DisasterNeed, VolunteerCentre
from disaster.selectors import centre_staff_may_act, ward_id_of_district
from plan_registry.models import Area
from volunteer.models import Organisation, QualificationType, User


@dataclass(frozen=True)
class NeedInput:
    work_type: str
    school_district_code: str
    address: str
    helpers_needed: int
    needs_vehicle: bool = False
    licence_codes: tuple[str, ...] = ()
    note: str = ""
    contact_name: str = ""
    contact_phone: str = ""


def need_post(
    *,
    centre: VolunteerCentre,
    need: NeedInput,
    requester: User | None = None,
    organisation: Organisation | None = None,
    entered_by: User | None = None,
    now: dt.datetime | None = None,
) -> DisasterNeed:
    """One of `requester` (the app), `organisation` (its staff, as `entered_by`) or `entered_by`
    alone (staff taking a phone call, who must give a name and number to call back)."""
    now = now or timezone.now()
    if centre.closed_at is not None or not centre.disaster.is_active(now):
        raise errors.CentreClosed()
    if entered_by is not None and requester is None and organisation is None:
        if not centre_staff_may_act(centre=centre, staff=entered_by):
            raise errors.NotCentreStaff()
        if not need.contact_name.strip() or not need.contact_phone.strip():
            raise errors.ContactRequired()
    district = _place(centre, need)
    licences = list(
        QualificationType.objects.filter(code__in=need.licence_codes, kind=QualificationType.Kind.LICENCE)
    )
    if len(licences) != len(set(need.licence_codes)):
        raise errors.UnknownSkillOrLicence()
    source = (
        DisasterNeed.Source.RESIDENT
        if requester is not None
        else DisasterNeed.Source.ORGANISATION
        if organisation is not None
        else DisasterNeed.Source.PHONE
    )
    with transaction.atomic():
        saved = DisasterNeed.objects.create(
            centre=centre,
            source=source,
            requester=requester,
            organisation=organisation,
            entered_by=entered_by,
            contact_name=need.contact_name.strip(),
            contact_phone=need.contact_phone.strip(),
            work_type=need.work_type,
            school_district=district,
            address=need.address.strip(),
            helpers_needed=need.helpers_needed,
            needs_vehicle=need.needs_vehicle,
            note=need.note,
            created_at=now,
        )
        saved.required_licences.set(licences)
    return saved


def _place(centre: VolunteerCentre, need: NeedInput) -> Area:
    district = Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT, code=need.school_district_code).first()
    if district is None or not need.address.strip():
        raise errors.PlaceRequired()
    ward_id = ward_id_of_district(district.pk)
    if ward_id is None or not centre.disaster.wards.filter(pk=ward_id).exists():
        raise errors.NeedOutsideDisaster()
    return district


def need_triage(
    *,
    need: DisasterNeed,
    staff: User,
    accept: bool,
    urgency: int,
    reason: str,
    now: dt.datetime | None = None,
) -> DisasterNeed:
    """Staff decide whether volunteers go (not a job for volunteers: dangerous, or for the
    professionals) and how urgent it is; a need can be triaged again while not done. Nobody
    triages a need they asked for themselves: urgency decides who is helped first."""
    if not centre_staff_may_act(centre=need.centre, staff=staff):
        raise errors.NotCentreStaff()
    refuse_own_case(staff=staff, party_ids=[need.requester_id], subject=need)
    reason = required_reason(reason)
    with transaction.atomic():
        locked = DisasterNeed.objects.select_for_update().get(pk=need.pk)
        if locked.status == DisasterNeed.Status.DONE:
            raise errors.NeedDone()
        locked.status = DisasterNeed.Status.ACCEPTED if accept else DisasterNeed.Status.REJECTED
        locked.urgency, locked.triage_reason = urgency, reason
        locked.triaged_at, locked.triaged_by = now or timezone.now(), staff
        locked.save(update_fields=["status", "urgency", "triage_reason", "triaged_at", "triaged_by"])
    return locked
