"""A matching request that always fails is tried a bounded number of times, each try counted
even though the run rolls back, then parked with its error where staff see it (the dead letters);
the sweep leaves it be, and an administrator runs it again once the cause is mended."""

from typing import Any

import pytest
from django.test import Client

from matching import tasks
from matching.models import MatchingRequest
from matching.services import runs
from tests.factories import MatchingRequestFactory, StaffRoleFactory, UserFactory
from volunteer.models import StaffRole, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def poison(monkeypatch: pytest.MonkeyPatch) -> MatchingRequest:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the engine found no feasible model")

    monkeypatch.setattr(runs, "_run", broken)
    return MatchingRequestFactory(kind=MatchingRequest.Kind.FULL, object_id=None)


def test_a_request_that_always_fails_is_parked_after_its_tries(
    poison: MatchingRequest, settings: Any
) -> None:
    settings.MATCHING_MAX_ATTEMPTS = 3
    for _ in range(3):
        with pytest.raises(RuntimeError):
            tasks.matching_request_process_task(poison.pk)
    poison.refresh_from_db()
    assert poison.attempts == 3  # each try counted, though each run rolled back
    assert poison.last_error == "RuntimeError: the engine found no feasible model"

    assert tasks.matching_request_process_task(poison.pk) is None  # parked, not run again
    poison.refresh_from_db()
    assert poison.parked_at is not None
    assert runs.matching_sweep(now=poison.created_at.replace(year=poison.created_at.year + 1)) == []


def test_an_administrator_runs_a_parked_request_again(
    poison: MatchingRequest, settings: Any, monkeypatch: pytest.MonkeyPatch, coordinator: User
) -> None:
    settings.MATCHING_MAX_ATTEMPTS = 1
    with pytest.raises(RuntimeError):
        tasks.matching_request_process_task(poison.pk)
    poison.refresh_from_db()
    assert poison.parked_at is not None
    monkeypatch.undo()  # the cause is mended
    administrator = UserFactory(is_staff=True, is_superuser=False)
    StaffRoleFactory(user=administrator, role=StaffRole.Role.ADMINISTRATOR)
    page = "/staff/matching/matchingrequest/"
    action = {"action": "run_again", "_selected_action": [poison.pk]}

    as_coordinator = Client()
    as_coordinator.force_login(coordinator)
    as_coordinator.post(page, action)
    poison.refresh_from_db()
    assert poison.parked_at is not None  # the action is the administrators'

    as_administrator = Client()
    as_administrator.force_login(administrator)
    listed = as_administrator.get(page, {"parked": "yes"}).content.decode()
    assert "RuntimeError: the engine found no feasible model" in listed
    assert as_administrator.post(page, action).status_code == 302
    poison.refresh_from_db()
    assert (poison.parked_at, poison.attempts, poison.last_error) == (None, 1, "")
    assert poison.processed_at is not None  # published, and run at once here (tasks run eagerly)
