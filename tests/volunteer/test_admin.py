"""The staff pages show a coordinator only the organisations of her areas."""

from typing import Any

import pytest
from django.test import Client

from plan_registry.models import Area
from tests.factories import OrganisationFactory, StaffRoleFactory, UserFactory
from volunteer.models import OrganisationDecision, StaffRole, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(coordinator: User) -> Client:
    """A coordinator holds no Django per-model permission: her role opens the pages."""
    client = Client()
    client.force_login(coordinator)
    return client


def test_the_list_is_scoped_to_the_coordinators_area(
    staff_client: Client, school_district: Area, other_school_district: Area
) -> None:
    OrganisationFactory(name="中央の団体", area=school_district)
    OrganisationFactory(name="北の団体", area=other_school_district)
    page = staff_client.get("/staff/volunteer/organisation/").content.decode()
    assert "中央の団体" in page
    assert "北の団体" not in page


def test_the_approve_action_goes_through_the_service_and_is_recorded(
    staff_client: Client, coordinator: User, school_district: Area
) -> None:
    organisation = OrganisationFactory(applied=True, area=school_district)
    response: Any = staff_client.post(
        "/staff/volunteer/organisation/", {"action": "approve", "_selected_action": [organisation.pk]}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == "approved"
    assert OrganisationDecision.objects.get().decided_by == coordinator


def test_the_people_pages_show_a_coordinator_only_the_residents_of_her_areas(
    coordinator: User, school_district: Area, other_school_district: Area
) -> None:
    here = UserFactory(email="here@example.com", school_district=school_district)
    there = UserFactory(email="there@example.com", school_district=other_school_district)
    client = Client()
    client.force_login(coordinator)

    listing = client.get("/staff/volunteer/user/").content.decode()

    assert here.email in listing
    assert there.email not in listing
    assert (
        client.get(f"/staff/volunteer/user/{there.pk}/change/").status_code == 302
    )  # not found: back to the list


def test_an_administrator_who_is_not_a_superuser_sees_the_people_of_her_areas_only(
    ward: Area, school_district: Area, other_school_district: Area
) -> None:
    administrator = UserFactory(email="admin-chuo@example.com", is_staff=True)
    StaffRoleFactory(user=administrator, role=StaffRole.Role.ADMINISTRATOR, areas=[ward])
    superuser = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    here = UserFactory(email="here@example.com", school_district=school_district)
    there = UserFactory(email="there@example.com", school_district=other_school_district)
    client = Client()

    client.force_login(administrator)
    listing = client.get("/staff/volunteer/user/").content.decode()
    client.force_login(superuser)
    everyone = client.get("/staff/volunteer/user/").content.decode()

    assert here.email in listing
    assert there.email not in listing
    assert here.email in everyone
    assert there.email in everyone
