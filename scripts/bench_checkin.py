"""Benchmark of the check-in endpoint under a bounded load, beside the framework's floor.

    eval "$(scripts/services.sh up)"          # PostgreSQL (and Redis) on loopback
    .venv/bin/python scripts/bench_checkin.py [--seconds 10] [--clients 16] [--workers 2]

It makes a throwaway database next to DATABASE_URL's, migrates it, and seeds one running event
with thousands of registered residents, each with a session token. gunicorn serves the project
from it (`--workers` sync workers, DEBUG off) on loopback, and `--clients` threads send requests
for `--seconds` to each endpoint, taking turns (`--rounds`) so that a slow spell of the shared
machine falls on both:

- the floor: `GET /api/v1/ping/`, the smallest signed-in DRF view;
- check-in: `POST /api/v1/checkins/` with the venue's code, each resident once, then the same
  request again at once (an app retrying), and every fifth resident also from a second thread at
  the same moment (two phones scanning).

It prints requests per second and latencies for both, their ratio (the goal: check-in at half the
floor's throughput or better), and then counts the rows: every resident who got a 2xx has exactly
one check-in, and no other response than 200 or 201 came back. Exits 1 when anything was lost,
duplicated or refused.
"""

import argparse
import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_database import bench_database_url, drop_database, recreate_database  # noqa: E402

RESIDENTS = 10000
API = "/api/v1"
DOUBLE_SCAN_EVERY = 5


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, latency: float) -> None:
        with self.lock:
            self.latencies.append(latency)
            self.statuses[status] = self.statuses.get(status, 0) + 1

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


def server_environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "false",
        "DEMO_MODE": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        # It measures throughput from a few threads on one address: the rate limits would cut it.
        "API_THROTTLE_PERSON": "1000000/minute",
        "API_THROTTLE_ADDRESS": "1000000/minute",
    }


def demo_server_environment(url: str, password: str) -> dict[str, str]:
    """A server of the demo city on `url` whose accounts sign in with `password`, its e-mails kept
    in memory and its tasks run in its own process: none of its messages may reach a shared Redis
    queue, where the integration tests' workers would take them for their own database's rows."""
    return {
        **server_environment(url),
        "DEMO_MODE": "true",
        "DEMO_PASSWORD": password,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "REDIS_URL": "",
    }


