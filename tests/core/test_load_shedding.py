"""Load shedding (core.load): past WEB_MAX_IN_FLIGHT requests in a process, the next answers 503
`overloaded` with Retry-After at once, in the JSON shape on the API; liveness is never shed.
The real gunicorn under a held database: tests/integration/test_load_shedding.py."""

import json
import threading
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from core.load import LoadSheddingMiddleware


class HeldView:
    """A view that holds its first caller until released."""

    def __init__(self) -> None:
        self.entered, self.release = threading.Event(), threading.Event()
        self.calls = 0

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.calls += 1
        if self.calls == 1:
            self.entered.set()
            self.release.wait(timeout=10)
        return HttpResponse("done")


def test_a_request_past_the_limit_is_shed_at_once_and_the_slot_comes_back(settings: Any) -> None:
    settings.WEB_MAX_IN_FLIGHT = 1
    view = HeldView()
    middleware, factory = LoadSheddingMiddleware(view), RequestFactory()
    first: list[HttpResponse] = []
    holder = threading.Thread(target=lambda: first.append(middleware(factory.get("/api/v1/events/"))))
    holder.start()
    assert view.entered.wait(timeout=10)

    shed = middleware(factory.get("/api/v1/events/", HTTP_ACCEPT_LANGUAGE="en"))
    page = middleware(factory.get("/staff/", HTTP_ACCEPT_LANGUAGE="ja"))
    alive = middleware(factory.get("/healthz"))

    view.release.set()
    holder.join(timeout=10)
    assert (shed.status_code, shed["Retry-After"]) == (503, "2")
    assert json.loads(shed.content) == {
        "code": "overloaded",
        "message": "The service is busy just now. Please try again in a moment.",
    }
    assert page.status_code == 503
    assert "ただいま混み合っています" in page.content.decode()
    assert alive.status_code == 200
    assert first[0].status_code == 200
    assert middleware(factory.get("/api/v1/events/")).status_code == 200  # the slot is free again
    assert view.calls == 3  # the first, /healthz and the last: the shed ones never reached the view


def test_no_limit_sheds_nothing(settings: Any) -> None:
    settings.WEB_MAX_IN_FLIGHT = 0
    assert LoadSheddingMiddleware(HeldView()).slots is None
