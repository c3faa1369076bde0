"""`Idempotency-Key` for the app's writes: a retry gets the first answer, not a second effect.

The key row is inserted before the work, in the same transaction: a concurrent request with the
same key waits on the unique index until the first commits, then finds its answer. If the work
is refused, everything rolls back, the key included, so a corrected retry may use it again.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response

from points import errors
from points.models import IdempotencyKey
from volunteer.models import User

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"


def idempotent(request: Request, person: User, work: Callable[[], tuple[int, Any]]) -> Response:
    key = request.headers.get(HEADER, "").strip()
    if not key or len(key) > 100:
        raise errors.IdempotencyKeyRequired()
    fingerprint = _fingerprint(request)
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
        row.status_code, row.body = status_code, body
        row.save(update_fields=["status_code", "body"])
    return Response(body, status=status_code)


def _replay(row: IdempotencyKey, fingerprint: str) -> Response:
    if row.fingerprint != fingerprint:
        raise errors.IdempotencyKeyReused()
    return Response(row.body, status=row.status_code, headers={REPLAYED_HEADER: "true"})


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()
