"""What the service holds about a person, declared next to the models that hold it.

Each app lists its holdings in a `personal_data` module (found at start-up by CoreConfig, so this
floor names no app): the model, the lookups from it to the person (a need by its requester, a
ledger entry by its account's owner, a staff decision by the member of staff who took it), and
why it is kept. `person_export` reads them all: what a resident gets from `GET /api/v1/me/export/`
(the right of disclosure, 開示). A test holds every model that refers to a person to a holding.

The same modules say how each app forgets: `erases` registers what an app does when a person is
erased (withdraw their posts, blank their free text), `erasure_blocked_by` what makes an erasure
wait (points held for staff to decide), and `retains` a purge that forgets on the retention
schedule (run daily by `personal_data_purge_task`). The account itself becomes a tombstone last
(volunteer.services.rights), so the ledger, participations and plan figures stay whole.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q

FORMAT = "kumamoto-volunteer/personal-data-export/1"


@dataclass(frozen=True)
class Holding:
    model: type[models.Model]
    paths: tuple[str, ...]
    why: str
    hidden: frozenset[str] = frozenset()  # never shown, even to the person: a password's hash


HOLDINGS: dict[str, Holding] = {}
Eraser = Callable[[Any, dt.datetime], None]
ERASERS: dict[str, Eraser] = {}
Blocker = Callable[[Any], list[str]]
BLOCKERS: dict[str, Blocker] = {}
Purge = Callable[[dt.datetime], int]
PURGES: dict[str, Purge] = {}

logger = logging.getLogger(__name__)


def holds(model: type[models.Model], *paths: str, why: str, hidden: tuple[str, ...] = ()) -> None:
    """Declares that rows of `model` reached from a person by any of `paths` are about them."""
    HOLDINGS[model._meta.label] = Holding(model=model, paths=paths, why=why, hidden=frozenset(hidden))


def erases(name: str) -> Callable[[Eraser], Eraser]:
    """Registers `(person, now)`: what this app forgets when the person is erased, in the
    erasure's transaction (so an erasure is whole or not at all)."""

    def register(eraser: Eraser) -> Eraser:
        ERASERS[name] = eraser
        return eraser

    return register


def erasure_blocked_by(name: str) -> Callable[[Blocker], Blocker]:
    """Registers `(person) -> [reason codes]`: what must be settled before the person is erased."""

    def register(blocker: Blocker) -> Blocker:
        BLOCKERS[name] = blocker
        return blocker

    return register


def retains(name: str) -> Callable[[Purge], Purge]:
    """Registers `(now) -> rows forgotten`: a purge on the retention schedule."""

    def register(purge: Purge) -> Purge:
        PURGES[name] = purge
        return purge

    return register


def erasure_blockers(person: Any) -> list[str]:
    return sorted(code for name in sorted(BLOCKERS) for code in BLOCKERS[name](person))


def person_erase_everywhere(person: Any, *, at: dt.datetime) -> None:
    for name in sorted(ERASERS):
        ERASERS[name](person, at)


def personal_data_purge(*, now: dt.datetime) -> dict[str, int]:
    """Every purge, each on its own: one that fails is logged and holds back no other."""
    forgotten: dict[str, int] = {}
    for name in sorted(PURGES):
        try:
            forgotten[name] = PURGES[name](now)
        except Exception:
            logger.exception("the purge %s failed; it runs again tomorrow", name)
    return forgotten


def _rows(holding: Holding, person: models.Model) -> list[dict[str, Any]]:
    lookups = Q()
    for path in holding.paths:
        lookups |= Q(**{path: person.pk})
    fields = [f.attname for f in holding.model._meta.concrete_fields if f.name not in holding.hidden]
    rows = holding.model._default_manager.filter(lookups).distinct().order_by("pk").values(*fields)
    return list(rows)


def person_export(person: models.Model, *, at: Any) -> dict[str, Any]:
    """Everything held about the person, machine-readable: each holding's rows, with why."""
    return {
        "format": FORMAT,
        "exported_at": at,
        "person": person.pk,
        "records": {
            label: {"why": holding.why, "rows": _rows(holding, person)}
            for label, holding in sorted(HOLDINGS.items())
        },
    }


def core_holdings() -> None:
    """The floor's own records about people (the apps declare theirs in personal_data modules)."""
    from core.models import IdempotencyKey, OwnCaseRefusal

    holds(OwnCaseRefusal, "actor", why="refused attempts to decide one's own case, kept for the audit")
    # The stored answers are left out: a member of staff's would carry other people's data.
    holds(
        IdempotencyKey,
        "user",
        why="keys of the app's retried writes (their stored answers left out)",
        hidden=("body",),
    )
    retains("core.audit")(_own_case_refusals)
    retains("core.idempotency_keys")(_idempotency_keys)


def _idempotency_keys(now: dt.datetime) -> int:
    """A retried write's stored answer carries what it answered (a profile, a post): kept only
    as long as the app may still retry."""
    from django.conf import settings

    from core.models import IdempotencyKey

    cutoff = now - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_RETENTION_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _own_case_refusals(now: dt.datetime) -> int:
    """Refused own-case attempts are audit records: kept for the audit's own period."""
    from django.conf import settings

    from core.models import OwnCaseRefusal

    cutoff = now - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = OwnCaseRefusal.objects.filter(at__lt=cutoff).delete()
    return deleted
