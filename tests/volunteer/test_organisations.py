"""Organisations apply; coordinators of their area approve or reject, on record."""

from typing import Any

import pytest
from django.core import mail

from plan_registry.models import Area
from tests.factories import OrganisationFactory
from volunteer.models import Organisation, OrganisationDecision, User

pytestmark = pytest.mark.django_db


def _apply(client: Any, area: Area, **extra: Any) -> Any:
    body = {"name": "NPO 子育てひろば", "kind": "npo", "area": area.code, **extra}
    return client.post("/api/v1/organisations/", body, format="json")


def test_an_application_is_stored_and_coordinators_of_the_area_are_told(
    client_for: Any,
    resident: User,
    coordinator: User,
    coordinator_elsewhere: User,
    school_district: Area,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _apply(client_for(resident), school_district)
    assert response.status_code == 201
    organisation = Organisation.objects.get()
    assert (organisation.status, organisation.applied_by) == (Organisation.Status.APPLIED, resident)
    assert organisation.coordinators_notified_at is not None
    assert [message.to for message in mail.outbox] == [["coordinator@example.com"]]
    assert "NPO 子育てひろば" in mail.outbox[0].subject


def test_an_applicant_does_not_act_for_the_organisation_before_approval(
    client_for: Any, resident: User, school_district: Area
) -> None:
    _apply(client_for(resident), school_district)
    assert client_for(resident).get("/api/v1/me/").json()["roles"] == ["resident"]
    listed = client_for(resident).get("/api/v1/organisations/").json()
    assert [(o["name"], o["status"]) for o in listed] == [("NPO 子育てひろば", "applied")]


def test_an_application_with_an_unknown_area_is_refused(client_for: Any, resident: User) -> None:
    response = client_for(resident).post(
        "/api/v1/organisations/", {"name": "x", "kind": "npo", "area": "nowhere"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "area"
    assert not Organisation.objects.exists()


def test_coordinator_approves_with_a_record(
    client_for: Any, coordinator: User, school_district: Area
) -> None:
    organisation = OrganisationFactory(applied=True, area=school_district)
    response = client_for(coordinator).post(
        f"/api/v1/staff/organisations/{organisation.pk}/approve/", {}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    decision = OrganisationDecision.objects.get()
    assert (decision.action, decision.decided_by, decision.organisation) == (
        "approve",
        coordinator,
        organisation,
    )


def test_rejecting_needs_a_reason(client_for: Any, coordinator: User, school_district: Area) -> None:
    organisation = OrganisationFactory(applied=True, area=school_district)
    url = f"/api/v1/staff/organisations/{organisation.pk}/reject/"
    refused = client_for(coordinator).post(url, {"reason": " "}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "reason_required"
    assert refused.json()["message"] == "理由を入力してください。"
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.APPLIED
    assert not OrganisationDecision.objects.exists()

    done = client_for(coordinator).post(url, {"reason": "活動実態が確認できません"}, format="json")
    assert done.json()["status"] == "rejected"
    assert OrganisationDecision.objects.get().reason == "活動実態が確認できません"


def test_a_coordinator_of_another_area_does_not_see_the_application(
    client_for: Any, coordinator_elsewhere: User, school_district: Area
) -> None:
    organisation = OrganisationFactory(applied=True, area=school_district)
    client = client_for(coordinator_elsewhere)
    assert client.get("/api/v1/staff/organisations/").json()["results"] == []
    response = client.post(f"/api/v1/staff/organisations/{organisation.pk}/approve/", {}, format="json")
    assert response.status_code == 404
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.APPLIED
    assert not OrganisationDecision.objects.exists()


def test_a_resident_cannot_use_the_staff_queue(
    client_for: Any, resident: User, school_district: Area
) -> None:
    organisation = OrganisationFactory(applied=True, area=school_district)
    response = client_for(resident).post(f"/api/v1/staff/organisations/{organisation.pk}/approve/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_staff"
    assert client_for(resident).get("/api/v1/staff/organisations/").status_code == 403
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.APPLIED


def test_deciding_twice_is_a_conflict(client_for: Any, coordinator: User, school_district: Area) -> None:
    organisation = OrganisationFactory(applied=True, area=school_district)
    client = client_for(coordinator)
    client.post(f"/api/v1/staff/organisations/{organisation.pk}/approve/", {}, format="json")
    again = client.post(
        f"/api/v1/staff/organisations/{organisation.pk}/reject/", {"reason": "x"}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "organisation_already_decided"
    assert OrganisationDecision.objects.count() == 1


def test_only_an_approved_care_facility_can_be_a_care_host(
    client_for: Any, coordinator: User, school_district: Area
) -> None:
    npo = OrganisationFactory(area=school_district)
    facility = OrganisationFactory(care_facility=True, area=school_district)
    client = client_for(coordinator)
    refused = client.post(
        f"/api/v1/staff/organisations/{npo.pk}/care-host/",
        {"is_care_host": True, "reason": "登録申請"},
        format="json",
    )
    assert refused.json()["code"] == "care_host_needs_care_facility"
    npo.refresh_from_db()
    assert not npo.is_care_host
    done = client.post(
        f"/api/v1/staff/organisations/{facility.pk}/care-host/",
        {"is_care_host": True, "reason": "登録申請"},
        format="json",
    )
    assert done.json()["is_care_host"] is True
    assert list(OrganisationDecision.objects.values_list("action", flat=True)) == ["set_care_host"]


def test_the_database_refuses_a_care_host_that_is_not_a_care_facility(school_district: Area) -> None:
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        OrganisationFactory(kind=Organisation.Kind.NPO, is_care_host=True, area=school_district)
