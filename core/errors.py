"""Refusals by a business rule, in no framework's words.

A service raises a `DomainError` subclass declared in its app's `errors.py`: a stable `code` for
the app, a translated `message` for the person, and the `kind` of refusal. Services know nothing
of HTTP; `core.api.errors` maps each kind to a status, and a staff page shows the message.
"""

import enum
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _


class Refusal(enum.Enum):
    """What kind of no it is: the API answers 400, 403, 404, 409 and 503 for these."""

    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    UNAVAILABLE = "unavailable"


class DomainError(Exception):
    """A refusal by a business rule. Subclasses set `code`, `message` and, if not INVALID, `kind`."""

    kind: ClassVar[Refusal] = Refusal.INVALID
    code: str = "domain_error"
    message: Any = _("The request was refused.")  # a lazily translated str
    # The more precise codes a raise may give instead of `code` (the schema lists them too).
    variants: ClassVar[tuple[str, ...]] = ()

    def __init__(self, code: str | None = None) -> None:
        """`code` names a more precise reason than the class's (kept for the app and the record)."""
        if code is not None:
            self.code = code
        super().__init__(self.code)

    def __str__(self) -> str:
        return str(self.message)


class Forbidden(DomainError):
    kind = Refusal.FORBIDDEN
    code = "forbidden"
    message = _("You may not do this.")


class NotFound(DomainError):
    kind = Refusal.NOT_FOUND
    code = "not_found"
    message = _("Not found.")


class Conflict(DomainError):
    kind = Refusal.CONFLICT
    code = "conflict"
    message = _("The request conflicts with the current state.")


class Unavailable(DomainError):
    kind = Refusal.UNAVAILABLE
    code = "unavailable"
    message = _("This is not available just now. Please try again later.")


class OwnCase(Forbidden):
    """Nobody decides on their own case: verifying their own attendance, approving their own
    organisation, redemption or conversion, confirming a match they are part of. Points and
    certificates are money-like and carry the city's name, so one rule for every app."""

    code = "own_case"
    message = _("You cannot decide on a case of your own: ask another member of staff.")
    record: object = None  # the attempt as core.duties recorded it


class ReauthenticationRequired(Forbidden):
    code = "reauthentication_required"
    message = _("Please confirm your password (sign in again) first: this cannot be undone.")


class IdempotencyKeyRequired(DomainError):
    code = "idempotency_key_required"
    message = _("Send an Idempotency-Key header with this request, so that a retry is safe.")


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    message = _("This Idempotency-Key was already used for a different request.")


class ReasonRequired(DomainError):
    """Every staff decision and correction must say why: one rule for every app."""

    code = "reason_required"
    message = _("A reason is required.")


def required_reason(reason: str | None) -> str:
    """The reason stripped of surrounding space; refused when nothing is left."""
    stripped = (reason or "").strip()
    if not stripped:
        raise ReasonRequired()
    return stripped
