"""Attendance that proves presence: staff verify only a person who checked in (their own scan,
or entered at the door by someone else with a reason); minutes never exceed the activity's
length; nobody verifies or enters themselves. Each refusal changes nothing."""

from typing import Any

import pytest
from django.utils import timezone

from core.errors import OwnCase
from events import errors, services
from events.models import Activity, CheckIn, Participation
from points import services as points_services
from points.errors import NotVerifiedParticipation
from points.models import Certificate, LedgerTransaction
from tests.factories import ParticipationFactory
from volunteer.models import User

pytestmark = pytest.mark.django_db


def _nothing_changed_for(participation: Participation) -> None:
    participation.refresh_from_db()
    assert (participation.verified_at, participation.minutes) == (None, None)
    assert not LedgerTransaction.objects.filter(participation=participation).exists()


def test_organisers_cannot_verify_their_own_attendance_at_their_own_event(
    organiser: User, running_activity: Activity
) -> None:
    own = ParticipationFactory(activity=running_activity, person=organiser)
    code = services.checkin_venue_token(activity=running_activity, staff=organiser)
    services.checkin_by_venue_token(
        token=code, activity_id=running_activity.pk, person=organiser, direction="in"
    )

    with pytest.raises(OwnCase):
        services.participation_verify(participation=own, staff=organiser)
    with pytest.raises(OwnCase):
        services.participation_verify(participation=own, staff=organiser, minutes=1440, reason="自分で")

    _nothing_changed_for(own)


def test_staff_cannot_enter_themselves_at_the_door(organiser: User, running_activity: Activity) -> None:
    ParticipationFactory(activity=running_activity, person=organiser)

    with pytest.raises(OwnCase):
        services.checkin_manual(
            activity=running_activity, person=organiser, staff=organiser, direction="in", reason="来ました"
        )
    with pytest.raises(OwnCase):
        services.checkin_by_resident_token(
            token=services.checkin_resident_token(person=organiser),
            activity=running_activity,
            staff=organiser,
            direction="in",
        )

    assert not CheckIn.objects.exists()


def test_a_resident_who_never_checked_in_is_not_verified_with_minutes_from_staff(
    registered: Participation, organiser: User
) -> None:
    with pytest.raises(errors.NoAttendance):
        services.participation_verify(participation=registered, staff=organiser, minutes=60, reason="出席簿")

    _nothing_changed_for(registered)


def test_minutes_from_staff_are_clipped_to_the_activitys_length(
    entered: Participation, organiser: User
) -> None:
    length = entered.activity.ends_at - entered.activity.starts_at

    verified = services.participation_verify(
        participation=entered, staff=organiser, minutes=1440, reason="一日中いた"
    )

    assert verified.minutes == int(length.total_seconds() // 60) == 120


def test_a_participation_of_no_minutes_earns_nothing_and_certifies_nothing(
    entered: Participation, organiser: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_verify(participation=entered, staff=organiser, minutes=0, reason="すぐ帰った")

    assert not LedgerTransaction.objects.filter(participation=entered).exists()
    with pytest.raises(NotVerifiedParticipation):
        points_services.certificate_issue(person=entered.person, participation=entered)
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(("minutes", "points"), [(29, 0), (30, 100)])
def test_kumamoto_points_need_thirty_minutes(
    entered: Participation,
    organiser: User,
    minutes: int,
    points: int,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_verify(
            participation=entered, staff=organiser, minutes=minutes, reason="出席簿"
        )

    awarded = LedgerTransaction.objects.filter(participation=entered, scheme__code="kumamoto")
    assert sum(e.amount for t in awarded for e in t.entries.filter(account__owner=entered.person)) == points


def test_the_api_answers_each_refusal_with_its_code(
    client_for: Any, organiser: User, running_activity: Activity, registered: Participation
) -> None:
    own = ParticipationFactory(activity=running_activity, person=organiser, checked_in_at=timezone.now())

    results = client_for(organiser).post(
        f"/api/v1/staff/events/{running_activity.pk}/verify/",
        {"participations": [registered.pk, own.pk], "minutes": 60, "reason": "出席簿"},
        format="json",
    )

    assert results.status_code == 200
    assert [(r["participation"], r["ok"], r["code"]) for r in results.json()] == [
        (registered.pk, False, "no_attendance"),
        (own.pk, False, "own_case"),
    ]
    _nothing_changed_for(registered)
    _nothing_changed_for(own)
