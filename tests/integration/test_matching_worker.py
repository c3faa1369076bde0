"""Matching on real workers: a new need is matched through Redis, and a worker killed in the
middle of a run leaves nothing behind; the sweep re-drives the request exactly once."""

import datetime as dt
import os
import signal
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from matching.models import Match, MatchingRequest, Need
from matching.tasks import matching_sweep_task
from plan_registry.models import Area
from tests.factories import ActivityCategoryFactory, NeedFactory, OfferFactory, UserFactory
from tests.integration.conftest import StartWorker, database_url, wait_for
from volunteer.models import User

pytestmark = pytest.mark.integration


def next_tuesday(hour: int) -> dt.datetime:
    today = timezone.localdate()
    days = (1 - today.weekday()) % 7 or 7
    return dt.datetime.combine(
        today + dt.timedelta(days=days), dt.time(hour), tzinfo=timezone.get_current_timezone()
    )


def test_a_worker_matches_a_new_need(
    start_worker: StartWorker, client_for: Any, resident: User, other_resident: User, school_district: Area
) -> None:
    assert connection.vendor == "postgresql"
    start_worker()
    ActivityCategoryFactory(code="listening", name="傾聴")
    OfferFactory(person=resident, school_district=school_district)
    start = next_tuesday(10)
    response = client_for(other_resident).post(
        "/api/v1/needs/",
        {
            "title": "サロンの話し相手",
            "category": "listening",
            "school_district": school_district.code,
            "windows": [
                {"starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=1)).isoformat()}
            ],
        },
        format="json",
    )
    assert response.status_code == 201
    assert wait_for(lambda: Match.objects.filter(need_id=response.json()["id"]).exists())
    match = Match.objects.get()
    assert (match.volunteer, match.status) == (resident, "proposed")
    assert match.reason.startswith("同じ校区・火曜午前")
    assert wait_for(lambda: MatchingRequest.objects.filter(processed_at__isnull=True).count() == 0)


def test_a_worker_killed_mid_run_leaves_no_duplicates_after_redelivery(
    start_worker: StartWorker, school_district: Area
) -> None:
    ActivityCategoryFactory(code="listening", name="傾聴")
    for number in range(3):
        OfferFactory(person=UserFactory(email=f"helper{number}@example.com"), school_district=school_district)
    need = NeedFactory(school_district=school_district, headcount=2)

    # Hold the need's row lock from outside, so the worker's run blocks inside its transaction.
    url = database_url().replace("postgres://", "postgresql://")
    with psycopg.connect(url, autocommit=False) as blocker, psycopg.connect(url, autocommit=True) as observer:
        blocker.execute("SELECT id FROM matching_need WHERE id = %s FOR UPDATE", [need.pk])
        worker = start_worker(MATCHING_SWEEP_AFTER_SECONDS="0")
        request = MatchingRequest.objects.create(kind="need", object_id=need.pk, created_at=timezone.now())
        from matching.tasks import matching_request_process_task

        matching_request_process_task.delay(request.pk)
        assert wait_for(lambda: _waiting_on_a_lock(observer), seconds=30)
        os.kill(worker.pid, signal.SIGKILL)  # the worker dies holding an open transaction
        worker.wait(timeout=20)
        blocker.rollback()

    assert not Match.objects.exists()
    request.refresh_from_db()
    assert request.processed_at is None

    start_worker(MATCHING_SWEEP_AFTER_SECONDS="0")
    matching_sweep_task.delay()
    assert wait_for(lambda: MatchingRequest.objects.get(pk=request.pk).processed_at is not None)
    matching_sweep_task.delay().get(timeout=30)  # a second sweep finds nothing to re-drive
    matches = list(Match.objects.filter(need=need).values_list("volunteer__email", flat=True))
    assert len(matches) == 2
    assert len(set(matches)) == 2
    assert Need.objects.get(pk=need.pk).matches.filter(status="proposed").count() == 2


def _waiting_on_a_lock(observer: psycopg.Connection[Any]) -> bool:
    # An autocommit connection: inside one transaction pg_stat_activity would stay a snapshot.
    row = observer.execute(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
    ).fetchone()
    return bool(row and row[0] > 0)
