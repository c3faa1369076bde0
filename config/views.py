import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from redis.exceptions import RedisError

from core.tasks import HEARTBEAT_KEY, redis_client


def home(request: HttpRequest) -> HttpResponse:
    """A landing page that points to the API documents and the staff pages."""
    return render(request, "home.html")


def health(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Cheap, touching nothing (a restart mends nothing else)."""
    return JsonResponse({"status": "ok"})


def ready(request: HttpRequest) -> JsonResponse:
    """Readiness, for the load balancer and compose: the database answers, and with Redis
    configured, Redis answers and a worker ran beat's heartbeat lately. 503 with Retry-After and
    the failing check otherwise, so traffic goes elsewhere rather than waits."""
    checks = {"database": _database()}
    if settings.REDIS_URL:
        checks.update(_redis_and_workers())
    ready = all(check == "ok" for check in checks.values())
    response = JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
    if not ready:
        response["Retry-After"] = "10"
    return response


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unavailable"
    return "ok"


def _redis_and_workers() -> dict[str, str]:
    client = redis_client()
    try:
        client.ping()
        beat = client.get(HEARTBEAT_KEY)
    except RedisError:
        return {"redis": "unavailable", "workers": "unknown"}
    age = None if beat is None else time.time() - float(beat)
    if age is None or age > settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS:
        seen = "never" if age is None else f"{age:.0f} s ago"
        return {"redis": "ok", "workers": f"no heartbeat (last {seen})"}
    return {"redis": "ok", "workers": "ok"}
