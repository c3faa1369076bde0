"""What disaster mode holds about a person, how it forgets when the person is erased, and what it
forgets on the retention schedule (core.personal_data)."""

import datetime as dt

from django.conf import settings
from django.db.models import Q

from core.personal_data import erases, holds, retains
from disaster.models import (
    AvailableDay,
    CallUp,
    CentreReception,
    CentreRegistration,
    CompletionReport,
    Disaster,
    DisasterDecision,
    DisasterNeed,
    EvacuationSupport,
    Evacuee,
    Household,
    HouseholdMember,
    ShelterStay,
    SupportRegisterRead,
    Team,
    TeamMember,
)
from disaster.services import centre_registration_withdraw
from volunteer.models import User

holds(Household, "head", why="the household registered in the app, so that one scan at a shelter takes it in")
holds(HouseholdMember, "household__head", why="the names and age groups of the household's members")
holds(
    ShelterStay,
    "household__head",
    "received_by",
    "left_recorded_by",
    why="the household's receptions at shelters; receptions and departures the person recorded as staff",
)
holds(
    Evacuee,
    "person",
    "stay__household__head",
    why="the person's and the household's places on shelter rosters",
)
holds(
    CentreRegistration,
    "person",
    why="registrations with disaster volunteer centres: what the person brings, their home prefecture",
)
holds(AvailableDay, "registration__person", why="the days the person said they could come")
holds(CallUp, "registration__person", why="the days centres asked the person to come, and their replies")
holds(
    CentreReception,
    "person",
    "received_by",
    why="the days the person was received at a centre (insurance checked); receptions recorded as staff",
)
holds(
    DisasterNeed,
    "requester",
    "entered_by",
    "triaged_by",
    why="help the person asked a centre for; needs taken by phone and triaged as staff",
)
holds(Team, "leader", "sub_leader", "formed_by", why="teams the person led, or formed as staff")
holds(TeamMember, "reception__person", why="the teams the person worked in")
holds(CompletionReport, "reported_by", why="teams' reports the person recorded as staff")
holds(
    EvacuationSupport,
    "person",
    why="the help the person would need to evacuate, for local supporters (with consent, or in a disaster)",
)
holds(
    SupportRegisterRead,
    "person",
    "reader",
    why="each read of the person's entry on the evacuation support register; the entries read as a supporter",
)
holds(Disaster, "declared_by", why="disasters the person declared as the disaster headquarters")
holds(DisasterDecision, "decided_by", why="declarations, renewals and ends the person decided")


@erases("disaster")
def _erase(person: User, now: dt.datetime) -> None:
    """The household goes; shelter rosters keep their counts but lose the names (a stay that is
    still open keeps the people in the headcount, unnamed). Centre registrations are withdrawn
    (days still to come are called again); days received stay, as the record of work done."""
    Evacuee.objects.filter(Q(person=person) | Q(stay__household__head=person)).update(name="", person=None)
    Household.objects.filter(head=person).delete()
    EvacuationSupport.objects.filter(person=person).delete()
    for registration in CentreRegistration.objects.filter(person=person, withdrawn_at__isnull=True):
        centre_registration_withdraw(registration=registration, now=now)
    AvailableDay.objects.filter(registration__person=person).delete()
    DisasterNeed.objects.filter(requester=person).update(contact_name="", contact_phone="", note="")


@retains("disaster.rosters")
def _rosters(now: dt.datetime) -> int:
    """Evacuees' names, this long after their disaster ended or lapsed: the headquarters answers
    safety enquiries and relief claims from them; the counts stay for the city's record."""
    cutoff = now - dt.timedelta(days=settings.SHELTER_ROSTER_RETENTION_DAYS)
    over = Q(stay__disaster__ended_at__lt=cutoff) | Q(
        stay__disaster__ended_at__isnull=True, stay__disaster__lapses_at__lt=cutoff
    )
    return (
        Evacuee.objects.filter(over).exclude(name="", person=None).update(name="", person=None, member=None)
    )


@retains("disaster.need_contacts")
def _need_contacts(now: dt.datetime) -> int:
    """A need's caller, number and exact address, this long after its disaster ended or lapsed
    (NEED_ADDRESS_RETENTION_DAYS, as for any need): long enough for a late report to name the
    place; the work type, district and counts stay."""
    cutoff = now - dt.timedelta(days=settings.NEED_ADDRESS_RETENTION_DAYS)
    over = Q(centre__disaster__ended_at__lt=cutoff) | Q(
        centre__disaster__ended_at__isnull=True, centre__disaster__lapses_at__lt=cutoff
    )
    return (
        DisasterNeed.objects.filter(over)
        .exclude(contact_name="", contact_phone="", address="")
        .update(contact_name="", contact_phone="", address="")
    )


@retains("disaster.support_register_reads")
def _support_register_reads(now: dt.datetime) -> int:
    """Who read whose entry on the evacuation support register is an audit record: kept for the
    audit's own period (AUDIT_RETENTION_DAYS)."""
    cutoff = now - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = SupportRegisterRead.objects.filter(read_at__lt=cutoff).delete()
    return deleted
