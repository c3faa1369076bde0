"""A broker that cannot take a message never fails the request: the write answers its true
result, the work waits in the database, and a sweep publishes it later, once.

The broker is made to refuse here by patching Celery's publish; the same with Redis stopped for
real is in tests/integration/test_broker_outage.py."""

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from celery.app.task import Task
from django.conf import settings
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.deferred import REDRIVEN_BY
from events.models import Activity, Participation
from matching import tasks as matching_tasks
from matching.models import MatchingRequest
from plan_registry.models import Area
from points import tasks as points_tasks
from points.models import ParticipationAwarded
from tests.factories import ActivityCategoryFactory, ParticipationFactory, UserFactory
from volunteer import services as volunteer_services
from volunteer import tasks as volunteer_tasks
from volunteer.models import Notification, NotificationDelivery, Organisation, User

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "volunteer", "matching", "events", "points", "plan_registry")


@pytest.fixture
def broker_down(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every publish fails as kombu fails when Redis is down; yields the names tried."""
    tried: list[str] = []

    def refuse(task: Task, *args: Any, **kwargs: Any) -> None:
        tried.append(task.name)
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(Task, "apply_async", refuse)
    return tried


def _later(*, seconds: int) -> Any:
    """A clock that many seconds ahead, for the sweep."""
    ahead = timezone.now() + dt.timedelta(seconds=seconds)
    return lambda: ahead


def test_every_task_published_after_a_commit_names_a_sweep_that_beat_runs() -> None:
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    published = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            published |= set(re.findall(r"publish(?:_after_commit)?\(\s*(?:tasks\.)?(\w+_task)\b", source))
            # Nothing publishes around the helper: a bare delay() or an on_commit of its own.
            assert (
                not re.search(r"\.delay\(|\.apply_async\(|on_commit\(", source) or path.name == "deferred.py"
            ), path

    assert published, "the search found no publishing at all"
    assert {name.rsplit(".", 1)[1] for name in REDRIVEN_BY} >= published
    assert set(REDRIVEN_BY.values()) <= scheduled


def test_a_need_posted_while_the_broker_is_down_is_stored_and_matched_by_the_sweep(
    client_for: Any,
    resident: User,
    school_district: Area,
    broker_down: list[str],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ActivityCategoryFactory(code="listening")
    starts = (timezone.localtime() + dt.timedelta(days=7)).replace(hour=10, minute=0)
    window = {"starts_at": starts.isoformat(), "ends_at": (starts + dt.timedelta(hours=1)).isoformat()}
    body = {
        "title": "買い物の付き添い",
        "category": "listening",
        "school_district": school_district.code,
        "address": "熊本市中央区桜町1-2-3",
        "windows": [window],
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(resident).post("/api/v1/needs/", body, format="json")

    assert response.status_code == 201
    assert broker_down == ["matching.tasks.matching_request_process_task"]
    waiting = MatchingRequest.objects.get()
    assert waiting.processed_at is None

    monkeypatch.undo()  # the broker is back
    monkeypatch.setattr(timezone, "now", _later(seconds=settings.MATCHING_SWEEP_AFTER_SECONDS + 1))
    assert matching_tasks.matching_sweep_task() == 1
    waiting.refresh_from_db()
    assert waiting.processed_at is not None
    assert matching_tasks.matching_sweep_task() == 0


def test_an_application_and_a_notification_lost_to_the_broker_are_sent_later_once(
    client_for: Any,
    resident: User,
    coordinator: User,
    school_district: Area,
    broker_down: list[str],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = {"name": "NPO 子育てひろば", "kind": "npo", "area": school_district.code}

    with django_capture_on_commit_callbacks(execute=True):
        applied = client_for(resident).post("/api/v1/organisations/", application, format="json")
        notification = volunteer_services.notification_send(
            user=resident, kind="match_proposed", title="新しい提案", body="", dedupe_key="match:1"
        )

    assert applied.status_code == 201
    assert sorted(broker_down) == [
        "volunteer.tasks.notification_deliver_task",
        "volunteer.tasks.organisation_application_notify_task",
    ]
    assert mail.outbox == []
    assert not NotificationDelivery.objects.exists()

    monkeypatch.undo()
    monkeypatch.setattr(timezone, "now", _later(seconds=settings.DEFERRED_SWEEP_AFTER_SECONDS + 1))
    assert volunteer_tasks.deferred_sweep_task() == 2
    assert volunteer_tasks.deferred_sweep_task() == 0

    assert [message.to for message in mail.outbox].count([coordinator.email]) == 1
    assert Organisation.objects.get().coordinators_notified_at is not None
    assert NotificationDelivery.objects.filter(notification=notification).count() == 2
    assert Notification.objects.count() == 1


def test_a_bulk_verification_with_the_broker_down_verifies_every_item_and_awards_later(
    client_for: Any,
    organiser: User,
    school_district: Area,
    running_activity: Activity,
    broker_down: list[str],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    city_schemes_configured: None,
) -> None:
    event, starts_at = running_activity, running_activity.starts_at
    participations = [
        ParticipationFactory(
            activity=event, person=UserFactory(school_district=school_district), checked_in_at=starts_at
        )
        for _ in range(5)
    ]
    body = {"participations": [p.pk for p in participations], "minutes": 60, "reason": "出席簿"}

    with django_capture_on_commit_callbacks(execute=True):
        results = client_for(organiser).post(f"/api/v1/staff/events/{event.pk}/verify/", body, format="json")

    assert results.status_code == 200
    assert [(r["ok"], r["code"]) for r in results.json()] == [(True, None)] * 5  # each its own transaction
    assert Participation.objects.filter(verified_at__isnull=False).count() == 5
    assert broker_down.count("points.tasks.participation_award_task") == 5
    assert not ParticipationAwarded.objects.exists()

    monkeypatch.undo()
    monkeypatch.setattr(timezone, "now", _later(seconds=settings.POINTS_AWARD_SWEEP_AFTER_SECONDS + 1))
    assert points_tasks.awards_sweep_task() == 5
    assert points_tasks.awards_sweep_task() == 0
    assert ParticipationAwarded.objects.count() == 5
