"""Check-in, check-out and verification through the services."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from core.errors import ReasonRequired
from events import errors, services
from events.models import Activity, CheckIn, Participation
from points.models import LedgerTransaction
from tests.factories import ActivityFactory, ParticipationFactory, UserFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[list[Any], list[Any]]:
    return list(CheckIn.objects.values()), list(Participation.objects.values())


def test_scanning_the_venue_code_checks_in_once(
    registered: Participation, organiser: User, resident: User
) -> None:
    code = services.checkin_venue_token(activity=registered.activity, staff=organiser)

    first, created = services.checkin_by_venue_token(
        token=code, activity_id=registered.activity_id, person=resident, direction="in"
    )
    again, created_again = services.checkin_by_venue_token(
        token=code, activity_id=registered.activity_id, person=resident, direction="in"
    )

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert again.at == first.at
    assert CheckIn.objects.count() == 1
    registered.refresh_from_db()
    assert registered.checked_in_at == first.at


def test_a_code_of_another_activity_is_refused_and_nothing_is_written(
    registered: Participation, organiser: User, resident: User, running_activity: Activity
) -> None:
    other = ActivityFactory(organisation=running_activity.organisation, starts_at=running_activity.starts_at,
                            ends_at=running_activity.ends_at)  # fmt: skip
    code = services.checkin_venue_token(activity=other, staff=organiser)
    before = _snapshot()

    with pytest.raises(errors.CheckinTokenWrongActivity):
        services.checkin_by_venue_token(
            token=code, activity_id=registered.activity_id, person=resident, direction="in"
        )

    assert _snapshot() == before


@pytest.mark.parametrize(
    ("token", "error"),
    [("v1.v.1.1.forged", errors.CheckinTokenInvalid), ("nonsense", errors.CheckinTokenInvalid)],
)
def test_forged_codes_are_refused(registered: Participation, resident: User, token: str, error: type) -> None:
    with pytest.raises(error):
        services.checkin_by_venue_token(
            token=token, activity_id=registered.activity_id, person=resident, direction="in"
        )
    assert CheckIn.objects.count() == 0


def test_an_old_venue_code_is_refused(registered: Participation, organiser: User, resident: User) -> None:
    old = services.checkin_venue_token(
        activity=registered.activity, staff=organiser, at=timezone.now() - dt.timedelta(minutes=5)
    )

    with pytest.raises(errors.CheckinTokenExpired):
        services.checkin_by_venue_token(
            token=old, activity_id=registered.activity_id, person=resident, direction="in"
        )
    assert CheckIn.objects.count() == 0


def test_check_in_far_outside_the_activity_is_refused(
    organiser: User, resident: User, organisation: Any
) -> None:
    later = ActivityFactory(organisation=organisation)  # next week
    ParticipationFactory(activity=later, person=resident)
    code = services.checkin_venue_token(activity=later, staff=organiser)

    with pytest.raises(errors.CheckinOutsideTime):
        services.checkin_by_venue_token(token=code, activity_id=later.pk, person=resident, direction="in")
    assert CheckIn.objects.count() == 0


def test_someone_not_registered_cannot_check_in(running_activity: Activity, organiser: User) -> None:
    code = services.checkin_venue_token(activity=running_activity, staff=organiser)

    with pytest.raises(errors.NotRegistered):
        services.checkin_by_venue_token(
            token=code, activity_id=running_activity.pk, person=UserFactory(), direction="in"
        )


def test_check_out_needs_a_check_in(registered: Participation, organiser: User, resident: User) -> None:
    code = services.checkin_venue_token(activity=registered.activity, staff=organiser)

    with pytest.raises(errors.NotCheckedIn):
        services.checkin_by_venue_token(
            token=code, activity_id=registered.activity_id, person=resident, direction="out"
        )


def test_staff_scan_a_residents_code_once(registered: Participation, organiser: User, resident: User) -> None:
    code = services.checkin_resident_token(person=resident)

    checkin, _ = services.checkin_by_resident_token(
        token=code, activity=registered.activity, staff=organiser, direction="in"
    )
    repeat, created = services.checkin_by_resident_token(
        token=code, activity=registered.activity, staff=organiser, direction="in"
    )
    with pytest.raises(errors.CheckinTokenReplayed):
        services.checkin_by_resident_token(
            token=code, activity=registered.activity, staff=organiser, direction="out"
        )

    assert checkin.method == CheckIn.Method.RESIDENT_QR
    assert checkin.entered_by == organiser
    assert (repeat.pk, created) == (checkin.pk, False)
    assert CheckIn.objects.count() == 1


def test_only_organising_staff_scan_residents(
    registered: Participation, resident: User, other_resident: User
) -> None:
    code = services.checkin_resident_token(person=resident)

    with pytest.raises(errors.NotOrganiserStaff):
        services.checkin_by_resident_token(
            token=code, activity=registered.activity, staff=other_resident, direction="in"
        )


def test_manual_entry_needs_a_reason(registered: Participation, organiser: User, resident: User) -> None:
    with pytest.raises(ReasonRequired):
        services.checkin_manual(
            activity=registered.activity, person=resident, staff=organiser, direction="in", reason=" "
        )

    checkin, _ = services.checkin_manual(
        activity=registered.activity, person=resident, staff=organiser, direction="in", reason="携帯電話なし"
    )
    assert (checkin.method, checkin.reason) == (CheckIn.Method.MANUAL, "携帯電話なし")


def test_a_forgotten_check_out_closes_at_the_activitys_end(
    registered: Participation, organiser: User
) -> None:
    services.checkin_manual(
        activity=registered.activity, person=registered.person, staff=organiser, direction="in", reason="受付"
    )

    assert services.checkouts_close_forgotten() == 0  # still running
    after_end = registered.activity.ends_at + dt.timedelta(minutes=1)
    assert services.checkouts_close_forgotten(now=after_end) == 1
    assert services.checkouts_close_forgotten(now=after_end) == 0

    registered.refresh_from_db()
    assert registered.checked_out_at == registered.activity.ends_at
    assert registered.checked_out_automatically


def test_verification_counts_minutes_from_check_in_and_out(
    registered: Participation, organiser: User
) -> None:
    activity = registered.activity
    services.checkin_record(activity=activity, person=registered.person, direction="in", method="manual",
                            at=activity.starts_at - dt.timedelta(minutes=10))  # fmt: skip
    services.checkin_record(activity=activity, person=registered.person, direction="out", method="manual",
                            at=activity.starts_at + dt.timedelta(minutes=95))  # fmt: skip

    verified = services.participation_verify(participation=registered, staff=organiser)

    assert verified.minutes == 95  # from the start: arriving early does not count
    assert verified.verified_by == organiser
    assert verified.verified_at is not None


def test_staff_set_minutes_only_with_a_reason(entered: Participation, organiser: User) -> None:
    with pytest.raises(ReasonRequired):
        services.participation_verify(participation=entered, staff=organiser, minutes=90)

    verified = services.participation_verify(
        participation=entered, staff=organiser, minutes=90, reason="紙の出席簿"
    )
    assert (verified.minutes, verified.minutes_reason) == (90, "紙の出席簿")


def test_verifying_without_a_check_in_or_twice_is_refused(registered: Participation, organiser: User) -> None:
    with pytest.raises(errors.NoAttendance):
        services.participation_verify(participation=registered, staff=organiser)
    with pytest.raises(errors.NoAttendance):  # minutes from staff prove no presence either
        services.participation_verify(participation=registered, staff=organiser, minutes=60, reason="出席簿")
    registered.refresh_from_db()
    assert (registered.verified_at, registered.minutes) == (None, None)
    assert not LedgerTransaction.objects.exists()

    services.checkin_manual(
        activity=registered.activity,
        person=registered.person,
        staff=organiser,
        direction="in",
        reason="出席簿",
    )
    services.participation_verify(participation=registered, staff=organiser, minutes=60, reason="出席簿")
    with pytest.raises(errors.AlreadyVerified):
        services.participation_verify(participation=registered, staff=organiser, minutes=90, reason="訂正")
    registered.refresh_from_db()
    assert registered.minutes == 60


def test_staff_of_another_area_cannot_verify(registered: Participation, coordinator_elsewhere: User) -> None:
    with pytest.raises(errors.NotOrganiserStaff):
        services.participation_verify(
            participation=registered, staff=coordinator_elsewhere, minutes=60, reason="x"
        )
    registered.refresh_from_db()
    assert registered.verified_at is None


def test_verification_awards_points_after_commit(
    entered: Participation, organiser: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_verify(participation=entered, staff=organiser, minutes=60, reason="出席簿")

    award = LedgerTransaction.objects.get(participation=entered)
    assert award.business_key.startswith(f"award:{entered.pk}:")
    assert award.entries.get(account__owner=entered.person).amount == 100
