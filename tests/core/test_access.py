"""One role rule for an endpoint and its staff page: the API's permission and the page's check
ask the user model the same question."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from core.access import role_required, user_has_any_role
from plan_registry.permissions import PlanOfficeOnly
from tests.factories import StaffRoleFactory, UserFactory
from volunteer.api.permissions import IsCoordinator
from volunteer.models import StaffRole

pytestmark = pytest.mark.django_db


def test_the_plan_offices_roles_are_roles_the_people_app_knows() -> None:
    assert set(PlanOfficeOnly.roles) <= set(StaffRole.Role.values)
    assert StaffRole.Role.PLAN_OFFICE in PlanOfficeOnly.roles


@pytest.mark.parametrize(
    ("role", "coordinator", "plan_office"),
    [
        (None, False, False),
        (StaffRole.Role.COORDINATOR, True, False),
        (StaffRole.Role.PLAN_OFFICE, False, True),
        (StaffRole.Role.ADMINISTRATOR, True, True),
    ],
)
def test_the_api_and_the_page_admit_the_same_people(
    role: str | None, coordinator: bool, plan_office: bool
) -> None:
    user = UserFactory()
    if role is not None:
        StaffRoleFactory(user=user, role=role)
    request = RequestFactory().get("/staff/")
    request.user = user

    for permission, admitted in ((IsCoordinator, coordinator), (PlanOfficeOnly, plan_office)):
        assert permission().has_permission(request, None) is admitted
        if admitted:
            role_required(request, permission)
        else:
            with pytest.raises(PermissionDenied):
                role_required(request, permission)


def test_a_superuser_counts_as_an_administrator_and_nobody_anonymous_gets_in() -> None:
    superuser = UserFactory(is_superuser=True)

    assert user_has_any_role(superuser, StaffRole.Role.ADMINISTRATOR)
    assert not user_has_any_role(superuser, StaffRole.Role.COORDINATOR)
    assert not user_has_any_role(AnonymousUser(), StaffRole.Role.ADMINISTRATOR)


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 403), (StaffRole.Role.PLAN_OFFICE, 403), (StaffRole.Role.ADMINISTRATOR, 200)],
)
def test_the_match_queue_page_admits_whom_its_endpoint_admits(
    client: Client, role: str | None, status: int
) -> None:
    user = UserFactory(is_staff=True)
    if role is not None:
        StaffRoleFactory(user=user, role=role)
    client.force_login(user)

    page = client.get("/staff/queue/")
    endpoint = APIClient()
    endpoint.force_authenticate(user)

    assert page.status_code == status
    assert endpoint.get("/api/v1/staff/matches/").status_code == status
