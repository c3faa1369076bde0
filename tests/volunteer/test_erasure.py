"""The right of erasure: `DELETE /api/v1/me/` forgets the person everywhere and leaves a tombstone
that keeps every balance, ledger sum and plan figure as it was; the person cannot sign in again."""

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Participation
from matching.models import Match, Need, Offer
from plan_registry.feeds import registered, shared_passes
from plan_registry.fiscal_year import fiscal_year_of_date
from plan_registry.models import Area
from points import services as points_services
from points.models import Account, Certificate, Entry, Redemption
from tests import factories
from volunteer.models import Device, Notification, RightsRequest, User, VerifiedIdentity

pytestmark = pytest.mark.django_db

BIRTH_DATE = dt.date(1957, 8, 19)
IDENTITY_BIRTH_DATE = dt.date(1957, 8, 18)  # (as the card says: the profile's was mistyped)
EMAIL = "hanako.erasure@example.com"
PASSWORD = "a long passphrase 2026"
TEXTS = (
    EMAIL,
    "消去 花子",  # display name
    "ショウキョ ハナコ",  # the verified name
    "熊本市中央区手取本町9-9-9 消去方",  # a need's address
    "玄関の鍵は植木鉢の下",  # a need's note
    "平日の夕方なら096-000-1234へ",  # an offer's note
    "device-token-erasure-0123456789",
    "oidc-subject-erasure-42",
)


def _text_and_date_columns() -> list[tuple[type[models.Model], list[models.Field[Any, Any]]]]:
    kinds = (models.CharField, models.TextField, models.JSONField, models.DateField)
    return [
        (model, [f for f in model._meta.concrete_fields if isinstance(f, kinds)])
        for model in apps.get_models()
        if not model._meta.proxy
    ]


def _where_personal_values_remain() -> list[str]:
    """Every text, JSON and date column of every table, scanned for the person's values."""
    found = []
    for model, fields in _text_and_date_columns():
        for row in model._default_manager.all().values("pk", *[f.attname for f in fields]):
            for field in fields:
                value = row[field.attname]
                if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                    if value in (BIRTH_DATE, IDENTITY_BIRTH_DATE):
                        found.append(f"{model._meta.label}.{field.name} #{row['pk']}")
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
                found.extend(
                    f"{model._meta.label}.{field.name} #{row['pk']}: {personal!r}"
                    for personal in TEXTS
                    if personal in (text or "")
                )
    return found


def _counts(person: User) -> dict[str, Any]:
    year = fiscal_year_of_date(timezone.localdate())
    with shared_passes():
        feeds = {feed.name: sorted(map(repr, feed.compute(year))) for feed in registered()}
    return {
        "balances": sorted(Account.objects.filter(owner=person).values_list("scheme__code", "balance")),
        "ledger": sorted(
            Entry.objects.values("account__scheme__code")
            .annotate(total=Sum("amount"))
            .values_list("account__scheme__code", "total")
        ),
        "feeds": feeds,
    }


@pytest.fixture
def person(
    school_district: Area, coordinator: User, other_resident: User, city_schemes_configured: None
) -> User:
    """Someone the service knows well: profile, verified identity, device, notifications, an open
    offer and need, a match as helper, verified and awarded activities, a certificate, a reward
    handed over, and a line in the staff site's history."""
    person = factories.UserFactory(
        email=EMAIL,
        display_name="消去 花子",
        birth_date=BIRTH_DATE,
        school_district=school_district,
        languages=["ja", "vi"],
        password=PASSWORD,
    )
    EmailAddress.objects.create(user=person, email=EMAIL, verified=True, primary=True)
    factories.VerifiedIdentityFactory(
        person=person,
        name="ショウキョ ハナコ",
        birth_date=IDENTITY_BIRTH_DATE,
        subject="oidc-subject-erasure-42",
    )
    Device.objects.create(
        user=person, platform="ios", token="device-token-erasure-0123456789", registered_at=timezone.now()
    )
    factories.NotificationFactory(user=person, title="消去 花子さん、ありがとうございます")
    factories.OfferFactory(
        person=person, school_district=school_district, note="平日の夕方なら096-000-1234へ"
    )
    factories.NeedWindowFactory(
        need__requester=person,
        need__school_district=school_district,
        need__address="熊本市中央区手取本町9-9-9 消去方",
        need__note="玄関の鍵は植木鉢の下",
    )
    for days_ago in (40, 10):
        starts_at = timezone.now() - dt.timedelta(days=days_ago)
        participation = factories.ParticipationFactory(
            person=person,
            activity__school_district=school_district,
            activity__starts_at=starts_at,
            activity__ends_at=starts_at + dt.timedelta(hours=2),
            minutes=120,
            verified_at=starts_at + dt.timedelta(hours=3),
            verified_by=coordinator,
        )
        points_services.participation_award(participation_id=participation.pk)
    points_services.certificate_issue(person=person, participation=participation)
    LogEntry.objects.log_actions(
        user_id=coordinator.pk, queryset=[person], action_flag=CHANGE, change_message="display name corrected"
    )
    return person


