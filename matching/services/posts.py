"""Offers and needs: create, change while open, withdraw, expire."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from events import selectors as event_selectors
from events import services as event_services
from matching import errors
from matching.models import Match, MatchDecision, MatchingRequest, Need, NeedWindow, Offer
from matching.services import notify
from matching.services.runs import matching_request_enqueue
from volunteer.models import ActivityCategory, Organisation, QualificationType, Skill, User
from volunteer.selectors import organisation_acting_for

OFFER_FIELDS = (
    "school_district",
    "reach",
    "weekly_availability",
    "specific_dates",
    "max_per_week",
    "max_per_month",
    "valid_until",
    "note",
)
NEED_FIELDS = (
    "title",
    "category",
    "required_languages",
    "min_age",
    "max_age",
    "school_district",
    "address",
    "reach",
    "headcount",
    "urgency",
    "valid_until",
    "note",
)


@transaction.atomic
def offer_create(
    *, person: User, categories: list[ActivityCategory], skills: list[Skill], **fields: Any
) -> Offer:
    now = timezone.now()
    offer = Offer.objects.create(person=person, created_at=now, updated_at=now, **_only(fields, OFFER_FIELDS))
    offer.categories.set(categories)
    offer.skills.set(skills)
    matching_request_enqueue(kind=MatchingRequest.Kind.OFFER, object_id=offer.pk)
    return offer


@transaction.atomic
def offer_update(
    *,
    offer: Offer,
    categories: list[ActivityCategory] | None = None,
    skills: list[Skill] | None = None,
    **fields: Any,
) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != Offer.Status.OPEN:
        raise errors.PostNotOpen()
    changed = _only(fields, OFFER_FIELDS)
    for name, value in changed.items():
        setattr(offer, name, value)
    offer.updated_at = timezone.now()
    offer.save()
    if categories is not None:
        offer.categories.set(categories)
    if skills is not None:
        offer.skills.set(skills)
    # What the volunteer offers changed: proposals made on the old terms no longer stand.
    _cancel_open_proposals(Match.objects.filter(offer=offer), actor=offer.person, reason="offer changed")
    matching_request_enqueue(kind=MatchingRequest.Kind.OFFER, object_id=offer.pk)
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != Offer.Status.OPEN:
        raise errors.PostNotOpen()
    offer.status = Offer.Status.WITHDRAWN
    offer.updated_at = timezone.now()
    offer.save(update_fields=["status", "updated_at"])
    _cancel_open_proposals(Match.objects.filter(offer=offer), actor=offer.person, reason="offer withdrawn")
    return offer


@transaction.atomic
def need_create(
    *,
    requester: User,
    organisation: Organisation | None,
    windows: list[tuple[dt.datetime, dt.datetime]],
    required_skills: list[Skill],
    preferred_skills: list[Skill],
    required_qualifications: list[QualificationType],
    **fields: Any,
) -> Need:
    if (
        organisation is not None
        and organisation_acting_for(user=requester, organisation_id=organisation.pk) is None
    ):
        raise errors.NotOrganisationStaff()
    now = timezone.now()
    need = Need.objects.create(
        requester=requester,
        organisation=organisation,
        created_at=now,
        updated_at=now,
        **_only(fields, NEED_FIELDS),
    )
    NeedWindow.objects.bulk_create([NeedWindow(need=need, starts_at=s, ends_at=e) for s, e in windows])
    need.required_skills.set(required_skills)
    need.preferred_skills.set(preferred_skills)
    need.required_qualifications.set(required_qualifications)
    matching_request_enqueue(kind=MatchingRequest.Kind.NEED, object_id=need.pk)
    return need


@transaction.atomic
def need_update(
    *,
    need: Need,
    actor: User,
    windows: list[tuple[dt.datetime, dt.datetime]] | None = None,
    required_skills: list[Skill] | None = None,
    preferred_skills: list[Skill] | None = None,
    required_qualifications: list[QualificationType] | None = None,
    **fields: Any,
) -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status != Need.Status.OPEN:
        raise errors.PostNotOpen()
    for name, value in _only(fields, NEED_FIELDS).items():
        setattr(need, name, value)
    need.updated_at = timezone.now()
    need.save()
    if windows is not None:
        need.windows.all().delete()
        NeedWindow.objects.bulk_create([NeedWindow(need=need, starts_at=s, ends_at=e) for s, e in windows])
    if required_skills is not None:
        need.required_skills.set(required_skills)
    if preferred_skills is not None:
        need.preferred_skills.set(preferred_skills)
    if required_qualifications is not None:
        need.required_qualifications.set(required_qualifications)
    _cancel_open_proposals(need.matches.all(), actor=actor, reason="need changed")
    matching_request_enqueue(kind=MatchingRequest.Kind.NEED, object_id=need.pk)
    return need


@transaction.atomic
def need_withdraw(*, need: Need, actor: User) -> Need:
    """Withdraws the need; every active match ends, and confirmed helpers are told."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status not in (Need.Status.OPEN, Need.Status.FILLED):
        raise errors.PostNotOpen()
    need.status = Need.Status.WITHDRAWN
    need.updated_at = timezone.now()
    need.save(update_fields=["status", "updated_at"])
    for match in need.matches.select_for_update().filter(status__in=Match.ACTIVE).order_by("pk"):
        was_settled = match.status != Match.Status.PROPOSED
        _match_end(match, status=Match.Status.CANCELLED, actor=actor, reason="need withdrawn")
        for activity in event_selectors.activities_by_source_keys(keys=window_keys(match.need)):
            event_services.participation_cancel(activity=activity, person=match.volunteer)
        if was_settled:
            notify.need_withdrawn(match=match)
    return need


def posts_expire(*, today: dt.date | None = None) -> tuple[int, int]:
    """Offers and needs past their date expire; their open proposals are cancelled."""
    today = today or timezone.localdate()
    with transaction.atomic():
        offers = list(
            Offer.objects.select_for_update().filter(status=Offer.Status.OPEN, valid_until__lt=today)
        )
        needs = list(Need.objects.select_for_update().filter(status=Need.Status.OPEN, valid_until__lt=today))
        Offer.objects.filter(pk__in=[o.pk for o in offers]).update(status=Offer.Status.EXPIRED)
        Need.objects.filter(pk__in=[n.pk for n in needs]).update(status=Need.Status.EXPIRED)
        expiring = Match.objects.filter(offer__in=offers) | Match.objects.filter(need__in=needs)
        _cancel_open_proposals(expiring, actor=None, reason="post expired")
    return len(offers), len(needs)


def window_keys(need: Need) -> list[str]:
    """The activities a need's windows were scheduled as (see decisions.match_schedule)."""
    return [f"need-window:{window.pk}" for window in need.windows.all()]


def _cancel_open_proposals(matches: Any, *, actor: User | None, reason: str) -> None:
    for match in matches.select_for_update().filter(status=Match.Status.PROPOSED).order_by("pk"):
        _match_end(match, status=Match.Status.CANCELLED, actor=actor, reason=reason)


def _match_end(match: Match, *, status: str, actor: User | None, reason: str) -> None:
    now = timezone.now()
    match.status = status
    match.decided_at = now
    match.save(update_fields=["status", "decided_at"])
    MatchDecision.objects.create(
        match=match, action=MatchDecision.Action.CANCEL, actor=actor, decided_at=now, reason=reason
    )


def _only(fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if name in allowed}
