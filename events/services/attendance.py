"""Check-in and check-out, and the organiser's verification of attendance.

Lock order: the participation row, then its check-ins. A repeated scan (the same person, the same
direction) finds the first check-in under that lock and answers with it, so twenty taps from two
phones give one row; the unique constraint backs the lock up.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from core.duties import refuse_own_case
from core.errors import required_reason
from events import errors, tokens
from events.models import Activity, CheckIn, Participation
from events.selectors import activity_staff_may_act
from events.signals import participation_verified
from volunteer.models import User
from volunteer.services import qualification_grant

_TOKEN_ERRORS: dict[str, type[Exception]] = {
    "token_invalid": errors.CheckinTokenInvalid,
    "token_expired": errors.CheckinTokenExpired,
}


def code_key() -> bytes:
    """The HMAC key of the check-in codes, derived from DJANGO_SECRET_KEY."""
    return hashlib.sha256(b"events.checkin:" + settings.SECRET_KEY.encode()).digest()


def checkin_venue_token(*, activity: Activity, staff: User, at: dt.datetime | None = None) -> str:
    """The code the venue shows now (the organiser's device asks for a new one every period)."""
    if not activity_staff_may_act(activity=activity, staff=staff):
        raise errors.NotOrganiserStaff()
    return tokens.venue_token_make(
        key=code_key(), activity_id=activity.pk, at=at or timezone.now(), period=settings.CHECKIN_CODE_PERIOD
    )


def checkin_resident_token(*, person: User, at: dt.datetime | None = None) -> str:
    return tokens.resident_token_make(
        key=code_key(),
        person_id=person.pk,
        at=at or timezone.now(),
        lifetime=settings.CHECKIN_PERSONAL_CODE_LIFETIME,
    )


def checkin_by_venue_token(
    *, token: str, activity_id: int, person: User, direction: str, at: dt.datetime | None = None
) -> tuple[CheckIn, bool]:
    """The resident scanned the venue's code. The code is checked before the database is asked."""
    at = at or timezone.now()
    try:
        venue = tokens.venue_token_read(
            key=code_key(), token=token, at=at, period=settings.CHECKIN_CODE_PERIOD
        )
    except tokens.TokenRefused as refused:
        raise _TOKEN_ERRORS[refused.code]() from refused
    if venue.activity_id != activity_id:
        raise errors.CheckinTokenWrongActivity()
    return _checkin(
        activity_id=activity_id, person=person, direction=direction, method=CheckIn.Method.VENUE_QR, at=at
    )


def checkin_by_resident_token(
    *, token: str, activity: Activity, staff: User, direction: str, at: dt.datetime | None = None
) -> tuple[CheckIn, bool]:
    at = at or timezone.now()
    if not activity_staff_may_act(activity=activity, staff=staff):
        raise errors.NotOrganiserStaff()
    try:
        resident = tokens.resident_token_read(key=code_key(), token=token, at=at)
    except tokens.TokenRefused as refused:
        raise _TOKEN_ERRORS[refused.code]() from refused
    person = User.objects.filter(pk=resident.person_id, is_active=True).first()
    if person is None:
        raise errors.CheckinTokenInvalid()
    refuse_own_case(staff=staff, party_ids=[person.pk], subject=activity)
    return checkin_record(
        activity=activity,
        person=person,
        direction=direction,
        method=CheckIn.Method.RESIDENT_QR,
        at=at,
        entered_by=staff,
        token_id=resident.token_id,
    )


def checkin_manual(
    *,
    activity: Activity,
    person: User,
    staff: User,
    direction: str,
    reason: str,
    at: dt.datetime | None = None,
) -> tuple[CheckIn, bool]:
    """For people without a phone: staff enter them by hand, always with a reason."""
    if not activity_staff_may_act(activity=activity, staff=staff):
        raise errors.NotOrganiserStaff()
    refuse_own_case(staff=staff, party_ids=[person.pk], subject=activity)
    reason = required_reason(reason)
    return checkin_record(
        activity=activity,
        person=person,
        direction=direction,
        method=CheckIn.Method.MANUAL,
        at=at or timezone.now(),
        entered_by=staff,
        reason=reason.strip(),
    )


def checkin_record(
    *,
    activity: Activity,
    person: User,
    direction: str,
    method: str,
    at: dt.datetime,
    entered_by: User | None = None,
    reason: str = "",
    token_id: str | None = None,
) -> tuple[CheckIn, bool]:
    """(the check-in, whether it is new). A repeat of the same person and direction returns the
    first one unchanged."""
    return _checkin(
        activity_id=activity.pk,
        person=person,
        direction=direction,
        method=method,
        at=at,
        entered_by=entered_by,
        reason=reason,
        token_id=token_id,
    )


def _checkin(
    *,
    activity_id: int,
    person: User,
    direction: str,
    method: str,
    at: dt.datetime,
    entered_by: User | None = None,
    reason: str = "",
    token_id: str | None = None,
) -> tuple[CheckIn, bool]:
    # Most repeats (an app retrying, a second phone) find the first check-in with one read and
    # no lock; only a first scan takes the participation's row lock.
    existing = _existing(activity_id, person, direction)
    if existing is not None and not _replayed(existing, token_id):
        return existing, False
    with transaction.atomic():
        locked = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("activity")
            .filter(activity_id=activity_id, person=person, status=Participation.Status.REGISTERED)
            .order_by()[:1]  # unique per activity and person
        )
        participation = next(iter(locked), None)
        if participation is None:
            if not Activity.objects.filter(pk=activity_id).exists():
                raise Http404
            raise errors.NotRegistered()
        _require_open(participation.activity, at)
        # The participation's own times, written with each check-in under this lock, say whether
        # one exists: a first scan needs no further read.
        recorded = (
            participation.checked_in_at if direction == CheckIn.Direction.IN else participation.checked_out_at
        )
        existing = (
            None
            if recorded is None
            else CheckIn.objects.filter(participation=participation, direction=direction).first()
        )
        if existing is not None:
            if _replayed(existing, token_id):
                raise errors.CheckinTokenReplayed()
            existing.participation = participation
            return existing, False
        if token_id is not None and _token_used(token_id):
            raise errors.CheckinTokenReplayed()
        if direction == CheckIn.Direction.OUT and participation.checked_in_at is None:
            raise errors.NotCheckedIn()
        return _checkin_create(participation, direction, method, at, entered_by, reason, token_id), True


