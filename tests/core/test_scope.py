"""Coordinators act on the residents of their own areas only (the resident's home district
decides) for redemptions, conversions and certificates; staff of an organisation that is not
approved (suspended) act for it in nothing. Refusals are 404s that change nothing."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from events.models import Activity
from plan_registry.models import Area
from points import services as points_services
from points.models import Account, Certificate, Entry, Redemption, Scheme
from tests.factories import ActivityFactory, ParticipationFactory, RewardFactory, VerifiedIdentityFactory
from volunteer.models import Organisation, OrganisationMembership, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _schemes(city_schemes_configured: None) -> None:
    """Redemptions need the city's schemes."""


@pytest.fixture
def held(resident: User) -> Redemption:
    """A 中央区 resident's redemption waiting for staff."""
    VerifiedIdentityFactory(person=resident)
    participation = ParticipationFactory(person=resident, minutes=60, verified_at=timezone.now())
    points_services.participation_award(participation_id=participation.pk)
    reward = RewardFactory(scheme=Scheme.objects.get(code="kumamoto"), cost=100)
    return points_services.redemption_hold(person=resident, reward=reward)


def _ledger() -> tuple[list[object], list[object]]:
    return list(Account.objects.values("pk", "balance")), list(Entry.objects.values())


def test_a_coordinator_of_another_ward_neither_sees_nor_decides_a_redemption(
    client_for: Any, held: Redemption, coordinator: User, coordinator_elsewhere: User
) -> None:
    elsewhere = client_for(coordinator_elsewhere)
    before = _ledger()

    listed = elsewhere.get("/api/v1/staff/redemptions/").json()
    approved = elsewhere.post(f"/api/v1/staff/redemptions/{held.pk}/approve/", {}, format="json")

    assert listed["count"] == 0
    assert approved.status_code == 404
    assert _ledger() == before
    assert Redemption.objects.get().status == Redemption.Status.HELD
    here = client_for(coordinator)
    assert here.get("/api/v1/staff/redemptions/").json()["count"] == 1
    assert here.post(f"/api/v1/staff/redemptions/{held.pk}/approve/", {}, format="json").status_code == 200


def test_a_coordinator_of_another_ward_cannot_revoke_a_residents_certificate(
    client_for: Any, resident: User, coordinator_elsewhere: User
) -> None:
    participation = ParticipationFactory(person=resident, minutes=60, verified_at=timezone.now())
    certificate = points_services.certificate_issue(person=resident, participation=participation)

    revoked = client_for(coordinator_elsewhere).post(
        f"/api/v1/staff/certificates/{certificate.pk}/revoke/", {"reason": "不正"}, format="json"
    )

    assert revoked.status_code == 404
    assert Certificate.objects.get().revoked_at is None


@pytest.mark.parametrize("status", [Organisation.Status.SUSPENDED, Organisation.Status.REJECTED])
def test_staff_of_an_organisation_that_is_not_approved_act_for_it_in_nothing(
    client_for: Any, organiser: User, school_district: Area, status: str
) -> None:
    organisation = OrganisationMembership.objects.get(user=organiser).organisation
    event = ActivityFactory(
        kind=Activity.Kind.EVENT,
        organisation=organisation,
        school_district=school_district,
        starts_at=timezone.now() + dt.timedelta(days=1),
        ends_at=timezone.now() + dt.timedelta(days=1, hours=2),
    )
    Organisation.objects.filter(pk=organisation.pk).update(status=status)
    client = client_for(organiser)

    answers = [
        client.patch(f"/api/v1/staff/events/{event.pk}/", {"title": "乗っ取り"}, format="json").status_code,
        client.get(f"/api/v1/staff/events/{event.pk}/checkin-token/").status_code,
        client.get("/api/v1/staff/events/").status_code,
    ]

    assert answers == [403, 403, 403]  # not_event_staff: they act for no approved organisation
    event.refresh_from_db()
    assert event.title != "乗っ取り"
