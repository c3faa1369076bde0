"""The retention schedule: the daily purge, on a clock moved forward, forgets exactly what the
schedule says and keeps what is still within its period."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from core.models import IdempotencyKey, OwnCaseRefusal
from core.tasks import personal_data_purge_task
from events.models import CheckIn
from matching.models import Need
from tests import factories
from volunteer.models import Device, Notification, RightsRequest, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Moves the purge task's clock forward by some days."""

    def move(days: float) -> dt.datetime:
        moved = timezone.now() + dt.timedelta(days=days)
        monkeypatch.setattr("core.tasks.timezone.now", lambda: moved)
        return moved

    return move


def test_a_filled_needs_address_goes_the_set_time_after_its_last_window(
    clock: Any, resident: User, settings: Any
) -> None:
    settings.NEED_ADDRESS_RETENTION_DAYS = 30
    window = factories.NeedWindowFactory(need__requester=resident, need__address="熊本市中央区桜町1-1")
    Need.objects.filter(pk=window.need_id).update(status=Need.Status.FILLED)
    open_need = factories.NeedWindowFactory(need__address="熊本市北区植木町1").need
    last_day = (window.ends_at - timezone.now()).days

    clock(last_day + 29)
    personal_data_purge_task.delay().get()
    assert Need.objects.get(pk=window.need_id).address == "熊本市中央区桜町1-1"

    clock(last_day + 31)
    forgotten = personal_data_purge_task.delay().get()

    assert forgotten["matching.need_addresses"] == 1
    assert Need.objects.get(pk=window.need_id).address == ""
    assert Need.objects.get(pk=open_need.pk).address == "熊本市北区植木町1"  # still open: kept


def test_a_withdrawn_needs_address_goes_at_once(client_for: Any, resident: User) -> None:
    need = factories.NeedWindowFactory(need__requester=resident, need__address="熊本市中央区桜町1-1").need

    assert client_for(resident).delete(f"/api/v1/needs/{need.pk}/").status_code == 200

    assert Need.objects.get(pk=need.pk).address == ""


def test_notifications_devices_identities_checkins_keys_and_audit_go_on_schedule(
    clock: Any, resident: User, settings: Any
) -> None:
    now = timezone.now()
    notification = factories.NotificationFactory(user=resident, created_at=now)
    Device.objects.create(user=resident, platform="ios", token="t-1", registered_at=now)
    identity = factories.VerifiedIdentityFactory(person=resident, expires_at=now + dt.timedelta(days=10))
    checkin = factories.CheckInFactory(participation__person=resident)
    IdempotencyKey.objects.create(
        user=resident, key="k", fingerprint="f", status_code=201, body={}, created_at=now
    )
    RightsRequest.objects.create(person=resident, kind="export", requested_at=now)
    OwnCaseRefusal.objects.create(actor=resident, subject="points.redemption:1", at=now)

    clock(20)
    first = personal_data_purge_task.delay().get()
    assert first["core.idempotency_keys"] == 1
    assert first["volunteer.identities"] == 1  # expired ten days ago
    identity.refresh_from_db()
    assert (identity.name, identity.birth_date) == ("", None)
    assert Notification.objects.filter(pk=notification.pk).exists()

    clock(settings.NOTIFICATION_RETENTION_DAYS + 1)
    assert personal_data_purge_task.delay().get()["volunteer.notifications"] == 1
    assert Device.objects.filter(user=resident).exists()

    clock(settings.DEVICE_TOKEN_RETENTION_DAYS + 1)
    assert personal_data_purge_task.delay().get()["volunteer.devices"] == 1

    clock(settings.CHECKIN_DETAIL_RETENTION_DAYS + 10)  # (the activity ends next week)
    assert personal_data_purge_task.delay().get()["events.checkins"] == 1
    assert not CheckIn.objects.filter(pk=checkin.pk).exists()
    assert RightsRequest.objects.filter(person=resident).exists()  # the audit's period is longer

    clock(settings.AUDIT_RETENTION_DAYS + 1)
    last = personal_data_purge_task.delay().get()
    assert (last["volunteer.audit"], last["core.audit"]) == (1, 1)
    assert not RightsRequest.objects.exists()
    assert not OwnCaseRefusal.objects.exists()


def test_a_purge_that_fails_holds_back_no_other(
    clock: Any, resident: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core import personal_data

    def broken(now: dt.datetime) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setitem(personal_data.PURGES, "a.broken", broken)
    factories.NotificationFactory(user=resident, created_at=timezone.now())
    clock(400)

    forgotten = personal_data_purge_task.delay().get()

    assert "a.broken" not in forgotten
    assert forgotten["volunteer.notifications"] == 1
