"""Runs: idempotent, all-or-nothing, re-driven by the sweep; confirmed matches never move."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from matching.models import Match, MatchingRequest, Need, Offer
from matching.services import posts, runs
from plan_registry.models import Area
from tests.factories import MatchFactory, MatchingRequestFactory, NeedFactory, OfferFactory

pytestmark = pytest.mark.django_db


def enqueue(kind: str, object_id: int | None = None) -> MatchingRequest:
    return runs.matching_request_enqueue(kind=kind, object_id=object_id)


def test_processing_twice_proposes_once(school_district: Area, listening: Any) -> None:
    OfferFactory(school_district=school_district)
    need = NeedFactory(school_district=school_district)
    request = enqueue("need", need.pk)
    assert runs.matching_request_process(request_id=request.pk) == 1
    assert runs.matching_request_process(request_id=request.pk) is None
    request.refresh_from_db()
    assert (request.attempts, request.processed_at is not None) == (1, True)
    assert Match.objects.count() == 1


def test_a_run_that_dies_midway_leaves_nothing_and_runs_again(
    school_district: Area, listening: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(2):
        OfferFactory(school_district=school_district)
    need = NeedFactory(school_district=school_district, headcount=2)
    request = enqueue("need", need.pk)

    def crash(**kwargs: Any) -> None:
        raise OSError("worker lost")

    monkeypatch.setattr("matching.services.notify.proposed", crash)
    with pytest.raises(OSError, match="worker lost"):
        runs.matching_request_process(request_id=request.pk)
    assert not Match.objects.exists()
    request.refresh_from_db()
    # Nothing of the run is left, but the try is counted (in its own transaction) and its error kept.
    assert (request.processed_at, request.attempts, request.last_error) == (None, 1, "OSError: worker lost")

    monkeypatch.undo()
    assert runs.matching_request_process(request_id=request.pk) == 2
    assert Match.objects.filter(need=need).count() == 2


def test_the_sweep_finds_requests_left_behind(settings: Any) -> None:
    settings.MATCHING_SWEEP_AFTER_SECONDS = 60
    stale = MatchingRequestFactory(created_at=timezone.now() - dt.timedelta(minutes=5))
    MatchingRequestFactory(created_at=timezone.now())
    MatchingRequestFactory(created_at=timezone.now() - dt.timedelta(minutes=5), processed_at=timezone.now())
    assert runs.matching_sweep() == [stale.pk]


def test_reoptimising_never_moves_a_confirmed_match(school_district: Area, listening: Any) -> None:
    confirmed = MatchFactory(
        need=NeedFactory(school_district=school_district),
        offer=OfferFactory(school_district=school_district),
        status="confirmed",
    )
    request = enqueue("full")
    runs.matching_request_process(request_id=request.pk)
    confirmed.refresh_from_db()
    assert confirmed.status == "confirmed"
    assert Match.objects.filter(need=confirmed.need).count() == 1


def test_reoptimising_replaces_an_unconfirmed_proposal_with_a_better_one(
    school_district: Area, other_school_district: Area, listening: Any
) -> None:
    # A volunteer from far away holds the proposal; a neighbour in the same district is now free.
    far = OfferFactory(school_district=other_school_district, reach="city")
    need = NeedFactory(school_district=school_district, reach="city")
    stale = MatchFactory(need=need, offer=far)
    near = OfferFactory(school_district=school_district)
    runs.matching_request_process(request_id=enqueue("full").pk)
    stale.refresh_from_db()
    assert stale.status == "superseded"
    assert Match.objects.get(status="proposed").volunteer == near.person


def test_one_open_proposal_per_volunteer_is_guarded_by_the_database(
    school_district: Area, listening: Any
) -> None:
    from django.db import IntegrityError

    offer = OfferFactory(school_district=school_district)
    MatchFactory(offer=offer, need=NeedFactory(school_district=school_district))
    with pytest.raises(IntegrityError):
        MatchFactory(offer=offer, need=NeedFactory(school_district=school_district))


def test_expired_posts_close_and_their_open_proposals_end(school_district: Area, listening: Any) -> None:
    today = timezone.localdate()
    old_need = NeedFactory(school_district=school_district, valid_until=today - dt.timedelta(days=1))
    proposal = MatchFactory(need=old_need)
    old_offer = OfferFactory(valid_until=today - dt.timedelta(days=1))
    live = NeedFactory(school_district=school_district)
    assert posts.posts_expire(today=today) == (1, 1)
    assert Need.objects.get(pk=old_need.pk).status == "expired"
    assert Offer.objects.get(pk=old_offer.pk).status == "expired"
    assert Need.objects.get(pk=live.pk).status == "open"
    proposal.refresh_from_db()
    assert proposal.status == "cancelled"


def test_a_need_in_the_past_is_not_matched(school_district: Area, listening: Any) -> None:
    OfferFactory(school_district=school_district)
    yesterday = timezone.now() - dt.timedelta(days=1)
    need = NeedFactory(
        school_district=school_district, windows=[(yesterday, yesterday + dt.timedelta(hours=1))]
    )
    assert runs.matching_request_process(request_id=enqueue("need", need.pk).pk) == 0


def test_a_volunteer_busy_with_a_confirmed_activity_is_not_proposed_at_that_time(
    school_district: Area, listening: Any
) -> None:
    offer = OfferFactory(school_district=school_district, max_per_week=5)
    MatchFactory(offer=offer, need=NeedFactory(school_district=school_district), status="confirmed")
    same_time = NeedFactory(school_district=school_district)
    assert runs.matching_request_process(request_id=enqueue("need", same_time.pk).pk) == 0


def test_a_monthly_limit_is_a_hard_limit(school_district: Area, listening: Any) -> None:
    offer = OfferFactory(school_district=school_district, max_per_week=5, max_per_month=1)
    later = timezone.now() + dt.timedelta(days=10)
    MatchFactory(
        offer=offer,
        need=NeedFactory(school_district=school_district, windows=[(later, later + dt.timedelta(hours=1))]),
        status="confirmed",
    )
    other_day = NeedFactory(school_district=school_district)
    assert runs.matching_request_process(request_id=enqueue("need", other_day.pk).pk) == 0
    offer.max_per_month = 2
    offer.save()
    assert runs.matching_request_process(request_id=enqueue("need", other_day.pk).pk) == 1
