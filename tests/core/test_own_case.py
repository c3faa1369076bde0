"""Nobody decides on their own case: a coordinator cannot approve an organisation they applied
for or belong to (nor make it a care host), nor approve or void their own redemption, nor decide
their own conversion, nor confirm, reject or make a match they are part of. Each refusal answers
`own_case`, changes nothing and is recorded (core.models.OwnCaseRefusal). The tests commit for
real (transaction=True): the record must outlive the rollback of the refused decision."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from core.errors import OwnCase
from core.models import OwnCaseRefusal
from events.models import Activity, CheckIn
from matching.models import Match, MatchDecision
from matching.services import decisions
from plan_registry.models import Area
from points import services as points_services
from points.models import Account, ConversionRequest, Entry, Redemption, Scheme
from tests.factories import (
    MatchFactory,
    MembershipFactory,
    NeedFactory,
    OrganisationFactory,
    ParticipationFactory,
    RewardFactory,
    UserFactory,
    VerifiedIdentityFactory,
)
from volunteer import services as volunteer_services
from volunteer.models import Organisation, OrganisationDecision, User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _schemes(city_schemes_configured: None) -> None:
    """Redemptions and conversions need the city's schemes."""


def _refusals() -> list[tuple[int | None, str]]:
    return list(OwnCaseRefusal.objects.order_by("pk").values_list("actor_id", "subject"))


def _ledger() -> tuple[list[Any], list[Any]]:
    return list(Account.objects.values("pk", "balance")), list(Entry.objects.values())


def test_a_coordinator_cannot_approve_an_organisation_they_applied_for(
    client_for: Any, coordinator: User, school_district: Area
) -> None:
    applied = volunteer_services.organisation_apply(
        user=coordinator, name="わたしのNPO", kind=Organisation.Kind.NPO, area=school_district
    )

    answer = client_for(coordinator).post(
        f"/api/v1/staff/organisations/{applied.pk}/approve/", {}, format="json"
    )

    assert (answer.status_code, answer.json()["code"]) == (403, "own_case")
    applied.refresh_from_db()
    assert applied.status == Organisation.Status.APPLIED
    assert not OrganisationDecision.objects.exists()
    assert _refusals() == [(coordinator.pk, f"volunteer.organisation:{applied.pk}")]


def test_a_member_cannot_make_their_organisation_a_care_host(
    coordinator: User, school_district: Area
) -> None:
    facility = OrganisationFactory(care_facility=True, area=school_district)
    MembershipFactory(organisation=facility, user=coordinator)

    with pytest.raises(OwnCase):
        volunteer_services.organisation_set_care_host(
            organisation=facility, staff=coordinator, is_care_host=True, reason="登録"
        )

    facility.refresh_from_db()
    assert not facility.is_care_host
    assert not OrganisationDecision.objects.exists()
    assert _refusals() == [(coordinator.pk, f"volunteer.organisation:{facility.pk}")]


def test_a_coordinator_cannot_decide_their_own_redemption(coordinator: User) -> None:
    kumamoto = Scheme.objects.get(code="kumamoto")
    VerifiedIdentityFactory(person=coordinator)  # a reward is handed over to the verified name
    participation = ParticipationFactory(person=coordinator, minutes=60, verified_at=timezone.now())
    points_services.participation_award(participation_id=participation.pk)
    redemption = points_services.redemption_hold(
        person=coordinator, reward=RewardFactory(scheme=kumamoto, cost=100)
    )
    before = _ledger()

    with pytest.raises(OwnCase):
        points_services.redemption_approve(redemption=redemption, staff=coordinator)
    with pytest.raises(OwnCase):
        points_services.redemption_void(redemption=redemption, staff=coordinator, reason="やめる")

    assert _ledger() == before
    assert Redemption.objects.get().status == Redemption.Status.HELD
    assert _refusals() == [(coordinator.pk, f"points.redemption:{redemption.pk}")] * 2
    points_services.redemption_approve(redemption=redemption, staff=UserFactory(is_superuser=True))
    assert Redemption.objects.get().status == Redemption.Status.APPROVED


