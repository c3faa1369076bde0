"""Each kind of deferred work on real workers, against the two ways a worker loses it: the worker
SIGKILLed in the middle of the task (inside its transaction), and the message lost from the
broker before any worker took it. Either way the database still holds the work, the kind's sweep
re-drives it, and it is done exactly once however often the sweep runs (core.deferred)."""

import datetime as dt
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from celery import Task
from django.conf import settings
from django.utils import timezone

from events.models import Participation
from matching.models import Match, MatchingRequest
from matching.tasks import matching_request_process_task, matching_sweep_task
from plan_registry.models import Area
from points.models import LedgerTransaction, ParticipationAwarded
from points.tasks import awards_sweep_task, participation_award_task
from tests.factories import (
    ActivityCategoryFactory,
    ActivityFactory,
    NeedFactory,
    NotificationFactory,
    OfferFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
)
from tests.integration.conftest import StartWorker, database_url, wait_for
from volunteer.models import Notification, NotificationDelivery, Organisation, User
from volunteer.tasks import (
    deferred_sweep_task,
    notification_deliver_task,
    organisation_application_notify_task,
)

pytestmark = pytest.mark.integration

LONG_AGO = dt.timedelta(minutes=10)  # older than any sweep's threshold
SWEEPS_AT_ONCE = {
    "MATCHING_SWEEP_AFTER_SECONDS": "0",
    "POINTS_AWARD_SWEEP_AFTER_SECONDS": "0",
    "DEFERRED_SWEEP_AFTER_SECONDS": "0",
}


@dataclass
class Work:
    """One piece of deferred work: its task and arguments, the row the task locks first (held from
    outside to stop the worker inside its transaction), its sweep, and how to tell it is done once."""

    task: Task
    args: tuple[Any, ...]
    locked_row: tuple[str, int]
    sweep: Task
    done: Callable[[], bool]
    exactly_once: Callable[[], None]


def _matching(school_district: Area, **_: Any) -> Work:
    ActivityCategoryFactory(code="listening", name="傾聴")
    for number in range(3):
        OfferFactory(person=UserFactory(email=f"helper{number}@example.com"), school_district=school_district)
    need = NeedFactory(school_district=school_district, headcount=2)
    request = MatchingRequest.objects.create(
        kind="need", object_id=need.pk, created_at=timezone.now() - LONG_AGO
    )

    def exactly_once() -> None:
        volunteers = list(Match.objects.filter(need=need).values_list("volunteer_id", flat=True))
        assert len(volunteers) == 2
        assert len(set(volunteers)) == 2

    return Work(
        task=matching_request_process_task,
        args=(request.pk,),
        locked_row=("matching_need", need.pk),
        sweep=matching_sweep_task,
        done=lambda: MatchingRequest.objects.get(pk=request.pk).processed_at is not None,
        exactly_once=exactly_once,
    )