def _existing(activity_id: int, person: User, direction: str) -> CheckIn | None:
    rows = CheckIn.objects.filter(activity_id=activity_id, person=person, direction=direction).order_by()[:1]
    return next(iter(rows), None)


def _replayed(existing: CheckIn, token_id: str | None) -> bool:
    """A personal code already used for another scan is a copy; a fresh one just repeats."""
    return token_id is not None and existing.token_id != token_id and _token_used(token_id)


def _require_open(activity: Activity, at: dt.datetime) -> None:
    margin = dt.timedelta(minutes=settings.CHECKIN_OPEN_MINUTES)
    if not activity.starts_at - margin <= at <= activity.ends_at + margin:
        raise errors.CheckinOutsideTime()


def _token_used(token_id: str) -> bool:
    return CheckIn.objects.filter(token_id=token_id).exists()


def _checkin_create(
    participation: Participation,
    direction: str,
    method: str,
    at: dt.datetime,
    entered_by: User | None,
    reason: str,
    token_id: str | None,
) -> CheckIn:
    fields = {
        "participation": participation,
        "activity_id": participation.activity_id,
        "person_id": participation.person_id,
        "direction": direction,
        "method": method,
        "at": at,
        "entered_by": entered_by,
        "reason": reason,
        "token_id": token_id,
    }
    if token_id is None:  # the participation's lock already rules out a clash
        checkin = CheckIn.objects.create(**fields)
    else:
        try:
            with transaction.atomic():
                checkin = CheckIn.objects.create(**fields)
        except IntegrityError as clash:  # the same personal code scanned at the same moment elsewhere
            raise errors.CheckinTokenReplayed() from clash
    field = "checked_in_at" if direction == CheckIn.Direction.IN else "checked_out_at"
    setattr(participation, field, at)
    participation.save(update_fields=[field])
    return checkin


