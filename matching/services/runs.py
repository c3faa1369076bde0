"""Matching runs: the outbox, the engine, and storing its proposals.

A change to a post writes a MatchingRequest in the same transaction and enqueues a task after
the commit. The task runs the engine for that post's neighbourhood and stores the proposals and
`processed_at` in one transaction, so a worker that dies mid-run leaves nothing behind and the
sweep re-drives the request. The database constraints on Match, and the need rows locked in
id order while storing, keep two workers from double-booking a volunteer or overfilling a need.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.deferred import publish_after_commit
from matching import engine, tasks
from matching.engine.types import Proposal
from matching.models import Match, MatchDecision, MatchingRequest, MatchingRun, Need, Offer
from matching.problem import Scope, problem_build
from matching.services import notify


def _sweep_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.MATCHING_SWEEP_AFTER_SECONDS)


def matching_request_enqueue(*, kind: str, object_id: int | None = None) -> MatchingRequest:
    """Records that a post needs matching; the task is sent only once the change is committed."""
    request = MatchingRequest.objects.create(kind=kind, object_id=object_id, created_at=timezone.now())
    publish_after_commit(tasks.matching_request_process_task, request.pk)
    return request


def _waiting(request_id: int) -> MatchingRequest | None:
    """The request, locked, if it is still to be run and no other worker holds it."""
    return (
        MatchingRequest.objects.select_for_update(skip_locked=_skip_locked())
        .filter(pk=request_id, processed_at__isnull=True, parked_at__isnull=True)
        .first()
    )


def matching_request_process(*, request_id: int) -> int | None:
    """Runs one request; None if another worker has it, it is done already (idempotent) or it is
    parked. The try is counted in a transaction of its own first, so a run that fails (or a worker
    that dies) cannot take the count back with it; after MATCHING_MAX_ATTEMPTS the request is parked
    with its last error rather than run again for ever."""
    with transaction.atomic():
        request = _waiting(request_id)
        if request is None:
            return None
        if request.attempts >= settings.MATCHING_MAX_ATTEMPTS:
            request.parked_at = timezone.now()
            request.save(update_fields=["parked_at"])
            return None
        request.attempts += 1
        request.save(update_fields=["attempts"])
    try:
        with transaction.atomic():
            request = _waiting(request_id)
            if request is None:
                return None
            run = _run(kind=request.kind, scope=_scope(request))
            request.processed_at = timezone.now()
            request.save(update_fields=["processed_at"])
    except Exception as error:
        _record_failure(request_id, error)
        raise
    return run.proposals


def _record_failure(request_id: int, error: Exception) -> None:
    """Keeps the error for staff; parks the request if that was its last try."""
    failed = MatchingRequest.objects.get(pk=request_id)
    failed.last_error = f"{type(error).__name__}: {error}"[:2000]
    if failed.attempts >= settings.MATCHING_MAX_ATTEMPTS:
        failed.parked_at = timezone.now()
    failed.save(update_fields=["last_error", "parked_at"])


def matching_requests_unpark(*, ids: list[int]) -> list[int]:
    """Parked requests (of these ids) made waiting again, their tries counted afresh."""
    with transaction.atomic():
        parked = MatchingRequest.objects.select_for_update().filter(
            pk__in=ids, parked_at__isnull=False, processed_at__isnull=True
        )
        unparked = list(parked.values_list("pk", flat=True))
        parked.update(parked_at=None, attempts=0, last_error="")
    return unparked


def matching_sweep(*, now: dt.datetime | None = None) -> list[int]:
    """Ids of requests left unprocessed too long (a lost message or a dead worker), to re-drive;
    parked ones wait for staff."""
    cutoff = (now or timezone.now()) - _sweep_after()
    return list(
        MatchingRequest.objects.filter(
            processed_at__isnull=True, parked_at__isnull=True, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )


def _scope(request: MatchingRequest) -> Scope:
    if request.kind == MatchingRequest.Kind.NEED:
        return Scope(need_ids=frozenset({request.object_id or 0}))
    if request.kind == MatchingRequest.Kind.OFFER:
        person_ids = Offer.objects.filter(pk=request.object_id or 0).values_list("person_id", flat=True)
        return Scope(person_ids=frozenset(person_ids))
    return Scope(movable_proposals=True)


def _run(*, kind: str, scope: Scope) -> MatchingRun:
    run = MatchingRun.objects.create(kind=kind, started_at=timezone.now())
    problem = problem_build(scope=scope)
    solution = engine.solve(problem)
    created = _store(run=run, proposals=solution.proposals, movable=scope.movable_proposals, scope=scope)
    run.offers, run.needs = len(problem.offers), len(problem.needs)
    run.candidate_edges, run.objective = solution.candidate_edges, solution.objective
    run.proposals, run.finished_at = created, timezone.now()
    run.save()
    return run


def _store(*, run: MatchingRun, proposals: Iterable[Proposal], movable: bool, scope: Scope) -> int:
    proposals = list(proposals)
    wanted = {(p.need_id, p.person_id) for p in proposals}
    need_ids = sorted({p.need_id for p in proposals})
    # Lock order: needs by id, then matches by id, everywhere that changes headcount use.
    needs = {
        need.pk: need for need in Need.objects.select_for_update().filter(pk__in=need_ids).order_by("pk")
    }
    if movable:
        _supersede(wanted=wanted)
    taken = _places_taken(need_ids)
    created = 0
    for proposal in proposals:
        need = needs.get(proposal.need_id)
        if need is None or need.status != Need.Status.OPEN or taken.get(need.pk, 0) >= need.headcount:
            continue
        match = _propose(run=run, proposal=proposal)
        if match is not None:
            taken[need.pk] = taken.get(need.pk, 0) + 1
            created += 1
            notify.proposed(match=match)
    return created


def _supersede(*, wanted: set[tuple[int, int]]) -> None:
    """A full run replaces unconfirmed proposals it would not make again; confirmed ones stay."""
    open_proposals = Match.objects.select_for_update().filter(status=Match.Status.PROPOSED).order_by("pk")
    now = timezone.now()
    for match in open_proposals:
        if (match.need_id, match.volunteer_id) in wanted or match.accepted_at is not None:
            continue
        match.status, match.decided_at = Match.Status.SUPERSEDED, now
        match.save(update_fields=["status", "decided_at"])
        MatchDecision.objects.create(match=match, action=MatchDecision.Action.SUPERSEDE, decided_at=now)


def _places_taken(need_ids: list[int]) -> dict[int, int]:
    taken: dict[int, int] = {}
    for need_id in Match.objects.filter(need_id__in=need_ids, status__in=Match.ACTIVE).values_list(
        "need_id", flat=True
    ):
        taken[need_id] = taken.get(need_id, 0) + 1
    return taken


def _propose(*, run: MatchingRun, proposal: Proposal) -> Match | None:
    """Inserts one proposal; the unique constraints refuse a duplicate or a double booking."""
    if Match.objects.filter(
        need_id=proposal.need_id, volunteer_id=proposal.person_id, status__in=Match.ACTIVE
    ).exists():
        return None
    now = timezone.now()
    try:
        with transaction.atomic():
            match = Match.objects.create(
                need_id=proposal.need_id,
                offer_id=proposal.offer_id,
                volunteer_id=proposal.person_id,
                source=Match.Source.ENGINE,
                cost=proposal.cost,
                reasons=list(proposal.reasons),
                reason=proposal.reason,
                run=run,
                proposed_at=now,
            )
            MatchDecision.objects.create(
                match=match, action=MatchDecision.Action.PROPOSE, decided_at=now, reason=proposal.reason
            )
    except IntegrityError:
        return None  # another worker proposed this volunteer first
    return match


def _skip_locked() -> bool:
    # Another worker already holds this request: leave it to them instead of waiting.
    return bool(connection.features.has_select_for_update_skip_locked)
