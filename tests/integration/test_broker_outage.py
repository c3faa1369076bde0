"""Redis stopped for real while residents and staff write: every request answers its true status
within a second, and once Redis is back the sweeps re-drive what was left, each piece once.

The test runs its own redis-server (the suite's shared one must stay up for the other tests),
points this process's Celery app and a real worker at it, and kills it with SIGKILL."""

import datetime as dt
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kombu.pools
import pytest
import redis
from django.utils import timezone

from config.celery import app as celery_app
from core.deferred import publish
from events import services as events_services
from events.models import Activity, CheckIn
from matching import tasks as matching_tasks
from matching.models import Match, MatchingRequest
from plan_registry.models import Area
from tests.factories import (
    ActivityCategoryFactory,
    ActivityFactory,
    MatchFactory,
    NeedFactory,
    OfferFactory,
    ParticipationFactory,
)
from tests.integration.conftest import StartWorker, wait_for
from volunteer import tasks as volunteer_tasks
from volunteer.models import Notification, NotificationDelivery, Organisation, OrganisationMembership, User

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class RedisServer:
    def __init__(self, directory: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        self.process = subprocess.Popen(  # noqa: S603 (Debian's redis-server, our arguments)
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        assert wait_for(lambda: _answers(client), seconds=10)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    previous = (celery_app.conf.broker_url, celery_app.conf.result_backend)
    _point_celery_at(server.url, server.url)
    yield server
    if server.process is not None and server.process.poll() is None:
        server.kill()
    _point_celery_at(*previous)


def _point_celery_at(broker: str | None, backend: str | None) -> None:
    """This process's Celery app on another Redis: new URLs, and no pooled connection or producer
    left from the old (kombu keeps them in global pools, which are reset and made again)."""
    kombu.pools.reset()
    celery_app.conf.update(broker_url=broker, result_backend=backend)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None  # the result backend: made again, on the new URL, when asked
    celery_app._local.__dict__.pop("backend", None)


def _timed(call: Any) -> tuple[Any, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_writes_answer_at_once_while_redis_is_down_and_nothing_is_lost_or_doubled(
    own_redis: RedisServer,
    start_worker: StartWorker,
    client_for: Any,
    resident: User,
    other_resident: User,
    coordinator: User,
    organiser: User,
    school_district: Area,
    tmp_path: Path,
) -> None:
    ActivityCategoryFactory(code="listening")
    proposed = MatchFactory(
        need=NeedFactory(requester=other_resident, school_district=school_district),
        offer=OfferFactory(person=resident, school_district=school_district),
    )
    starts_at = timezone.now() - dt.timedelta(minutes=10)
    event = ActivityFactory(
        kind=Activity.Kind.EVENT,
        organisation=OrganisationMembership.objects.get(user=organiser).organisation,
        school_district=school_district,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
    )
    ParticipationFactory(activity=event, person=resident)
    venue_code = events_services.checkin_venue_token(activity=event, staff=organiser)
    window = (timezone.localtime() + dt.timedelta(days=7)).replace(hour=10, minute=0)
    need = {
        "title": "買い物の付き添い",
        "category": "listening",
        "school_district": school_district.code,
        "windows": [
            {"starts_at": window.isoformat(), "ends_at": (window + dt.timedelta(hours=1)).isoformat()}
        ],
    }
    application = {"name": "NPO 子育てひろば", "kind": "npo", "area": school_district.code}

    # A process that has served before (the first request of a test process imports half of Django
    # and of the broker's client): warmed with a read and one message while Redis is up.
    assert client_for(resident).get("/api/v1/me/").status_code == 200
    assert publish(matching_tasks.matching_sweep_task)

    own_redis.kill()
    answers = [
        _timed(lambda: client_for(other_resident).post("/api/v1/needs/", need, format="json")),
        _timed(lambda: client_for(resident).post("/api/v1/organisations/", application, format="json")),
        _timed(
            lambda: client_for(coordinator).post(
                f"/api/v1/staff/matches/{proposed.pk}/confirm/", {}, format="json"
            )
        ),
        _timed(
            lambda: client_for(resident).post(
                "/api/v1/checkins/",
                {"event": event.pk, "token": venue_code, "direction": "in"},
                format="json",
            )
        ),
    ]

    assert [response.status_code for response, _ in answers] == [201, 201, 200, 201]
    assert max(seconds for _, seconds in answers) < 1.0, [seconds for _, seconds in answers]
    assert MatchingRequest.objects.filter(processed_at__isnull=True).exists()
    assert CheckIn.objects.count() == 1
    waiting_notifications = Notification.objects.count()
    assert waiting_notifications >= 1  # the volunteer told of the confirmation
    assert not NotificationDelivery.objects.exists()

    # Redis is back (empty: whatever it held is gone), a worker runs, and the sweeps, run by beat
    # every minute, re-drive the work from the database.
    own_redis.start()
    # A sweep looks when a worker reaches it (core.deferred.sweep_behind_the_queue): the worker's
    # thresholds are the ones that count.
    start_worker(REDIS_URL=own_redis.url, MATCHING_SWEEP_AFTER_SECONDS="0", DEFERRED_SWEEP_AFTER_SECONDS="0")

    def swept() -> bool:
        matching_tasks.matching_sweep_task()
        volunteer_tasks.deferred_sweep_task()
        return (
            not MatchingRequest.objects.filter(processed_at__isnull=True).exists()
            and NotificationDelivery.objects.count() == 2 * Notification.objects.count()
            and not Organisation.objects.filter(
                status=Organisation.Status.APPLIED, coordinators_notified_at__isnull=True
            ).exists()
        )

    assert wait_for(swept, seconds=60)
    assert Notification.objects.count() == waiting_notifications
    assert Match.objects.filter(pk=proposed.pk, status=Match.Status.CONFIRMED).exists()
    sent = [path.read_text(encoding="utf-8") for path in (tmp_path / "mail").glob("*.log")]
    assert sum(f"To: {coordinator.email}" in message for message in sent) == 1