def _award(organiser: User, resident: User, **_: Any) -> Work:
    organisation = organiser.memberships.get().organisation
    starts = timezone.now() - dt.timedelta(hours=3)
    activity = ActivityFactory(
        organisation=organisation, starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
    participation = ParticipationFactory(activity=activity, person=resident)
    Participation.objects.filter(pk=participation.pk).update(
        minutes=90, verified_at=timezone.now() - LONG_AGO, verified_by=organiser
    )

    def exactly_once() -> None:
        awards = LedgerTransaction.objects.filter(participation=participation)
        assert awards.count() == 1
        assert resident.point_accounts.get(scheme__code="kumamoto").balance == 100
        assert Notification.objects.filter(user=resident, kind="points_awarded").count() == 1

    return Work(
        task=participation_award_task,
        args=(participation.pk,),
        locked_row=("events_participation", participation.pk),
        sweep=awards_sweep_task,
        done=lambda: ParticipationAwarded.objects.filter(participation=participation).exists(),
        exactly_once=exactly_once,
    )


def _notification(resident: User, mail: Path, **_: Any) -> Work:
    notification = NotificationFactory(
        user=resident, created_at=timezone.now() - LONG_AGO, title="活動のお知らせ"
    )

    def exactly_once() -> None:
        channels = NotificationDelivery.objects.filter(notification=notification)
        assert sorted(channels.values_list("channel", flat=True)) == ["email", "push"]
        assert _mails_to(mail, resident.email) == 1

    return Work(
        task=notification_deliver_task,
        args=(notification.pk,),
        locked_row=("volunteer_user", resident.pk),
        sweep=deferred_sweep_task,
        done=lambda: NotificationDelivery.objects.filter(notification=notification).count() == 2,
        exactly_once=exactly_once,
    )


def _application_email(coordinator: User, school_district: Area, mail: Path, **_: Any) -> Work:
    organisation = OrganisationFactory(
        applied=True, area=school_district, applied_at=timezone.now() - LONG_AGO
    )

    return Work(
        task=organisation_application_notify_task,
        args=(organisation.pk,),
        locked_row=("volunteer_organisation", organisation.pk),
        sweep=deferred_sweep_task,
        done=lambda: Organisation.objects.get(pk=organisation.pk).coordinators_notified_at is not None,
        exactly_once=lambda: _assert_mails(mail, coordinator.email, 1),
    )


def _assert_mails(mail: Path, address: str, count: int) -> None:
    assert _mails_to(mail, address) == count


def _mails_to(mail: Path, address: str) -> int:
    messages = [path.read_text(encoding="utf-8") for path in mail.glob("*.log")] if mail.exists() else []
    return sum(message.count(f"To: {address}") for message in messages)


KINDS = {
    "matching": _matching,
    "award": _award,
    "notification": _notification,
    "application-email": _application_email,
}


@pytest.fixture
def make_work(
    organiser: User,
    resident: User,
    coordinator: User,
    school_district: Area,
    city_schemes_configured: None,
    tmp_path: Path,
) -> Callable[[str], Work]:
    people = {"organiser": organiser, "resident": resident, "coordinator": coordinator}
    return lambda kind: KINDS[kind](school_district=school_district, mail=tmp_path / "mail", **people)


def _sweep_now(work: Work) -> int:
    """The sweep as it runs once it has reached the front of the queue: how much it re-drove."""
    return int(work.sweep.delay(timezone.now().isoformat()).get(timeout=60))


def _sweep_until_done(work: Work) -> None:
    work.sweep.delay().get(timeout=60)  # as beat does: it joins the queue, then re-drives
    assert wait_for(work.done, seconds=60)
    assert wait_for(lambda: _sweep_now(work) == 0, seconds=60)  # nothing left to do
    work.exactly_once()


@pytest.mark.parametrize("kind", KINDS)
def test_a_worker_killed_inside_the_task_leaves_it_to_the_sweep_done_once(
    start_worker: StartWorker, make_work: Callable[[str], Work], kind: str
) -> None:
    work = make_work(kind)
    table, row = work.locked_row
    url = database_url().replace("postgres://", "postgresql://")
    with psycopg.connect(url, autocommit=False) as blocker, psycopg.connect(url, autocommit=True) as observer:
        blocker.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", [row])  # noqa: S608 (our tables)
        worker = start_worker(**SWEEPS_AT_ONCE)
        work.task.delay(*work.args)
        assert wait_for(lambda: _waiting_on_a_lock(observer), seconds=30)
        os.kill(worker.pid, signal.SIGKILL)  # the worker dies holding an open transaction
        worker.wait(timeout=20)
        blocker.rollback()
    assert not work.done()

    start_worker(**SWEEPS_AT_ONCE)
    _sweep_until_done(work)


@pytest.mark.parametrize("kind", KINDS)
def test_a_message_lost_from_the_broker_is_done_once_by_the_sweep(
    start_worker: StartWorker, make_work: Callable[[str], Work], kind: str
) -> None:
    work = make_work(kind)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    work.task.delay(*work.args)  # no worker yet: the message waits in the queue …
    assert broker.llen("celery") >= 1
    broker.delete("celery")  # … and is lost (a flushed or failed-over Redis)

    start_worker(**SWEEPS_AT_ONCE)
    assert not work.done()
    _sweep_until_done(work)


def _waiting_on_a_lock(observer: psycopg.Connection[Any]) -> bool:
    # An autocommit connection: inside one transaction pg_stat_activity would stay a snapshot.
    row = observer.execute(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
    ).fetchone()
    return bool(row and row[0] > 0)


@pytest.mark.parametrize("kind", KINDS)
def test_a_sweep_goes_to_the_back_of_the_queue_and_leaves_queued_work_to_its_message(
    start_worker: StartWorker, make_work: Callable[[str], Work], kind: str
) -> None:
    """The sweep cannot tell the work's own message, still queued behind busy workers, from a lost
    one: it joins the queue behind it (core.deferred.sweep_behind_the_queue) rather than queue the
    work twice, and by the time it looks the work is done."""
    work = make_work(kind)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("celery")
    work.task.delay(*work.args)  # waiting for a worker

    assert work.sweep.apply().get() == 0
    assert broker.llen("celery") == 2  # the work's message, then the sweep, stamped
    assert not work.done()

    start_worker(**SWEEPS_AT_ONCE)
    assert wait_for(lambda: broker.llen("celery") == 0 and work.done(), seconds=60)
    assert _sweep_now(work) == 0
    work.exactly_once()


@pytest.mark.parametrize("kind", KINDS)
def test_a_queue_that_is_never_empty_does_not_keep_a_sweep_from_redriving_lost_work(
    start_worker: StartWorker, make_work: Callable[[str], Work], kind: str
) -> None:
    """Beat publishes the sweeps together: each finds the others queued. A sweep that waited for
    an empty queue never ran under that (nor under steady load); one behind the queue does."""
    work = make_work(kind)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("celery")  # the work's message was lost
    for _ in range(3):
        for sweep in (matching_sweep_task, awards_sweep_task, deferred_sweep_task):
            sweep.delay()
    assert broker.llen("celery") == 9

    start_worker(**SWEEPS_AT_ONCE)
    assert wait_for(work.done, seconds=60)
    assert wait_for(lambda: broker.llen("celery") == 0, seconds=60)
    assert _sweep_now(work) == 0
    work.exactly_once()
