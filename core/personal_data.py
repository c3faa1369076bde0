"""What the service holds about a person, declared next to the models that hold it.

Each app lists its holdings in a `personal_data` module (found at start-up by CoreConfig, so this
floor names no app): the model, the lookups from it to the person (a need by its requester, a
ledger entry by its account's owner, a staff decision by the member of staff who took it), and
why it is kept. `person_export` reads them all: what a resident gets from `GET /api/v1/me/export/`
(the right of disclosure, 開示). A test holds every model that refers to a person to a holding.
"""

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


def holds(model: type[models.Model], *paths: str, why: str, hidden: tuple[str, ...] = ()) -> None:
    """Declares that rows of `model` reached from a person by any of `paths` are about them."""
    HOLDINGS[model._meta.label] = Holding(model=model, paths=paths, why=why, hidden=frozenset(hidden))


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
