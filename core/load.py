"""Load shedding: a web process works on at most `WEB_MAX_IN_FLIGHT` requests at once and answers
the rest at once with 503 `overloaded` and `Retry-After`, instead of holding their connections
until a slow database or a burst lets them through (the app retries after the pause it is told).

Gunicorn runs threaded workers with twice as many threads as requests allowed in flight
(config/gunicorn.conf.py): the spare threads answer the 503s, and `/healthz`, which is never shed.
Beyond those threads gunicorn stops accepting, and its bounded backlog holds the rest. 0 (the
embedded default, the development server) switches shedding off.
"""

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from core.db import busy_response

logger = logging.getLogger(__name__)

OVERLOADED_CODE = "overloaded"
NEVER_SHED = frozenset({"/healthz"})  # liveness: the process answers, even when saturated


class LoadSheddingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        limit = settings.WEB_MAX_IN_FLIGHT
        self.slots = threading.BoundedSemaphore(limit) if limit > 0 else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.slots is None or request.path in NEVER_SHED:
            return self.get_response(request)
        if not self.slots.acquire(blocking=False):
            logger.warning(
                "%s %s: shed, %d requests already in flight",
                request.method,
                request.path,
                settings.WEB_MAX_IN_FLIGHT,
            )
            # Shed before LocaleMiddleware: the language is read from the request here.
            with translation.override(translation.get_language_from_request(request)):
                return busy_response(request, OVERLOADED_CODE)
        try:
            return self.get_response(request)
        finally:
            self.slots.release()