def _signed_in(person: User, password: str = PASSWORD) -> tuple[APIClient, str]:
    """The app signed in just now, as erasure asks."""
    response = APIClient().post(
        "/_allauth/app/v1/auth/login", {"email": person.email, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    token = response.json()["meta"]["session_token"]
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN=token)
    return client, token


def test_export_then_erase_leaves_no_personal_value_and_every_count_whole(person: User) -> None:
    client, _token = _signed_in(person)
    export = client.get("/api/v1/me/export/").content.decode()
    held = [value for value in TEXTS if value not in export]
    assert held == []  # the export held every value the scan then looks for
    assert _where_personal_values_remain() != []  # (and the scan finds them before)
    before = _counts(person)
    assert before["balances"]
    assert any(before["feeds"].values())

    response = client.delete("/api/v1/me/")

    assert response.status_code == 204
    assert _where_personal_values_remain() == []
    assert _counts(person) == before
    tombstone = User.objects.get(pk=person.pk)
    assert tombstone.erased_at is not None
    assert not tombstone.is_active
    assert tombstone.school_district_id == person.school_district_id
    assert tombstone.birth_date == dt.date(1958, 4, 1)  # the school year's cohort
    assert RightsRequest.objects.filter(person=person, kind="erasure", handled_by=None).count() == 1
    certificate = Certificate.objects.get(person=person)
    assert (certificate.credential, certificate.revoked_at) == ("", None)  # the person's copy still holds
    assert not VerifiedIdentity.objects.filter(person=person).exists()
    assert not Notification.objects.filter(user=person).exists()


def test_an_erased_person_cannot_sign_in_or_use_a_session_they_had(person: User) -> None:
    client, _token = _signed_in(person)
    assert client.delete("/api/v1/me/").status_code == 204

    assert client.get("/api/v1/me/").status_code == 401
    again = APIClient().post(
        "/_allauth/app/v1/auth/login", {"email": EMAIL, "password": PASSWORD}, format="json"
    )
    assert again.status_code in (400, 401)
    assert "session_token" not in again.json().get("meta", {})


def test_erasure_withdraws_posts_and_tells_a_scheduled_helper(
    client_for: Callable[[User], APIClient], resident: User, other_resident: User, school_district: Area
) -> None:
    need = factories.NeedWindowFactory(
        need__requester=resident,
        need__school_district=school_district,
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=2),
    ).need
    match = factories.MatchFactory(need=need, volunteer=other_resident, status=Match.Status.SCHEDULED)
    offer = factories.OfferFactory(person=resident, school_district=school_district)

    assert _signed_in(resident, factories.PASSWORD)[0].delete("/api/v1/me/").status_code == 204

    need.refresh_from_db()
    assert (need.status, need.address, need.note) == (Need.Status.WITHDRAWN, "", "")
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.WITHDRAWN
    assert Match.objects.get(pk=match.pk).status == Match.Status.CANCELLED
    assert Notification.objects.filter(user=other_resident, kind="match_withdrawn").exists()


def test_erasure_gives_up_places_to_come_and_keeps_what_happened(
    client_for: Callable[[User], APIClient], resident: User, school_district: Area
) -> None:
    soon = timezone.now() + dt.timedelta(days=2)
    upcoming = factories.ParticipationFactory(
        person=resident, activity__starts_at=soon, activity__ends_at=soon + dt.timedelta(hours=1)
    )
    ago = timezone.now() - dt.timedelta(days=5)
    past = factories.ParticipationFactory(
        person=resident,
        activity__starts_at=ago,
        activity__ends_at=ago + dt.timedelta(hours=1),
        minutes=60,
        verified_at=timezone.now(),
    )

    assert _signed_in(resident, factories.PASSWORD)[0].delete("/api/v1/me/").status_code == 204

    assert Participation.objects.get(pk=upcoming.pk).status == Participation.Status.CANCELLED
    kept = Participation.objects.get(pk=past.pk)
    assert (kept.status, kept.minutes, kept.verified_at) == (past.status, 60, past.verified_at)


def test_erasure_waits_while_points_are_held_for_staff_and_changes_nothing(
    client_for: Callable[[User], APIClient], resident: User, city_schemes_configured: None
) -> None:
    factories.RedemptionFactory(person=resident, status=Redemption.Status.HELD)

    response = _signed_in(resident, factories.PASSWORD)[0].delete("/api/v1/me/")

    assert response.status_code == 409
    assert response.json()["code"] == "erasure_waits_for_staff"
    resident.refresh_from_db()
    assert resident.erased_at is None
    assert resident.is_active
    assert resident.email == "resident@example.com"
    assert not RightsRequest.objects.filter(person=resident).exists()


def test_erasure_needs_a_sign_in_just_now_and_changes_nothing_without(
    client_for: Callable[[User], APIClient], resident: User, settings: Any
) -> None:
    """A token left on a lost phone is not enough: the app confirms the password first."""
    stale = client_for(resident).delete("/api/v1/me/")  # a session with no sign-in on record
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    client, _token = _signed_in(resident, factories.PASSWORD)
    expired = client.delete("/api/v1/me/")

    for response in (stale, expired):
        assert response.status_code == 403
        assert response.json()["code"] == "reauthentication_required"
    resident.refresh_from_db()
    assert resident.erased_at is None
    assert resident.is_active
    assert not RightsRequest.objects.filter(person=resident).exists()
