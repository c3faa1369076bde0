"""Offers and needs: create, change while open, withdraw, expire; and forget a need's address
once it serves nothing (withdrawn or expired at once, filled after the retention period)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from core.changes import UNCHANGED, Unchanged, asdict_shallow, changed_fields
from events import selectors as event_selectors
from events import services as event_services
from matching import errors, selectors
from matching.models import (
    AddressRelease,
    Match,
    MatchDecision,
    MatchingRequest,
    Need,
    NeedWindow,
    Offer,
    Reach,
)
from matching.services import notify
from matching.services.runs import matching_request_enqueue
from plan_registry.models import Area
from volunteer.models import ActivityCategory, Organisation, QualificationType, Skill, User
from volunteer.selectors import organisation_acting_for
from volunteer.services import consent_require


@dataclass(frozen=True)
class OfferTerms:
    """What a volunteer offers (したい): what, where, when and how often, until when."""

    categories: Sequence[ActivityCategory]
    school_district: Area
    valid_until: dt.date
    skills: Sequence[Skill] = ()
    reach: str = Reach.NEIGHBOURS
    weekly_availability: list[dict[str, Any]] = field(default_factory=list)
    specific_dates: list[dict[str, Any]] = field(default_factory=list)
    max_per_week: int = 1
    max_per_month: int | None = None
    note: str = ""


@dataclass(frozen=True)
class OfferChanges:
    """What a volunteer changes of an open offer; a field left UNCHANGED is kept."""

    categories: Sequence[ActivityCategory] | Unchanged = UNCHANGED
    school_district: Area | Unchanged = UNCHANGED
    valid_until: dt.date | Unchanged = UNCHANGED
    skills: Sequence[Skill] | Unchanged = UNCHANGED
    reach: str | Unchanged = UNCHANGED
    weekly_availability: list[dict[str, Any]] | Unchanged = UNCHANGED
    specific_dates: list[dict[str, Any]] | Unchanged = UNCHANGED
    max_per_week: int | Unchanged = UNCHANGED
    max_per_month: int | Unchanged | None = UNCHANGED
    note: str | Unchanged = UNCHANGED


Window = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class NeedTerms:
    """What someone needs (してほしい): what, where, when, how many helpers and who may help."""

    title: str
    category: ActivityCategory
    school_district: Area
    windows: Sequence[Window]
    valid_until: dt.date
    organisation: Organisation | None = None
    required_skills: Sequence[Skill] = ()
    preferred_skills: Sequence[Skill] = ()
    required_qualifications: Sequence[QualificationType] = ()
    required_languages: list[str] = field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None
    address: str = ""
    reach: str = Reach.NEIGHBOURS
    headcount: int = 1
    urgency: int = Need.Urgency.NORMAL
    note: str = ""


@dataclass(frozen=True)
class NeedChanges:
    """What the requester changes of an open need; a field left UNCHANGED is kept."""

    title: str | Unchanged = UNCHANGED
    category: ActivityCategory | Unchanged = UNCHANGED
    school_district: Area | Unchanged = UNCHANGED
    windows: Sequence[Window] | Unchanged = UNCHANGED
    valid_until: dt.date | Unchanged = UNCHANGED
    required_skills: Sequence[Skill] | Unchanged = UNCHANGED
    preferred_skills: Sequence[Skill] | Unchanged = UNCHANGED
    required_qualifications: Sequence[QualificationType] | Unchanged = UNCHANGED
    required_languages: list[str] | Unchanged = UNCHANGED
    min_age: int | Unchanged | None = UNCHANGED
    max_age: int | Unchanged | None = UNCHANGED
    address: str | Unchanged = UNCHANGED
    reach: str | Unchanged = UNCHANGED
    headcount: int | Unchanged = UNCHANGED
    urgency: int | Unchanged = UNCHANGED
    note: str | Unchanged = UNCHANGED


# Many-to-many fields and windows are set after the row is saved, never passed to the model.
RELATED = (
    "categories",
    "skills",
    "required_skills",
    "preferred_skills",
    "required_qualifications",
    "windows",
)


def _columns(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if name not in RELATED}


@transaction.atomic
def offer_create(*, person: User, terms: OfferTerms) -> Offer:
    consent_require(person=person)
    now = timezone.now()
    offer = Offer.objects.create(
        person=person, created_at=now, updated_at=now, **_columns(asdict_shallow(terms))
    )
    offer.categories.set(terms.categories)
    offer.skills.set(terms.skills)
    matching_request_enqueue(kind=MatchingRequest.Kind.OFFER, object_id=offer.pk)
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, changes: OfferChanges) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != Offer.Status.OPEN:
        raise errors.PostNotOpen()
    fields = changed_fields(changes)
    for name, value in _columns(fields).items():
        setattr(offer, name, value)
    offer.updated_at = timezone.now()
    offer.save()
    if "categories" in fields:
        offer.categories.set(fields["categories"])
    if "skills" in fields:
        offer.skills.set(fields["skills"])
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
def need_create(*, requester: User, terms: NeedTerms) -> Need:
    consent_require(person=requester)
    if (
        terms.organisation is not None
        and organisation_acting_for(user=requester, organisation_id=terms.organisation.pk) is None
    ):
        raise errors.NotOrganisationStaff()
    now = timezone.now()
    need = Need.objects.create(
        requester=requester, created_at=now, updated_at=now, **_columns(asdict_shallow(terms))
    )
    NeedWindow.objects.bulk_create([NeedWindow(need=need, starts_at=s, ends_at=e) for s, e in terms.windows])
    need.required_skills.set(terms.required_skills)
    need.preferred_skills.set(terms.preferred_skills)
    need.required_qualifications.set(terms.required_qualifications)
    matching_request_enqueue(kind=MatchingRequest.Kind.NEED, object_id=need.pk)
    return need


@transaction.atomic
def need_update(*, need: Need, actor: User, changes: NeedChanges) -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status != Need.Status.OPEN:
        raise errors.PostNotOpen()
    fields = changed_fields(changes)
    for name, value in _columns(fields).items():
        setattr(need, name, value)
    need.updated_at = timezone.now()
    need.save()
    if "windows" in fields:
        need.windows.all().delete()
        NeedWindow.objects.bulk_create(
            [NeedWindow(need=need, starts_at=s, ends_at=e) for s, e in fields["windows"]]
        )
    for related in ("required_skills", "preferred_skills", "required_qualifications"):
        if related in fields:
            getattr(need, related).set(fields[related])
    _cancel_open_proposals(need.matches.all(), actor=actor, reason="need changed")
    matching_request_enqueue(kind=MatchingRequest.Kind.NEED, object_id=need.pk)
    return need


WITHDRAWABLE = (Need.Status.OPEN, Need.Status.FILLED)


@transaction.atomic
def need_withdraw(*, need: Need, actor: User) -> Need:
    """Withdraws the need; every active match ends, and confirmed helpers are told. Nobody will
    go there now: the address is forgotten at once."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status not in WITHDRAWABLE:
        raise errors.PostNotOpen()
    need.status = Need.Status.WITHDRAWN
    need.address = ""
    need.updated_at = timezone.now()
    need.save(update_fields=["status", "address", "updated_at"])
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
        Need.objects.filter(pk__in=[n.pk for n in needs]).update(status=Need.Status.EXPIRED, address="")
        expiring = Match.objects.filter(offer__in=offers) | Match.objects.filter(need__in=needs)
        _cancel_open_proposals(expiring, actor=None, reason="post expired")
    return len(offers), len(needs)


