"""`Idempotency-Key` for the app's writes: a retry gets the first answer, not a second effect.

Required on the money-like writes (redemptions, conversions, certificates); accepted on every
other write the app may retry after a lost answer (posts, registrations, applications, staff
decisions), where a request without one simply is not deduplicated.

The key row is inserted before the work, in the same transaction: a concurrent request with the
same key waits on the unique index until the first commits, then finds its answer. If the work
is refused, everything rolls back, the key included, so a corrected retry may use it again.
"""

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from core import errors
from core.duties import refusal_kept
from core.errors import OwnCase
from core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 100
_DESCRIPTION = "A fresh random key per intended write; a retry with the same key returns the first answer."
IDEMPOTENCY_REQUIRED = OpenApiParameter(
    HEADER, str, OpenApiParameter.HEADER, required=True, description=_DESCRIPTION
)
IDEMPOTENCY_ACCEPTED = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=f"{_DESCRIPTION} Send one on every write.",
)


def idempotent(
    request: Request, person: Any, work: Callable[[], tuple[int, Any]], *, required: bool = True
) -> Response:
    """Runs `work` (returning the status and the body) once per key and person; a repeat with the
    same key and body gets the stored answer with `Idempotent-Replayed: true`."""
    key = request.headers.get(HEADER, "").strip()
    if not key and not required:
        status_code, body = work()
        return Response(body, status=status_code)
    if not key or len(key) > MAX_KEY_LENGTH:
        raise errors.IdempotencyKeyRequired()
    fingerprint = _fingerprint(request)
    try:
        return _once(request, person, work, key, fingerprint)
    except OwnCase as refused:
        refusal_kept(refused)  # rolled back with the key's transaction: recorded again
        raise


def _once(
    request: Request, person: Any, work: Callable[[], tuple[int, Any]], key: str, fingerprint: str
) -> Response:
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user=person,
                    key=key,
                    fingerprint=fingerprint,
                    status_code=0,
                    body={},
                    created_at=timezone.now(),
                )
        except IntegrityError:
            return _replay(IdempotencyKey.objects.get(user=person, key=key), fingerprint)
        status_code, body = work()
        row.status_code, row.body = status_code, {} if body is None else body
        row.save(update_fields=["status_code", "body"])
    return Response(body, status=status_code)


def _replay(row: IdempotencyKey, fingerprint: str) -> Response:
    if row.fingerprint != fingerprint:
        raise errors.IdempotencyKeyReused()
    body = None if row.status_code == 204 else row.body  # (a 204 has no body)
    return Response(body, status=row.status_code, headers={REPLAYED_HEADER: "true"})


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


ViewMethod = TypeVar("ViewMethod", bound=Callable[..., Response])


def accepts_idempotency_key(method: ViewMethod) -> ViewMethod:
    """For a view's write the app may retry: with an `Idempotency-Key`, a repeat gets the first
    answer (a request without one is not deduplicated). Put it below `extend_schema`."""

    @wraps(method)
    def wrapped(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        def work() -> tuple[int, Any]:
            response = method(view, request, *args, **kwargs)
            return response.status_code, response.data

        return idempotent(request, request.user, work, required=False)

    return cast(ViewMethod, extend_schema(parameters=[IDEMPOTENCY_ACCEPTED])(wrapped))