def test_a_coordinator_cannot_decide_their_own_conversion(coordinator: User) -> None:
    care = Scheme.objects.get(code="care-support")
    host = OrganisationFactory(care_facility=True, is_care_host=True)
    coordinator.birth_date = dt.date(1950, 1, 1)
    coordinator.save(update_fields=["birth_date"])
    VerifiedIdentityFactory(person=coordinator, birth_date=dt.date(1950, 1, 1))
    for day in range(6):
        starts = timezone.make_aware(dt.datetime(2025, 7, 1 + day, 10))
        participation = ParticipationFactory(
            person=coordinator,
            activity__organisation=host,
            activity__starts_at=starts,
            activity__ends_at=starts + dt.timedelta(hours=2),
            minutes=120,
            verified_at=timezone.now(),
        )
        points_services.participation_award(participation_id=participation.pk)
    request = points_services.conversion_request(
        person=coordinator, scheme=care, fiscal_year=2025, today=dt.date(2026, 2, 10)
    )
    before = _ledger()

    with pytest.raises(OwnCase):
        points_services.conversion_decide(request=request, staff=coordinator, approve=True)

    assert _ledger() == before
    assert ConversionRequest.objects.get().status == ConversionRequest.Status.REQUESTED
    assert _refusals() == [(coordinator.pk, f"points.conversionrequest:{request.pk}")]


def test_a_coordinator_cannot_decide_a_match_they_are_part_of(
    client_for: Any, coordinator: User, school_district: Area
) -> None:
    as_volunteer = MatchFactory(need=NeedFactory(school_district=school_district), volunteer=coordinator)
    as_requester = MatchFactory(need=NeedFactory(school_district=school_district, requester=coordinator))
    need = NeedFactory(school_district=school_district)
    client = client_for(coordinator)

    confirmed = client.post(f"/api/v1/staff/matches/{as_volunteer.pk}/confirm/", {}, format="json")
    rejected = client.post(f"/api/v1/staff/matches/{as_requester.pk}/reject/", {"reason": "x"}, format="json")
    with pytest.raises(OwnCase):
        decisions.match_create_manual(
            need=need,
            volunteer=coordinator,
            staff=coordinator,
            reason="私が行く",
        )

    assert [(r.status_code, r.json()["code"]) for r in (confirmed, rejected)] == [(403, "own_case")] * 2
    assert set(Match.objects.values_list("status", flat=True)) == {Match.Status.PROPOSED}
    assert not MatchDecision.objects.exists()
    assert _refusals() == [
        (coordinator.pk, f"matching.match:{as_volunteer.pk}"),
        (coordinator.pk, f"matching.match:{as_requester.pk}"),
        (coordinator.pk, f"matching.need:{need.pk}"),
    ]


def test_organisation_staff_cannot_enter_or_verify_their_own_attendance(
    client_for: Any, organiser: User, running_activity: Activity
) -> None:
    activity = running_activity
    own = ParticipationFactory(activity=activity, person=organiser, checked_in_at=activity.starts_at)
    client = client_for(organiser)

    entered = client.post(
        f"/api/v1/staff/events/{activity.pk}/checkins/",
        {"person": organiser.pk, "direction": "in", "reason": "受付"},
        format="json",
    )
    verified = client.post(
        f"/api/v1/staff/events/{activity.pk}/verify/",
        {"participations": [own.pk], "minutes": 60, "reason": "出席簿"},
        format="json",
    )

    assert (entered.status_code, entered.json()["code"]) == (403, "own_case")
    assert [(r["ok"], r["code"]) for r in verified.json()] == [(False, "own_case")]
    own.refresh_from_db()
    assert own.verified_at is None
    assert not CheckIn.objects.exists()
    assert _refusals() == [
        (organiser.pk, f"events.activity:{activity.pk}"),
        (organiser.pk, f"events.participation:{own.pk}"),
    ]


def test_a_refusal_sent_with_an_idempotency_key_stays_recorded(
    client_for: Any, coordinator: User, school_district: Area
) -> None:
    """The key's transaction wraps the whole decision and is rolled back by the refusal: the
    record is kept all the same."""
    applied = volunteer_services.organisation_apply(
        user=coordinator, name="わたしのNPO", kind=Organisation.Kind.NPO, area=school_district
    )

    answer = client_for(coordinator).post(
        f"/api/v1/staff/organisations/{applied.pk}/approve/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert (answer.status_code, answer.json()["code"]) == (403, "own_case")
    assert _refusals() == [(coordinator.pk, f"volunteer.organisation:{applied.pk}")]