@transaction.atomic
def match_cancel_for_volunteer(*, match: Match, reason: str) -> Match:
    """The volunteer can no longer take part (their data was erased): the match ends, activities
    still to come are given up, the requester is told if it was settled, and the need is matched
    again."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status not in Match.ACTIVE:
        return match
    was_settled = match.status != Match.Status.PROPOSED
    _match_end(match, status=Match.Status.CANCELLED, actor=None, reason=reason)
    for activity in event_selectors.activities_by_source_keys(keys=window_keys(match.need)):
        if activity.starts_at > timezone.now():
            event_services.participation_cancel(activity=activity, person=match.volunteer)
    if was_settled:
        notify.declined(match=match)
    matching_request_enqueue(kind=MatchingRequest.Kind.NEED, object_id=match.need_id)
    return match


def need_addresses_forget(*, now: dt.datetime) -> int:
    """A need that is no longer open keeps its address until its last window ended (or it
    closed) NEED_ADDRESS_RETENTION_DAYS ago; then the address goes."""
    cutoff = now - dt.timedelta(days=settings.NEED_ADDRESS_RETENTION_DAYS)
    served = (
        Need.objects.exclude(status=Need.Status.OPEN)
        .exclude(address="")
        .annotate(last_window=Max("windows__ends_at"))
        .filter(updated_at__lt=cutoff)
        .filter(Q(last_window__isnull=True) | Q(last_window__lt=cutoff))
    )
    return Need.objects.filter(pk__in=list(served.values_list("pk", flat=True))).update(address="")


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


def address_release(*, match: Match, person: User) -> str | None:
    """The need's exact address, if this person may see it on this match (the volunteer, once the
    match is scheduled), else None. The first release is recorded: who, when, which need."""
    if not selectors.address_visible_to(match=match, person=person):
        return None
    AddressRelease.objects.get_or_create(
        match=match, defaults={"need_id": match.need_id, "person": person, "released_at": timezone.now()}
    )
    return match.need.address
