"""The events → points seam on real workers: a verification committed through the API is awarded
by a Celery worker through Redis; a verification whose message never arrived is awarded once by
the sweep, however often it runs."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Activity, Participation
from points.models import Account, LedgerTransaction, ParticipationAwarded
from points.tasks import awards_sweep_task
from tests.factories import ActivityFactory, ParticipationFactory
from tests.integration.conftest import StartWorker, wait_for
from volunteer.models import OrganisationMembership, User

pytestmark = pytest.mark.integration


@pytest.fixture
def running(organiser: User, city_schemes_configured: None) -> Activity:
    organisation = OrganisationMembership.objects.get(user=organiser).organisation
    starts = timezone.now() - dt.timedelta(hours=1)
    return ActivityFactory(
        organisation=organisation, starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )


def test_a_worker_awards_a_verified_participation(
    start_worker: StartWorker, client_for: Any, organiser: User, resident: User, running: Activity
) -> None:
    assert connection.vendor == "postgresql"
    start_worker()
    participation = ParticipationFactory(activity=running, person=resident)
    entered = client_for(organiser).post(
        f"/api/v1/staff/events/{running.pk}/checkins/",
        {"person": resident.pk, "direction": "in", "reason": "紙の出席簿"},
        format="json",
    )
    assert entered.status_code == 201

    response = client_for(organiser).post(
        f"/api/v1/staff/events/{running.pk}/verify/",
        {"participations": [participation.pk], "minutes": 90, "reason": "紙の出席簿"},
        format="json",
    )

    assert response.json()[0]["ok"] is True
    assert wait_for(
        lambda: Account.objects.filter(owner=resident, scheme__code="kumamoto", balance=100).exists()
    )
    assert LedgerTransaction.objects.filter(participation=participation).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_sweep_awards_what_a_lost_message_left_once(
    start_worker: StartWorker, resident: User, organiser: User, running: Activity
) -> None:
    participation = ParticipationFactory(activity=running, person=resident)
    # Verified, but the award task's message was lost (no worker, no broker delivery).
    Participation.objects.filter(pk=participation.pk).update(
        minutes=60, verified_at=timezone.now() - dt.timedelta(minutes=10), verified_by=organiser
    )

    start_worker()
    awards_sweep_task.apply()  # as beat does: it joins the queue and awards when a worker reaches it
    assert wait_for(lambda: ParticipationAwarded.objects.filter(participation=participation).exists())
    assert awards_sweep_task.delay(timezone.now().isoformat()).get(timeout=60) == 0

    assert Account.objects.get(owner=resident, scheme__code="kumamoto").balance == 100
    assert LedgerTransaction.objects.filter(participation=participation).count() == 1