def checkouts_close_forgotten(*, now: dt.datetime | None = None) -> int:
    """Participations still checked in after their activity ended are checked out at its end."""
    now = now or timezone.now()
    closed = 0
    forgotten = Participation.objects.filter(
        checked_in_at__isnull=False, checked_out_at__isnull=True, activity__ends_at__lte=now
    ).values_list("pk", flat=True)
    for participation_id in forgotten:
        with transaction.atomic():
            participation = (
                Participation.objects.select_for_update().select_related("activity").get(pk=participation_id)
            )
            if participation.checked_out_at is not None:
                continue
            ends_at = max(
                participation.activity.ends_at, participation.checked_in_at or participation.activity.ends_at
            )
            CheckIn.objects.create(
                participation=participation,
                activity_id=participation.activity_id,
                person_id=participation.person_id,
                direction=CheckIn.Direction.OUT,
                method=CheckIn.Method.AUTOMATIC,
                at=ends_at,
            )
            participation.checked_out_at = ends_at
            participation.checked_out_automatically = True
            participation.save(update_fields=["checked_out_at", "checked_out_automatically"])
            closed += 1
    return closed


def participation_verify(
    *, participation: Participation, staff: User, minutes: int | None = None, reason: str = ""
) -> Participation:
    """The organiser confirms attendance that a check-in proves (the person's scan, or staff
    entering them by hand with a reason). Minutes come from check-in and check-out, or from staff
    with a reason; either way they are clipped to the activity's own length. Nobody verifies
    their own attendance. Announced to the layers above (points) once."""
    if not activity_staff_may_act(activity=participation.activity, staff=staff):
        raise errors.NotOrganiserStaff()
    return participation_verify_by_host(
        participation=participation, staff=staff, minutes=minutes, reason=reason
    )


def participation_verify_by_host(
    *, participation: Participation, staff: User, minutes: int | None = None, reason: str = ""
) -> Participation:
    """The same verification for an activity a layer above runs itself (the disaster volunteer
    centre's teams), which has checked the member of staff's right to it; nobody verifies their
    own attendance still."""
    refuse_own_case(staff=staff, party_ids=[participation.person_id], subject=participation)
    if minutes is not None:
        reason = required_reason(reason)
    with transaction.atomic():
        locked = Participation.objects.select_for_update().select_related("activity").get(pk=participation.pk)
        if locked.verified_at is not None:
            raise errors.AlreadyVerified()
        if locked.status != Participation.Status.REGISTERED:
            raise errors.NotRegistered()
        now = timezone.now()
        if now < locked.activity.starts_at:
            raise errors.ActivityNotStarted()
        if locked.checked_in_at is None:
            raise errors.NoAttendance()
        attended = _attended_minutes(locked) if minutes is None else minutes
        locked.minutes = min(attended, _length_minutes(locked.activity))
        locked.minutes_reason = reason.strip() if minutes is not None else ""
        locked.verified_at, locked.verified_by = now, staff
        locked.save(update_fields=["minutes", "minutes_reason", "verified_at", "verified_by"])
        _grant_training(locked)
        participation_verified.send(sender=Participation, participation_id=locked.pk)
    return locked


def _grant_training(participation: Participation) -> None:
    """A training event (ボランティア入門講座, 認知症サポーター養成講座 …) grants its qualification,
    from the day of the training, when attendance is verified."""
    qualification_type = participation.activity.grants_qualification
    if qualification_type is not None:
        qualification_grant(
            user=participation.person,
            qualification_type=qualification_type,
            obtained_on=timezone.localtime(participation.activity.starts_at).date(),
            source=f"event:{participation.activity_id}",
        )


def _length_minutes(activity: Activity) -> int:
    return int((activity.ends_at - activity.starts_at).total_seconds() // 60)


def _attended_minutes(participation: Participation) -> int:
    activity = participation.activity
    assert participation.checked_in_at is not None  # noqa: S101 (verified above, under the lock)
    start = max(participation.checked_in_at, activity.starts_at)
    end = min(participation.checked_out_at or activity.ends_at, activity.ends_at)
    return max(0, int((end - start).total_seconds() // 60))
