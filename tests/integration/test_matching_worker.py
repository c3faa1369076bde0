"""Matching on real workers: a new need is matched through Redis. (A worker killed in the middle of
a run, and a lost message: tests/integration/test_worker_faults.py.)"""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from matching.models import Match, MatchingRequest
from plan_registry.models import Area
from tests.factories import ActivityCategoryFactory, OfferFactory
from tests.integration.conftest import StartWorker, wait_for
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
