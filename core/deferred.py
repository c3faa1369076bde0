"""Deferred work: published after the commit, never at the cost of the request.

A service that leaves work for a worker writes what is to be done in the database (a matching
request, a verified participation without its award, a notification without its deliveries, an
application whose coordinators are not told yet) and calls `publish_after_commit`. If the broker
(Redis) cannot take the message just then, the request still answers its true result at once:
the failure is logged and the work stays in the database, where a periodic sweep finds it and
publishes it again. Every task published here names its sweep (`redriven_by`), and a test holds
that each sweep is in the beat schedule, so no kind of deferred work can be lost for good.

A sweep cannot tell a lost message from one still waiting in the queue behind a busy worker: run
while the workers are behind, it would queue the same work again, and again at its next run,
doubling their load just when they can least afford it. Nor may it wait for an empty queue, which
under steady load (or beside the other sweeps) may never come. So a sweep first goes to the back
of the queue (`sweep_behind_the_queue`) and looks only once the workers have taken everything
queued before it: what is undone then was lost, and is done then.
"""

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from celery import current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a broker that is down or unreachable raises when a message is published.
UNPUBLISHABLE = (BrokerError, RedisError, OSError)

# Task name → the name of the periodic task that re-drives its work from the database.
REDRIVEN_BY: dict[str, str] = {}


class Task(Protocol):
    name: str

    def apply_async(self, *args: Any, **kwargs: Any) -> Any: ...


Function = TypeVar("Function", bound=Callable[..., Any])


def redriven_by(sweep: str) -> Callable[[Function], Function]:
    """Declares, on a task's function (below `@shared_task`), the sweep that re-drives its work;
    the task's name is Celery's default, the function's module and name."""

    def declare(function: Function) -> Function:
        REDRIVEN_BY[f"{function.__module__}.{function.__name__}"] = sweep
        return function

    return declare


def publish_after_commit(task: Task, *args: Any) -> None:
    """Publishes the task once the current transaction commits (at once outside one)."""
    if task.name not in REDRIVEN_BY:
        raise LookupError(f"{task.name} has no sweep: declare one with core.deferred.redriven_by")
    transaction.on_commit(lambda: publish(task, *args))


def publish(task: Task, *args: Any) -> bool:
    """Publishes now; False, logged, if the broker cannot take it (the sweep will). The result is
    not tracked (`ignore_result`): nothing waits for it, and tracking it would wait on Redis too."""
    try:
        task.apply_async(args=args, retry=False, ignore_result=True)
    except UNPUBLISHABLE as error:
        logger.warning(
            "%s%r not published (%s: %s); %s will re-drive it",
            task.name,
            args,
            type(error).__name__,
            error,
            REDRIVEN_BY.get(task.name, "no sweep"),
        )
        return False
    return True


def sweep_behind_the_queue(sweep: Task, queued_at: str | None) -> dt.datetime | None:
    """The moment a sweep looks back from, or None when it has only just joined the queue.

    Run by beat (no `queued_at`), a sweep publishes itself again, stamped with the time, and stops:
    it runs for real when the workers reach it, after every message queued before it (the queue is
    first in, first out). What is still undone then, and was written before the stamp less the
    sweep's threshold, had no message left in the queue: it was lost, or its worker died. So a sweep
    never re-drives work still waiting behind busy workers, and a queue that is never empty (steady
    load, the other sweeps) cannot keep it from running. In the embedded mode nothing queues: the
    sweep runs at once."""
    if queued_at is not None:
        return dt.datetime.fromisoformat(queued_at)
    now = timezone.now()
    if current_app.conf.task_always_eager:
        return now
    publish(sweep, now.isoformat())
    return None
