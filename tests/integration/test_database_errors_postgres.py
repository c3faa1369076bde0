"""A real deadlock between two PostgreSQL connections: the service that loses is run again by
`retry_transient` and both finish; no request sees the deadlock."""

import threading
from collections import Counter

import pytest
from django.db import connection

from core.db import retry_transient
from tests.factories import UserFactory
from volunteer.models import User

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_deadlock_is_retried_and_both_transactions_finish(caplog: pytest.LogCaptureFixture) -> None:
    assert connection.vendor == "postgresql"
    first, second = UserFactory(display_name="before"), UserFactory(display_name="before")
    both_hold_one = threading.Barrier(2)
    attempts: Counter[str] = Counter()
    failures: list[BaseException] = []

    @retry_transient(base_delay=0.01)
    def lock_both(mine: int, theirs: int, name: str) -> None:
        attempts[name] += 1
        User.objects.select_for_update().get(pk=mine)
        if attempts[name] == 1:
            both_hold_one.wait(timeout=10)  # each holds its row and reaches for the other's
        User.objects.select_for_update().get(pk=theirs)
        User.objects.filter(pk=mine).update(display_name=name)

    def run(mine: int, theirs: int, name: str) -> None:
        try:
            lock_both(mine, theirs, name)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(first.pk, second.pk, "one")),
        threading.Thread(target=run, args=(second.pk, first.pk, "two")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    assert sorted(attempts.values()) == [1, 2]  # PostgreSQL chose one to abort; it ran again
    assert set(User.objects.filter(pk__in=[first.pk, second.pk]).values_list("display_name", flat=True)) == {
        "one",
        "two",
    }
    assert "DeadlockDetected, attempt 1 of 3" in caplog.text
