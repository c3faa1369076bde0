"""A task enqueued after commit travels through Redis to a real worker, which writes to PostgreSQL."""

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from plan_registry.models import Area
from tests.integration.conftest import wait_for
from volunteer.models import Organisation, User

pytestmark = pytest.mark.integration


def test_an_application_is_notified_by_the_worker_once(
    celery_worker_process: Path, client_for: Any, resident: User, coordinator: User, school_district: Area
) -> None:
    assert connection.vendor == "postgresql"
    response = client_for(resident).post(
        "/api/v1/organisations/",
        {"name": "NPO 子育てひろば", "kind": "npo", "area": school_district.code},
        format="json",
    )
    assert response.status_code == 201
    organisation = Organisation.objects.get(pk=response.json()["id"])

    assert wait_for(lambda: Organisation.objects.get(pk=organisation.pk).coordinators_notified_at is not None)
    assert wait_for(lambda: celery_worker_process.exists() and any(celery_worker_process.iterdir()))
    mails = [path.read_text(encoding="utf-8") for path in celery_worker_process.iterdir()]
    assert len(mails) == 1
    assert "coordinator@example.com" in mails[0]

    # A repeated message (a retry, a duplicate delivery) sends nothing more.
    from volunteer.tasks import organisation_application_notify_task

    result = organisation_application_notify_task.delay(organisation.pk)
    assert result.get(timeout=30) is False
    assert len(list(celery_worker_process.iterdir())) == 1
