"""Transient database errors: retried where the work allows it, else an honest 503.

A serialization failure or a deadlock (PostgreSQL's 40001 and 40P01) or SQLite's "database is
locked" says nothing about the request: the same transaction, run again a moment later, will
most likely pass. `retry_transient` runs a service's own transaction again a few times, with
jittered backoff, but only when it is the outermost one (inside a caller's transaction a retry
would repeat only part of the work; the caller's transaction fails instead). Whatever still
fails, and a database that is down or restarting, is answered 503 `database_busy` with
`Retry-After`, in the JSON error shape on the app's paths and as a short page elsewhere
(`TransientDatabaseErrorMiddleware`; the API's handler does the same in core.api.errors).
"""

import logging
import random
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _

from core.limits import JSON_PATHS

logger = logging.getLogger(__name__)

TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
RETRY_AFTER_SECONDS = 2
BUSY_CODE = "database_busy"
BUSY_MESSAGE = _("The service is busy just now. Please try again in a moment.")
Function = TypeVar("Function", bound=Callable[..., Any])


def is_transient(error: BaseException) -> bool:
    """A conflict between transactions that a second try may pass."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return sqlstate in TRANSIENT_SQLSTATES or "database is locked" in str(error)


def is_unavailable(error: BaseException) -> bool:
    """The database refused or lost the request: a conflict, or a server down or restarting."""
    return isinstance(error, OperationalError | InterfaceError)


def retry_transient(attempts: int = 3, base_delay: float = 0.05) -> Callable[[Function], Function]:
    """Runs the function in a transaction of its own, again on a transient error (at most
    `attempts` times in all, with jittered exponential backoff), when no outer transaction is open."""

    def decorate(function: Function) -> Function:
        @wraps(function)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if connection.in_atomic_block:
                with transaction.atomic():
                    return function(*args, **kwargs)
            for attempt in range(1, attempts + 1):
                try:
                    with transaction.atomic():
                        return function(*args, **kwargs)
                except DatabaseError as error:
                    if attempt == attempts or not is_transient(error):
                        raise
                    delay = base_delay * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)  # noqa: S311 (jitter)
                    logger.warning(
                        "%s: %s, attempt %d of %d, again in %.0f ms",
                        function.__qualname__,
                        type(error.__cause__ or error).__name__,
                        attempt,
                        attempts,
                        delay * 1000,
                    )
                    time.sleep(delay)
            raise AssertionError("unreachable")  # pragma: no cover

        return wrapped  # type: ignore[return-value]

    return decorate


def busy_response(request: HttpRequest, code: str = BUSY_CODE) -> HttpResponse:
    """503 with Retry-After: the JSON error shape on the app's paths, a short page elsewhere."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith(JSON_PATHS):
        body = {"code": code, "message": str(BUSY_MESSAGE)}
        return JsonResponse(body, status=503, headers=headers)
    page = f"<!doctype html><title>503</title><p>{BUSY_MESSAGE}</p>"
    return HttpResponse(page, status=503, headers=headers, content_type="text/html; charset=utf-8")


class TransientDatabaseErrorMiddleware:
    """A database error that reaches the top of a page or an endpoint outside DRF (allauth's, the
    staff pages): 503 with Retry-After rather than a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_unavailable(exception):
            return None
        logger.warning("%s %s: database unavailable: %s", request.method, request.path, exception)
        return busy_response(request)
