"""A transient database error (a deadlock, a serialization failure) is tried again inside the
service where its transaction is the outermost; whatever still fails, and a database that is down,
answers 503 `database_busy` with Retry-After, in the JSON shape on the API and as a page elsewhere.
The same with a real deadlock between two PostgreSQL connections is in
tests/integration/test_database_errors_postgres.py."""

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from core.api.views import PingView
from core.db import retry_transient
from events import views as event_views
from volunteer.models import User


class Sqlstate(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


def transient(sqlstate: str = "40P01") -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = Sqlstate(sqlstate)
    return error


def flaky(failures: list[BaseException]) -> tuple[Any, list[int]]:
    calls: list[int] = []

    def work() -> str:
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return "done"

    return work, calls


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_or_serialization_failure_is_tried_again() -> None:
    work, calls = flaky([transient("40P01"), transient("40001")])

    assert retry_transient(base_delay=0.001)(work)() == "done"
    assert len(calls) == 3


@pytest.mark.django_db(transaction=True)
def test_the_tries_are_bounded_and_other_errors_are_not_retried() -> None:
    always, always_calls = flaky([transient()] * 5)
    down, down_calls = flaky([OperationalError("server closed the connection unexpectedly")])

    with pytest.raises(OperationalError):
        retry_transient(attempts=3, base_delay=0.001)(always)()
    with pytest.raises(OperationalError):
        retry_transient(base_delay=0.001)(down)()
    assert (len(always_calls), len(down_calls)) == (3, 1)


@pytest.mark.django_db
def test_inside_a_callers_transaction_nothing_is_retried() -> None:
    work, calls = flaky([transient()])

    with pytest.raises(OperationalError):
        retry_transient(base_delay=0.001)(work)()
    assert len(calls) == 1  # the caller's transaction is broken: only the caller can start again


@pytest.mark.django_db
def test_the_api_answers_503_with_retry_after_in_the_error_shape(
    client_for: Any, resident: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(PingView, "get", down)

    response = client_for(resident).get("/api/v1/ping/", HTTP_ACCEPT_LANGUAGE="ja")

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json()["code"] == "database_busy"
    assert response.json()["message"] == "ただいま混み合っています。少し待ってからもう一度お試しください。"


@pytest.mark.django_db
def test_a_staff_page_answers_503_with_retry_after(organiser: User, monkeypatch: pytest.MonkeyPatch) -> None:
    def down(**kwargs: Any) -> None:
        raise transient()

    monkeypatch.setattr(event_views.selectors, "activity_list_for_staff", down)
    client = Client(raise_request_exception=False)
    client.force_login(organiser)

    response = client.get("/staff/events/")

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