def seed(residents: int) -> tuple[int, list[str], str]:
    """(event id, residents' session tokens, the organiser's token) in the bench database."""
    import datetime as dt

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from events.models import Activity, Participation
    from plan_registry.models import Area
    from volunteer.models import ActivityCategory, Consent, Organisation, OrganisationMembership, User

    district = None
    for kind in (Area.Kind.CITY, Area.Kind.WARD, Area.Kind.DAILY_LIFE_AREA, Area.Kind.SCHOOL_DISTRICT):
        district = Area.objects.create(kind=kind, code=f"bench-{kind}", name=f"ベンチ{kind}", parent=district)
    if district is None:
        raise RuntimeError("no school district was made")
    category = ActivityCategory.objects.create(code="bench", name="ベンチ", name_en="bench")
    organisation = Organisation.objects.create(
        name="ベンチ団体",
        kind=Organisation.Kind.NPO,
        status=Organisation.Status.APPROVED,
        area=district,
        applied_at=timezone.now(),
    )
    people = User.objects.bulk_create(
        User(email=f"bench{i}@example.com", display_name=f"住民{i}", password=make_password(None))
        for i in range(residents + 1)
    )
    Consent.objects.bulk_create(  # they signed up in the app: the current terms, agreed
        Consent(user=person, document=document, version=version, consented_at=timezone.now())
        for person in people
        for document, version in settings.CONSENT_CURRENT_VERSIONS.items()
    )
    organiser, residents_ = people[0], people[1:]
    OrganisationMembership.objects.create(organisation=organisation, user=organiser)
    starts = timezone.now() - dt.timedelta(minutes=5)
    event = Activity.objects.create(
        kind=Activity.Kind.EVENT,
        title="ベンチ",
        category=category,
        organisation=organisation,
        school_district=district,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=residents,
        created_at=timezone.now(),
    )
    Participation.objects.bulk_create(
        Participation(activity=event, person=person, registered_at=timezone.now()) for person in residents_
    )
    sessions, tokens = [], []
    expires = timezone.now() + dt.timedelta(days=1)
    for person in people:
        store = SessionStore()
        data = {
            SESSION_KEY: str(person.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: person.get_session_auth_hash(),
        }
        key = store._get_new_session_key()  # type: ignore[attr-defined]  # the app's token is the session key
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        tokens.append(key)
    Session.objects.bulk_create(sessions, batch_size=2000)
    return event.pk, tokens[1:], tokens[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gunicorn(
    environment: dict[str, str], port: int, workers: int, *options: str
) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            *options,
        ],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not answer /healthz within 30 s")


def request(port: int, path: str, token: str, body: dict[str, object] | None = None) -> tuple[int, float]:
    """One request on a fresh connection (gunicorn's sync workers close each one), timed."""
    headers = {"X-Session-Token": token, "Content-Type": "application/json", "Accept-Language": "ja"}
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        payload = json.dumps(body) if body is not None else None
        connection.request("POST" if body is not None else "GET", path, body=payload, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def run_phase(phase: Phase, clients: int, seconds: float, work: Callable[[Phase, float], bool]) -> None:
    """`work(phase, deadline)` in `clients` threads until the deadline or until it returns False;
    the phase's time adds up over rounds."""
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()

    def loop() -> None:
        while time.perf_counter() < deadline and work(phase, deadline):
            pass

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds += time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="per endpoint, over all rounds")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--residents", type=int, default=RESIDENTS)
    parser.add_argument("--rounds", type=int, default=4, help="turns each endpoint takes, alternating")
    arguments = parser.parse_args()

    url = bench_database_url("_bench_checkin")
    recreate_database(url)
    environment = server_environment(url)
    os.environ.update({k: environment[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG")})
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    event_id, tokens, organiser_token = seed(arguments.residents)
    port = free_port()
    server = start_gunicorn(environment, port, arguments.workers)
    try:
        floor, checkin, answered = measure(port, event_id, tokens, organiser_token, arguments)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    ok = report(floor, checkin, answered, event_id, arguments)
    from django.db import connections

    connections.close_all()
    drop_database(url)
    return 0 if ok else 1


def measure(
    port: int, event_id: int, tokens: list[str], organiser_token: str, arguments: argparse.Namespace
) -> tuple[Phase, Phase, set[int]]:
    floor = Phase("floor: GET /api/v1/ping/")
    counter = iter(range(10**9))

    def ping(phase: Phase, deadline: float) -> bool:
        status, latency = request(port, f"{API}/ping/", tokens[next(counter) % len(tokens)])
        phase.record(status, latency)
        return True

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "GET", f"{API}/staff/events/{event_id}/checkin-token/", headers={"X-Session-Token": organiser_token}
    )
    code = json.loads(connection.getresponse().read())["token"]
    connection.close()
    checkin = Phase("check-in: POST /api/v1/checkins/")
    waiting: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(tokens)):
        waiting.put(index)
        if index % DOUBLE_SCAN_EVERY == 0:
            waiting.put(index)  # a second phone: the same resident again, picked up by another thread
    answered: set[int] = set()
    body = {"event": event_id, "token": code, "direction": "in"}

    def scan(phase: Phase, deadline: float) -> bool:
        try:
            index = waiting.get_nowait()
        except queue.Empty:
            return False
        for _attempt in range(2):  # the app retries once, as if the first answer were lost
            status, latency = request(port, f"{API}/checkins/", tokens[index], body)
            phase.record(status, latency)
            if status in (200, 201):
                with phase.lock:
                    answered.add(index)
        return True

    # The two endpoints take turns, so a slow spell of this shared machine falls on both.
    for _round in range(arguments.rounds):
        run_phase(floor, arguments.clients, arguments.seconds / arguments.rounds, ping)
        run_phase(checkin, arguments.clients, arguments.seconds / arguments.rounds, scan)
    return floor, checkin, answered


def report(
    floor: Phase, checkin: Phase, answered: set[int], event_id: int, arguments: argparse.Namespace
) -> bool:
    from django.db.models import Count

    from events.models import CheckIn, Participation

    print(
        f"\n{arguments.workers} gunicorn sync workers, {arguments.clients} client threads, "
        f"{arguments.seconds:.0f} s per endpoint in {arguments.rounds} alternating turns, PostgreSQL"
    )
    print(f"{'endpoint':<36}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}  statuses")
    for phase in (floor, checkin):
        print(
            f"{phase.name:<36}{len(phase.latencies):>10,}{phase.rate:>9.0f}{phase.percentile(0.5):>9.1f}"
            f"{phase.percentile(0.95):>9.1f}  {dict(sorted(phase.statuses.items()))}"
        )
    ratio = checkin.rate / floor.rate if floor.rate else 0.0
    print(
        f"check-in / floor throughput {ratio:.2f} (goal ≥ 0.50: {'met' if ratio >= 0.5 else 'NOT met'}); "
        f"p95 check-in / floor {checkin.percentile(0.95) / max(floor.percentile(0.95), 1e-9):.2f}"
    )
    rows = CheckIn.objects.filter(participation__activity_id=event_id)
    per_person = rows.values("participation").annotate(n=Count("pk"))
    duplicated = sum(row["n"] - 1 for row in per_person if row["n"] > 1)
    checked_in = set(
        Participation.objects.filter(activity_id=event_id, checkins__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    lost = len(answered) - len(checked_in)
    refused = sum(n for status, n in checkin.statuses.items() if status not in (200, 201))
    print(
        f"residents answered 2xx {len(answered):,}; check-in rows {rows.count():,}; "
        f"lost {lost}; duplicated {duplicated}; refused or failed requests {refused}"
    )
    return lost == 0 and duplicated == 0 and refused == 0 and not any(s >= 400 for s in floor.statuses)


if __name__ == "__main__":
    sys.exit(main())
