"""Consent: the current terms and privacy policy are needed to post, be matched and verify one's
identity; consent can be withdrawn, with that effect; every change is kept."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Activity
from matching.models import Offer
from tests import factories
from tests.matching.test_matching_flow import post_offer
from volunteer.models import Consent, Organisation, User
from volunteer.selectors import people_who_may_be_matched

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue() -> None:
    factories.ActivityCategoryFactory(code="listening")
    factories.SkillFactory(code="listening")


@pytest.fixture
def newcomer(school_district: object) -> User:
    """Signed up, and has agreed to nothing yet."""
    return factories.UserFactory(email="new@example.com", school_district=school_district, consents=False)


def test_posting_needs_the_current_terms_and_nothing_is_stored_without(
    client_for: Callable[[User], APIClient], newcomer: User
) -> None:
    response = post_offer(client_for(newcomer))

    assert response.status_code == 403
    assert response.json()["code"] == "consent_required"
    assert not Offer.objects.filter(person=newcomer).exists()
    assert newcomer not in people_who_may_be_matched()


def test_agreeing_to_the_current_versions_lets_the_person_post_and_be_matched(
    client_for: Callable[[User], APIClient], newcomer: User, settings: object
) -> None:
    client = client_for(newcomer)
    before = client.get("/api/v1/me/consents/").json()
    assert before["missing"] == ["privacy", "terms"]

    for document, version in before["current"].items():
        assert (
            client.post(
                "/api/v1/me/consents/", {"document": document, "version": version}, format="json"
            ).status_code
            == 200
        )

    assert client.get("/api/v1/me/consents/").json()["missing"] == []
    assert post_offer(client).status_code == 201
    assert newcomer in people_who_may_be_matched()


def test_an_older_version_is_not_enough_when_the_terms_change(
    client_for: Callable[[User], APIClient], resident: User, settings: object
) -> None:
    settings.CONSENT_CURRENT_VERSIONS = {"terms": "2027-04", "privacy": "2025-04"}  # type: ignore[attr-defined]

    response = post_offer(client_for(resident))

    assert response.status_code == 403
    assert client_for(resident).get("/api/v1/me/consents/").json()["missing"] == ["terms"]
    assert resident not in people_who_may_be_matched()


def test_withdrawing_consent_stops_posting_and_matching_and_every_change_is_kept(
    client_for: Callable[[User], APIClient], resident: User
) -> None:
    client = client_for(resident)

    withdrawn = client.delete("/api/v1/me/consents/terms/")

    assert withdrawn.status_code == 200
    assert withdrawn.json()["missing"] == ["terms"]
    assert post_offer(client).status_code == 403
    assert resident not in people_who_may_be_matched()

    client.post("/api/v1/me/consents/", {"document": "terms", "version": "2025-04"}, format="json")

    history = [
        (row["document"], row["withdrawn_at"] is None)
        for row in client.get("/api/v1/me/consents/").json()["history"]
        if row["document"] == "terms"
    ]
    assert history == [("terms", False), ("terms", True)]  # the withdrawn period, then the new one
    assert Consent.objects.filter(user=resident, document="terms").count() == 2
    assert post_offer(client).status_code == 201


def test_withdrawing_a_guardians_consent_stops_a_minors_registration(
    client_for: Callable[[User], APIClient], organisation: Organisation
) -> None:
    minor = factories.UserFactory(
        email="minor@example.com", birth_date=timezone.localdate() - dt.timedelta(days=15 * 365)
    )
    factories.ConsentFactory(user=minor, document="guardian")
    client = client_for(minor)
    client.delete("/api/v1/me/consents/guardian/")
    event = factories.ActivityFactory(kind=Activity.Kind.EVENT, organisation=organisation, capacity=5)

    response = client.post(f"/api/v1/events/{event.pk}/register/")

    assert response.status_code == 403
    assert response.json()["code"] == "guardian_consent_required"


def test_an_unknown_document_is_a_404(client_for: Callable[[User], APIClient], resident: User) -> None:
    response = client_for(resident).delete("/api/v1/me/consents/no-such-document/")

    assert response.status_code == 404
    assert Consent.objects.filter(user=resident, withdrawn_at__isnull=False).count() == 0


def test_identity_verification_needs_the_current_terms(
    client_for: Callable[[User], APIClient], newcomer: User
) -> None:
    response = client_for(newcomer).post("/api/v1/me/identity/verification/", {}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "consent_required"
