"""Decisions on matches: staff confirm, reject or match by hand; the volunteer accepts or
declines; once both sides are settled the activity is scheduled in events."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db import retry_transient
from core.duties import refuse_own_case
from core.errors import required_reason
from events import services as event_services
from events.models import Activity
from matching import errors
from matching.models import Match, MatchDecision, MatchingRequest, Need, Offer
from matching.services import notify
from matching.services.runs import matching_request_enqueue
from plan_registry.models import Programme
from volunteer.models import User
from volunteer.services import consent_require

MATCHING_PROGRAMME = "ボランティアマッチングの機能強化"


def _lock(match: Match) -> Match:
    # Lock order: the need first, then the match (as the runs do).
    Need.objects.select_for_update().get(pk=match.need_id)
    return Match.objects.select_for_update().select_related("need", "volunteer").get(pk=match.pk)


def _record(match: Match, *, action: str, actor: User | None, reason: str = "") -> None:
    MatchDecision.objects.create(
        match=match, action=action, actor=actor, decided_at=timezone.now(), reason=reason
    )


def match_confirm(*, match: Match, staff: User, reason: str = "") -> Match:
    _refuse_parties(match.volunteer_id, match.need.requester_id, staff=staff, subject=match)
    with transaction.atomic():
        return _confirm(match, staff=staff, reason=reason)


def _confirm(match: Match, *, staff: User, reason: str) -> Match:
    match = _lock(match)
    if match.status != Match.Status.PROPOSED:
        raise errors.MatchAlreadyDecided()
    match.status, match.decided_at = Match.Status.CONFIRMED, timezone.now()
    match.save(update_fields=["status", "decided_at"])
    _record(match, action=MatchDecision.Action.CONFIRM, actor=staff, reason=reason)
    notify.confirmed(match=match)
    if match.accepted_at is not None:
        match_schedule(match=match)
    return match


def match_reject(*, match: Match, staff: User, reason: str) -> Match:
    reason = required_reason(reason)
    _refuse_parties(match.volunteer_id, match.need.requester_id, staff=staff, subject=match)
    with transaction.atomic():
        return _reject(match, staff=staff, reason=reason)


def _reject(match: Match, *, staff: User, reason: str) -> Match:
    match = _lock(match)
    if match.status != Match.Status.PROPOSED:
        raise errors.MatchAlreadyDecided()
    match.status, match.decided_at = Match.Status.REJECTED, timezone.now()
    match.save(update_fields=["status", "decided_at"])
    _record(match, action=MatchDecision.Action.REJECT, actor=staff, reason=reason)
    _rematch(match)
    return match


def match_create_manual(
    *, need: Need, volunteer: User, staff: User, reason: str, without_offer_reason: str = ""
) -> Match:
    """Staff match by hand: the match is confirmed at once, and still needs the volunteer's yes.
    The volunteer must have an open offer to help (the match is tied to it), or staff record why
    they match someone who offered nothing (a phone call, a paper form)."""
    reason = required_reason(reason)
    _refuse_parties(volunteer.pk, need.requester_id, staff=staff, subject=need)
    with transaction.atomic():
        return _create_manual(
            need, volunteer=volunteer, staff=staff, reason=reason, without_offer=without_offer_reason.strip()
        )


def _create_manual(need: Need, *, volunteer: User, staff: User, reason: str, without_offer: str) -> Match:
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status != Need.Status.OPEN:
        raise errors.PostNotOpen()
    if volunteer.pk == need.requester_id:
        raise errors.VolunteerIsRequester()
    if need.matches.filter(status__in=Match.ACTIVE).count() >= need.headcount:
        raise errors.NeedFull()
    if _busy_during(volunteer, need):
        raise errors.VolunteerBusy()
    offer = Offer.objects.filter(person=volunteer, status=Offer.Status.OPEN).order_by("-created_at").first()
    if offer is None and not without_offer:
        raise errors.VolunteerHasNoOffer()
    without = _("Matched without an open offer")
    recorded = reason if offer else f"{reason}\n{without}: {without_offer}"
    now = timezone.now()
    try:
        with transaction.atomic():
            match = Match.objects.create(
                need=need,
                offer=offer,
                volunteer=volunteer,
                status=Match.Status.CONFIRMED,
                source=Match.Source.MANUAL,
                reason=reason[: Match._meta.get_field("reason").max_length],  # the whole in the decision
                proposed_at=now,
                decided_at=now,
            )
    except IntegrityError as error:
        raise errors.VolunteerAlreadyMatched() from error
    _record(match, action=MatchDecision.Action.MANUAL, actor=staff, reason=recorded)
    notify.confirmed(match=match)
    return match


@retry_transient()
def match_accept(*, match: Match, volunteer: User) -> Match:
    consent_require(person=volunteer)
    match = _lock(match)
    if match.volunteer_id != volunteer.pk or match.status not in (
        Match.Status.PROPOSED,
        Match.Status.CONFIRMED,
    ):
        raise errors.MatchAlreadyDecided()
    if match.accepted_at is None:
        match.accepted_at = timezone.now()
        match.save(update_fields=["accepted_at"])
        _record(match, action=MatchDecision.Action.ACCEPT, actor=volunteer)
    if match.status == Match.Status.CONFIRMED:
        match_schedule(match=match)
    return match


@retry_transient()
def match_decline(*, match: Match, volunteer: User, reason: str = "") -> Match:
    match = _lock(match)
    if match.volunteer_id != volunteer.pk or match.status not in (
        Match.Status.PROPOSED,
        Match.Status.CONFIRMED,
    ):
        raise errors.MatchAlreadyDecided()
    was_confirmed = match.status == Match.Status.CONFIRMED
    match.status, match.decided_at = Match.Status.DECLINED, timezone.now()
    match.save(update_fields=["status", "decided_at"])
    _record(match, action=MatchDecision.Action.DECLINE, actor=volunteer, reason=reason)
    if was_confirmed:
        notify.declined(match=match)
    _rematch(match)
    return match


def match_schedule(*, match: Match) -> Match:
    """Both sides settled: one activity per window of the need, and the volunteer registered."""
    need = match.need
    programme = Programme.objects.filter(name=MATCHING_PROGRAMME).first()
    for window in need.windows.all():
        activity = event_services.activity_schedule(
            source_key=f"need-window:{window.pk}",
            kind=Activity.Kind.EVENT if need.organisation_id else Activity.Kind.ONE_OFF,
            title=need.title,
            category=need.category,
            school_district=need.school_district,
            starts_at=window.starts_at,
            ends_at=window.ends_at,
            capacity=need.headcount,
            organisation=need.organisation,
            programme=programme,
        )
        event_services.participation_register(
            activity=activity, person=match.volunteer, source_key=f"match:{match.pk}"
        )
    match.status = Match.Status.SCHEDULED
    match.save(update_fields=["status"])
    if need.matches.filter(status=Match.Status.SCHEDULED).count() >= need.headcount:
        Need.objects.filter(pk=need.pk, status=Need.Status.OPEN).update(status=Need.Status.FILLED)
    notify.scheduled(match=match)
    return match


def _rematch(match: Match) -> None:
    """The place is free again, and so is the volunteer: look for new pairings."""
    matching_request_enqueue(kind=MatchingRequest.Kind.NEED, object_id=match.need_id)
    if match.offer_id:
        matching_request_enqueue(kind=MatchingRequest.Kind.OFFER, object_id=match.offer_id)


def _busy_during(volunteer: User, need: Need) -> bool:
    windows = list(need.windows.all())
    for window in windows:
        if Match.objects.filter(
            volunteer=volunteer,
            status__in=(Match.Status.CONFIRMED, Match.Status.SCHEDULED),
            need__windows__starts_at__lt=window.ends_at,
            need__windows__ends_at__gt=window.starts_at,
        ).exists():
            return True
    return False


def _refuse_parties(*party_ids: int | None, staff: User, subject: Match | Need) -> None:
    """Staff decide only on matches they are no party to (neither the volunteer nor the requester)."""
    refuse_own_case(staff=staff, party_ids=list(party_ids), subject=subject)
