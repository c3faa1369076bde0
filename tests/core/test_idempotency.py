"""An app that retries a write after a lost answer, with the same `Idempotency-Key`, gets the
first answer again (marked `Idempotent-Replayed: true`) and no second effect; the same key with
another body is 409 `idempotency_key_reused`. Required on the money-like writes (tested in
tests/points), accepted on every other write the app may retry."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Model
from django.utils import timezone

from events.models import Activity, Participation
from matching.models import Match, MatchDecision, Need, Offer
from plan_registry.models import Area
from tests.factories import (
    ActivityCategoryFactory,
    ActivityFactory,
    MatchFactory,
    NeedFactory,
    OfferFactory,
    OrganisationFactory,
    SkillFactory,
)
from volunteer.models import Organisation, OrganisationDecision, User

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Write:
    """A write: who sends it, where, the body and another body; and what it creates."""

    actor: str
    path: Callable[[dict[str, Any]], str]
    body: Callable[[dict[str, Any]], dict[str, Any]]
    other_body: Callable[[dict[str, Any]], dict[str, Any]]
    effect: type[Model]


def _window() -> dict[str, str]:
    starts = (timezone.localtime() + dt.timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    return {"starts_at": starts.isoformat(), "ends_at": (starts + dt.timedelta(hours=1)).isoformat()}


def _need(title: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda w: {
        "title": title,
        "category": "listening",
        "school_district": w["district"].code,
        "windows": [_window()],
    }


def _offer(weekday: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda w: {
        "categories": ["listening"],
        "skills": ["listening"],
        "reach": "neighbours",
        "max_per_week": 2,
        "weekly_availability": [{"weekday": weekday, "start": "09:00", "end": "12:00"}],
        "valid_until": str(timezone.localdate() + dt.timedelta(days=90)),
    }


WRITES = {
    "a need": Write(
        "resident", lambda w: "/api/v1/needs/", _need("買い物の付き添い"), _need("通院の付き添い"), Need
    ),
    "an offer": Write("resident", lambda w: "/api/v1/offers/", _offer(1), _offer(2), Offer),
    "an application": Write(
        "resident",
        lambda w: "/api/v1/organisations/",
        lambda w: {"name": "NPO 子育てひろば", "kind": "npo", "area": w["district"].code},
        lambda w: {"name": "NPO 見守りの会", "kind": "npo", "area": w["district"].code},
        Organisation,
    ),
    "a registration": Write(
        "resident",
        lambda w: f"/api/v1/events/{w['event'].pk}/register/",
        lambda w: {},
        lambda w: {"note": "another"},
        Participation,
    ),
    "a staff confirmation": Write(
        "coordinator",
        lambda w: f"/api/v1/staff/matches/{w['match'].pk}/confirm/",
        lambda w: {"reason": "電話で確認"},
        lambda w: {"reason": "別の理由"},
        MatchDecision,
    ),
    "an approval": Write(
        "coordinator",
        lambda w: f"/api/v1/staff/organisations/{w['application'].pk}/approve/",
        lambda w: {"reason": "書類確認済み"},
        lambda w: {"reason": "別の理由"},
        OrganisationDecision,
    ),
}


@pytest.fixture
def world(school_district: Area, other_resident: User) -> dict[str, Any]:
    ActivityCategoryFactory(code="listening")
    SkillFactory(code="listening")
    starts = timezone.now() + dt.timedelta(days=3)
    return {
        "district": school_district,
        "event": ActivityFactory(
            kind=Activity.Kind.EVENT, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), capacity=10
        ),
        "match": MatchFactory(
            need=NeedFactory(requester=other_resident, school_district=school_district),
            offer=OfferFactory(school_district=school_district),
        ),
        "application": OrganisationFactory(applied=True, area=school_district, applied_by=other_resident),
    }


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_retry_with_the_same_key_gets_the_first_answer_and_no_second_effect(
    name: str, world: dict[str, Any], client_for: Any, resident: User, coordinator: User
) -> None:
    write = WRITES[name]
    client = client_for({"resident": resident, "coordinator": coordinator}[write.actor])
    path, body = write.path(world), write.body(world)
    before = write.effect.objects.count()

    first = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    again = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    other = client.post(path, write.other_body(world), format="json", HTTP_IDEMPOTENCY_KEY="retry-1")

    assert first.status_code in (200, 201), first.content
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_key_reused")
    assert write.effect.objects.count() == before + 1


def test_a_refused_write_keeps_no_key_so_a_corrected_retry_goes_through(
    world: dict[str, Any], client_for: Any, coordinator: User
) -> None:
    client = client_for(coordinator)
    path = f"/api/v1/staff/matches/{world['match'].pk}/reject/"

    refused = client.post(path, {"reason": ""}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    corrected = client.post(path, {"reason": "条件が合わない"}, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert (refused.status_code, refused.json()["code"]) == (400, "reason_required")
    assert corrected.status_code == 200
    assert Match.objects.get().status == Match.Status.REJECTED
