"""Residents' rights over their data (APPI as it applies to local governments): disclosure as an
export of everything held (core.personal_data), erasure, and suspension of use (利用停止). Each
request is recorded; a member of staff may act on one received on paper, with a reason, never on
their own."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.duties import refuse_own_case
from core.personal_data import erasure_blockers, person_erase_everywhere, person_export
from volunteer import errors
from volunteer.ages import school_year_cohort
from volunteer.models import RightsRequest, User


def _staff_may_act(person: User, staff: User | None, reason: str) -> None:
    """A request received on paper: the member of staff gives why, and never acts on their own
    (asked before the transaction, so the refusal stays recorded)."""
    if staff is None:
        return
    refuse_own_case(staff=staff, party_ids=[person.pk], subject=person)
    if not reason.strip():
        raise errors.PaperRequestNeedsReason()


def _record(person: User, kind: str, at: dt.datetime, staff: User | None, reason: str) -> RightsRequest:
    return RightsRequest.objects.create(
        person=person, kind=kind, requested_at=at, handled_by=staff, reason=reason
    )


def personal_data_export(*, person: User, staff: User | None = None, reason: str = "") -> dict[str, Any]:
    """Everything the service holds about the person; the request is recorded first, so the
    export shows it too."""
    _staff_may_act(person, staff, reason)
    with transaction.atomic():
        now = timezone.now()
        _record(person, RightsRequest.Kind.EXPORT, now, staff, reason)
        return person_export(person, at=now)


def person_erase(*, person: User, staff: User | None = None, reason: str = "") -> RightsRequest:
    """Erases the person: every app forgets what it holds (posts withdrawn, free text blanked,
    devices, notifications and the verified identity deleted), then the account becomes a
    tombstone that keeps only what the ledger, participations and plan figures are counted by:
    the row's id, home school district and school-year cohort. The person cannot sign in again.
    Points held for staff must be decided first."""
    _staff_may_act(person, staff, reason)
    with transaction.atomic():
        return _erase(person, staff, reason)


def _erase(person: User, staff: User | None, reason: str) -> RightsRequest:
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise errors.PersonErased()
    blockers = erasure_blockers(person)
    if blockers:
        raise errors.ErasureWaitsForStaff()
    now = timezone.now()
    request = _record(person, RightsRequest.Kind.ERASURE, now, staff, reason)
    person_erase_everywhere(person, at=now)
    _tombstone(person, now)
    return request


def _tombstone(person: User, at: dt.datetime) -> None:
    person.email = f"erased-{person.pk}@erased.invalid"
    person.display_name = ""
    # The 1 April closing the person's school year: every year's age band stays the same.
    person.birth_date = school_year_cohort(person.birth_date) if person.birth_date else None
    person.weekly_availability = []
    person.languages = []
    person.notification_preferences = {}
    person.is_active = person.is_staff = person.is_superuser = False
    person.set_unusable_password()
    person.last_login = None
    person.use_suspended_at = None
    person.erased_at = at
    person.save()
    person.skills.clear()
    person.interests.clear()


def use_suspend(*, person: User, staff: User | None = None, reason: str = "") -> RightsRequest | None:
    """利用停止: no matching, no notification sent, not listed to staff, until lifted. Suspending
    again changes nothing (and records nothing)."""
    _staff_may_act(person, staff, reason)
    with transaction.atomic():
        return _suspend(person, staff, reason)


def _suspend(person: User, staff: User | None, reason: str) -> RightsRequest | None:
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.use_suspended_at is not None:
        return None
    now = timezone.now()
    request = _record(person, RightsRequest.Kind.SUSPENSION, now, staff, reason)
    person.use_suspended_at = now
    person.save(update_fields=["use_suspended_at"])
    return request


def use_resume(*, person: User, staff: User | None = None, reason: str = "") -> RightsRequest | None:
    """Lifts the suspension; the person's open posts are matched again at the next run."""
    _staff_may_act(person, staff, reason)
    with transaction.atomic():
        return _resume(person, staff, reason)


def _resume(person: User, staff: User | None, reason: str) -> RightsRequest | None:
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.use_suspended_at is None:
        return None
    request = _record(person, RightsRequest.Kind.SUSPENSION_LIFTED, timezone.now(), staff, reason)
    person.use_suspended_at = None
    person.save(update_fields=["use_suspended_at"])
    return request
