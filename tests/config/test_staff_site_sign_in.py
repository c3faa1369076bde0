"""Who signs in to the staff site: anyone whose role gives them a task page, with or without
Django's staff flag (an organisation's staff, once approved, run their events without waiting for
an administrator); a resident with neither, or the staff of a suspended organisation, is refused
at the sign-in with the form's usual message and no session."""

import pytest
from django.test import Client

from tests.factories import PASSWORD
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db


def sign_in(user: User) -> tuple[Client, int]:
    client = Client()
    answer = client.post("/staff/login/", {"username": user.email, "password": PASSWORD, "next": "/staff/"})
    return client, answer.status_code


def test_an_organisations_staff_sign_in_by_their_role_and_find_their_menu(organiser: User) -> None:
    assert organiser.is_staff is False

    client, status = sign_in(organiser)
    index = client.get("/staff/")

    assert status == 302
    assert index.status_code == 200
    assert [entry.title for entry in index.context["staff_menu"]()] == ["イベントと受付"]
    assert client.get("/staff/events/").status_code == 200
    assert client.get("/staff/queue/").status_code == 403


@pytest.mark.parametrize("who", ["resident", "suspended organiser"])
def test_someone_without_a_staff_role_is_refused_at_the_sign_in(
    who: str, resident: User, organiser: User, organisation: Organisation
) -> None:
    if who == "suspended organiser":
        Organisation.objects.filter(pk=organisation.pk).update(status=Organisation.Status.SUSPENDED)
    user = resident if who == "resident" else organiser

    client, status = sign_in(user)

    assert status == 200  # the form again, with its message
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/").status_code == 302


def test_a_coordinator_without_the_flag_signs_in_too(coordinator: User) -> None:
    User.objects.filter(pk=coordinator.pk).update(is_staff=False)

    client, status = sign_in(coordinator)

    assert status == 302
    assert client.get("/staff/queue/").status_code == 200
