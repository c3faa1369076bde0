"""A chaos run: a minute of residents' and staff's writes while Redis and a worker are killed and
restarted, then the counts that prove nothing was lost or done twice.

    eval "$(scripts/services.sh up)"    # PostgreSQL on loopback; the run starts a Redis of its own
    .venv/bin/python scripts/chaos.py [--seconds 60] [--clients 8] [--residents 400]

Bounded and on loopback only: a throwaway database beside DATABASE_URL's, a `redis-server` of its
own on a free port (append-only, in a temporary folder), gunicorn with the Dockerfile's
configuration (config/gunicorn.conf.py) and two Celery workers. The run plays beat for the sweeps,
every 10 seconds (beat's own intervals are minutes), with the sweeps' thresholds at 5 seconds.

What is killed, as fractions of --seconds: Redis (SIGKILL) at 20 %, back at 40 %; a worker
(SIGKILL, wherever it is) at 55 %, back at 70 %; Redis again at 80 %, back at 90 %. A worker that
exits by itself (Celery can give up when Redis vanishes under an acknowledgement) is started again
at once, as docker compose's restart policy does, and the run says so.

The stream: `--clients` threads, each request one of
- a resident posts a need (`POST /api/v1/needs/` with an Idempotency-Key), matched by a worker;
- a resident checks in at the running event with the venue's code (`POST /api/v1/checkins/`);
- a resident donates points to a group (`POST /api/v1/points/redemptions/`, Idempotency-Key);
- the organiser verifies up to ten of those checked in (`POST /api/v1/staff/events/{id}/verify/`,
  Idempotency-Key), which a worker awards and announces.
A request that fails to connect or answers 5xx is sent again with the same key, as the app does
(honouring Retry-After; six tries at most).

Afterwards the run drains: sweeps every 5 seconds until every matching request is processed,
every verification awarded and every notification delivered on both channels (180 s at most).

It prints requests by operation and status; the lag p50/p95 from a need posted to its matching
run, from a verification to its award and from a notification to its delivery; and the counts:
for each kind of write, acknowledged and stored, lost (acknowledged, not stored) and doubled, and
the reconciliation of the ledger. Exits 1 when anything was lost or doubled, a request failed
for good, or one answered 500.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_checkin import free_port, seed, server_environment  # noqa: E402
from bench_database import bench_database_url, drop_database, recreate_database  # noqa: E402

API = "/api/v1"
TRIES = 6
SWEEP_EVERY, DRAIN_SECONDS = 10.0, 180.0
OPERATIONS = {"need": 3, "checkin": 4, "donation": 3, "verify": 1}  # relative frequency
BALANCE, DONATION = 1000, 10
OFFERS = 40
# A need's title carries its key in letters: digits from a random key could read as an individual
# number (twelve digits across the key's dashes) and be refused, as they should.
LETTERS = str.maketrans("0123456789-", "ghijklmnopq")
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
MORNINGS = [{"weekday": day, "start": "09:00", "end": "12:00"} for day in range(7)]


@dataclass
class Stream:
    """What the clients sent and what was acknowledged, shared by their threads."""

    statuses: dict[str, Counter[str]] = field(default_factory=lambda: {op: Counter() for op in OPERATIONS})
    needs: list[str] = field(default_factory=list)  # titles of acknowledged needs
    checked_in: set[int] = field(default_factory=set)  # resident indexes
    to_verify: list[int] = field(default_factory=list)
    verified: set[int] = field(default_factory=set)  # participation ids
    donations: list[int] = field(default_factory=list)  # redemption ids
    failed_for_good: Counter[str] = field(default_factory=Counter)
    code: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)


class Stack:
    """Redis, gunicorn and two workers of the run's own, started and killed by it."""

    def __init__(self, environment: dict[str, str], redis_port: int, web_port: int, folder: Path) -> None:
        self.environment, self.redis_port, self.web_port, self.folder = (
            environment,
            redis_port,
            web_port,
            folder,
        )
        self.redis: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes] | None] = [None, None]
        self.web: subprocess.Popen[bytes] | None = None
        self.events: list[str] = []
        self.restarts = 0
        self.log_file = (folder / "stack.log").open("ab")  # the workers' and gunicorn's logs

    def _log(self, event: str, started: float) -> None:
        self.events.append(f"{time.monotonic() - started:6.1f} s  {event}")

    def redis_start(self, started: float) -> None:
        self.redis = subprocess.Popen(  # noqa: S603 - Debian's redis-server, our arguments
            [
                REDIS_SERVER,
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--maxmemory-policy",
                "noeviction",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
        )
        _wait_for_port(self.redis_port)
        self._log("Redis started", started)

    def redis_kill(self, started: float) -> None:
        if self.redis is not None:
            self.redis.send_signal(signal.SIGKILL)
            self.redis.wait()
        self._log("Redis SIGKILLed", started)

    def worker_start(self, index: int, started: float) -> None:
        self.workers[index] = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                f"--hostname=chaos{index}-{os.getpid()}@localhost",
            ],
            cwd=ROOT,
            env=self.environment,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        self._log(f"worker {index} started", started)

    def worker_kill(self, index: int, started: float) -> None:
        worker = self.workers[index]
        if worker is not None:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        self.workers[index] = None  # down by plan, until worker_start
        self._log(f"worker {index} SIGKILLed", started)

    def supervise(self, started: float) -> None:
        """What docker compose's restart policy (unless-stopped) does: a worker that exited by
        itself (Celery may give up on a broker that vanished mid-acknowledgement) starts again."""
        for index, worker in enumerate(self.workers):
            if worker is not None and worker.poll() is not None:
                self._log(f"worker {index} exited by itself (code {worker.returncode}): restarted", started)
                self.restarts += 1
                self.worker_start(index, started)

    def web_start(self) -> None:
        self.web = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--config",
                "config/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=ROOT,
            env=self.environment,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        _wait_for_port(self.web_port)

    def stop(self) -> None:
        for process in [self.web, *self.workers, self.redis]:
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.log_file.close()


def _wait_for_port(port: int, seconds: float = 30) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"nothing answered on port {port} within {seconds:.0f} s")


def send(
    port: int, method: str, path: str, token: str, body: dict[str, Any] | None = None, key: str | None = None
) -> tuple[str, dict[str, Any] | list[Any] | None, float]:
    """One attempt: (status or "no connection", the JSON body, the Retry-After seconds)."""
    headers = {"X-Session-Token": token, "Content-Type": "application/json", "Accept-Language": "ja"}
    if key is not None:
        headers["Idempotency-Key"] = key
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        retry_after = float(response.getheader("Retry-After") or 0)
        parsed = (
            json.loads(raw)
            if raw and response.getheader("Content-Type", "").startswith("application/json")
            else None
        )
        return str(response.status), parsed, retry_after
    except (OSError, http.client.HTTPException):
        return "no connection", None, 0.5
    finally:
        connection.close()


def attempt(
    stream: Stream,
    op: str,
    port: int,
    method: str,
    path: str,
    token: str,
    body: dict[str, Any] | None,
    key: str | None,
) -> tuple[str, Any]:
    """The request, sent again with the same key while it fails to connect or answers 5xx."""
    for _try in range(TRIES):
        status, parsed, retry_after = send(port, method, path, token, body, key)
        code = parsed.get("code") if isinstance(parsed, dict) and not status.startswith("2") else None
        with stream.lock:
            stream.statuses[op][f"{status} {code}" if code else status] += 1
        if status != "no connection" and not status.startswith("5") and status != "429":
            return status, parsed
        time.sleep(min(max(retry_after, 0.2), 2.0))
    with stream.lock:
        stream.failed_for_good[op] += 1
    return status, parsed


@dataclass(frozen=True)
class Scene:
    event: int
    tokens: list[str]
    organiser: str
    participations: list[int]  # by resident index
    category: str
    district: str
    reward: int


def seed_scene(residents: int) -> Scene:
    event_id, tokens, organiser_token = seed(residents)
    from django.db import transaction

    from events.models import Activity, Participation
    from matching.models import Offer
    from points.models import Account, Reward, Scheme
    from points.services.ledger import Line, resident_account, system_account, transaction_post
    from volunteer.models import User

    event = Activity.objects.select_related("category", "school_district", "organisation").get(pk=event_id)
    by_person = dict(Participation.objects.filter(activity=event).values_list("person_id", "pk"))
    people = sorted(by_person)  # bulk-created in the order of the tokens
    scheme = Scheme.objects.get(code="kumamoto")
    issuance = system_account(scheme=scheme, kind=Account.Kind.ISSUANCE)
    with transaction.atomic():
        for person_id in people:
            person = User(pk=person_id)
            transaction_post(
                kind="award",
                business_key=f"chaos:seed:{person_id}",
                scheme=scheme,
                lines=[
                    Line(issuance, -BALANCE),
                    Line(resident_account(scheme=scheme, person=person), BALANCE),
                ],
                memo="chaos run: a starting balance",
            )
    now = dt.datetime.now(dt.UTC)
    for person_id in people[:OFFERS]:
        offer = Offer.objects.create(
            person_id=person_id,
            school_district=event.school_district,
            weekly_availability=MORNINGS,
            max_per_week=7,
            valid_until=now.date() + dt.timedelta(days=90),
            created_at=now,
            updated_at=now,
        )
        offer.categories.set([event.category])
    reward = Reward.objects.create(
        scheme=scheme,
        kind=Reward.Kind.DONATION,
        name="チャリティ",
        cost=DONATION,
        organisation=event.organisation,
    )
    return Scene(
        event=event_id,
        tokens=tokens,
        organiser=organiser_token,
        participations=[by_person[person_id] for person_id in people],
        category=event.category.code,
        district=event.school_district.code,
        reward=reward.pk,
    )


def client(stream: Stream, scene: Scene, port: int, until: float, rng: random.Random) -> None:
    operations, weights = list(OPERATIONS), list(OPERATIONS.values())
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).astimezone(dt.timezone(dt.timedelta(hours=9)))
    window = tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)
    while time.monotonic() < until:
        op = rng.choices(operations, weights)[0]
        resident = rng.randrange(len(scene.tokens))
        key = str(uuid.uuid4())
        if op == "need":
            title = f"chaos need {key[:13].translate(LETTERS)}"
            body: dict[str, Any] = {
                "title": title,
                "category": scene.category,
                "school_district": scene.district,
                "windows": [
                    {"starts_at": window.isoformat(), "ends_at": (window + dt.timedelta(hours=1)).isoformat()}
                ],
            }
            status, _ = attempt(stream, op, port, "POST", f"{API}/needs/", scene.tokens[resident], body, key)
            if status == "201":
                with stream.lock:
                    stream.needs.append(title)
        elif op == "checkin":
            body = {"event": scene.event, "token": stream.code, "direction": "in"}
            status, _ = attempt(
                stream, op, port, "POST", f"{API}/checkins/", scene.tokens[resident], body, None
            )
            if status in ("200", "201"):
                with stream.lock:
                    if resident not in stream.checked_in:
                        stream.checked_in.add(resident)
                        stream.to_verify.append(resident)
        elif op == "donation":
            body = {"reward": scene.reward}
            path = f"{API}/points/redemptions/"
            status, answer = attempt(stream, op, port, "POST", path, scene.tokens[resident], body, key)
            if status == "201" and isinstance(answer, dict):
                with stream.lock:
                    stream.donations.append(int(answer["id"]))
        else:
            with stream.lock:
                batch, stream.to_verify[:10] = stream.to_verify[:10], []
            if not batch:
                continue
            ids = [scene.participations[index] for index in batch]
            body = {"participations": ids, "minutes": 60, "reason": "chaos run"}
            path = f"{API}/staff/events/{scene.event}/verify/"
            status, answer = attempt(stream, op, port, "POST", path, scene.organiser, body, key)
            if status == "200" and isinstance(answer, list):
                with stream.lock:
                    stream.verified.update(item["participation"] for item in answer if item["ok"])


def refresh_code(stream: Stream, scene: Scene, port: int) -> None:
    status, answer, _ = send(port, "GET", f"{API}/staff/events/{scene.event}/checkin-token/", scene.organiser)
    if status == "200" and isinstance(answer, dict):
        stream.code = str(answer["token"])


def sweep() -> None:
    """What beat does, more often: publish the three sweeps (each skipped, logged, if Redis is down)."""
    from core.deferred import publish
    from matching.tasks import matching_sweep_task
    from points.tasks import awards_sweep_task
    from volunteer.tasks import deferred_sweep_task

    for task in (matching_sweep_task, awards_sweep_task, deferred_sweep_task):
        publish(task)


def outstanding() -> dict[str, int]:
    from django.db.models import Count

    from events.models import Participation
    from matching.models import MatchingRequest
    from points.models import ParticipationAwarded
    from volunteer.models import Notification

    awarded = ParticipationAwarded.objects.values("participation_id")
    return {
        "matching requests": MatchingRequest.objects.filter(processed_at__isnull=True).count(),
        "awards": Participation.objects.filter(verified_at__isnull=False).exclude(pk__in=awarded).count(),
        "notifications": Notification.objects.annotate(n=Count("deliveries")).filter(n__lt=2).count(),
    }


def run(arguments: argparse.Namespace) -> bool:
    url = bench_database_url("_chaos")
    recreate_database(url)
    folder = Path(tempfile.mkdtemp(prefix="chaos-"))
    redis_port, web_port = free_port(), free_port()
    environment = {
        **server_environment(url),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "WEB_MAX_IN_FLIGHT": "4",
        "MATCHING_SWEEP_AFTER_SECONDS": "5",
        "POINTS_AWARD_SWEEP_AFTER_SECONDS": "5",
        "DEFERRED_SWEEP_AFTER_SECONDS": "5",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(folder / "mail"),
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(
        {
            k: environment[k]
            for k in (
                "DATABASE_URL",
                "REDIS_URL",
                "DJANGO_SETTINGS_MODULE",
                "DJANGO_DEBUG",
                "LOG_LEVEL",
                "DEMO_MODE",
            )
        }
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    scene = seed_scene(arguments.residents)
    stack = Stack(environment, redis_port, web_port, folder)
    started = time.monotonic()
    stream = Stream()
    ok = False
    try:
        stack.redis_start(started)
        stack.worker_start(0, started)
        stack.worker_start(1, started)
        stack.web_start()
        refresh_code(stream, scene, web_port)
        seconds = arguments.seconds
        started = time.monotonic()
        stack.events.clear()
        plan = sorted(
            [
                (0.20 * seconds, lambda: stack.redis_kill(started)),
                (0.40 * seconds, lambda: stack.redis_start(started)),
                (0.55 * seconds, lambda: stack.worker_kill(0, started)),
                (0.70 * seconds, lambda: stack.worker_start(0, started)),
                (0.80 * seconds, lambda: stack.redis_kill(started)),
                (0.90 * seconds, lambda: stack.redis_start(started)),
            ],
            key=lambda step: step[0],
        )
        until = started + seconds
        clients = [
            threading.Thread(target=client, args=(stream, scene, web_port, until, random.Random(n)))
            for n in range(arguments.clients)
        ]
        for thread in clients:
            thread.start()
        next_sweep = started + SWEEP_EVERY
        while time.monotonic() < until:
            now = time.monotonic()
            while plan and now - started >= plan[0][0]:
                plan.pop(0)[1]()
            if now >= next_sweep:
                sweep()
                refresh_code(stream, scene, web_port)
                next_sweep = now + SWEEP_EVERY
            stack.supervise(started)
            time.sleep(0.1)
        for thread in clients:
            thread.join()
        for _at, step in plan:
            step()
        stream_seconds = time.monotonic() - started
        drained = drain(stack, started)
        ok = report(stream, scene, stack, stream_seconds, drained, arguments)
    finally:
        stack.stop()
        from django.db import connections

        connections.close_all()
        drop_database(url)
    if ok:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"the workers' and gunicorn's logs: {folder / 'stack.log'}")
    return ok


def drain(stack: Stack, started: float) -> float:
    drain_started = time.monotonic()
    while time.monotonic() - drain_started < DRAIN_SECONDS:
        stack.supervise(started)
        sweep()
        if not any(outstanding().values()):
            break
        time.sleep(5)
    stack._log("drained" if not any(outstanding().values()) else "drain timed out", started)
    return time.monotonic() - drain_started


def percentiles(lags: list[float]) -> str:
    if not lags:
        return "      —        —"
    ordered = sorted(lags)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{statistics.median(ordered):7.1f} s {p95:7.1f} s"


def report(
    stream: Stream,
    scene: Scene,
    stack: Stack,
    stream_seconds: float,
    drained: float,
    arguments: argparse.Namespace,
) -> bool:
    from django.db.models import Count, Max

    from events.models import CheckIn, Participation
    from matching.models import MatchingRequest, Need
    from points.models import LedgerTransaction, ParticipationAwarded, Redemption
    from points.services import points_reconcile
    from volunteer.models import Notification, NotificationDelivery

    print(
        f"\nchaos run: {arguments.clients} clients for {stream_seconds:.0f} s, "
        f"{len(scene.tokens)} residents, PostgreSQL, Redis, gunicorn (2 workers), 2 Celery workers"
    )
    for line in stack.events:
        print(f"  {line}")
    print(f"\n{'operation':<12}{'requests':>9}  statuses")
    total = 0
    for op, statuses in stream.statuses.items():
        total += sum(statuses.values())
        print(f"{op:<12}{sum(statuses.values()):>9,}  {dict(sorted(statuses.items()))}")
    print(f"{'all':<12}{total:>9,}")

    matching = [
        (processed - created).total_seconds()
        for created, processed in MatchingRequest.objects.filter(
            kind="need", processed_at__isnull=False
        ).values_list("created_at", "processed_at")
        if processed is not None
    ]
    awards = [
        (a.at - a.participation.verified_at).total_seconds()
        for a in ParticipationAwarded.objects.select_related("participation")
        if a.participation.verified_at is not None
    ]
    delivered = Notification.objects.annotate(last=Max("deliveries__at")).filter(last__isnull=False)
    notifications = [(n.last - n.created_at).total_seconds() for n in delivered]
    print(f"\n{'lag':<36}{'p50':>9} {'p95':>9}")
    print(f"{'need posted → matching run':<36}{percentiles(matching)}")
    print(f"{'verified → awarded':<36}{percentiles(awards)}")
    print(f"{'notification → delivered':<36}{percentiles(notifications)}")
    print(f"drained in {drained:.0f} s after the stream")

    needs = Counter(Need.objects.filter(title__startswith="chaos need ").values_list("title", flat=True))
    checkins = Counter(
        CheckIn.objects.filter(activity_id=scene.event, direction="in").values_list(
            "participation_id", flat=True
        )
    )
    acked_checkins = {scene.participations[index] for index in stream.checked_in}
    redemptions = set(Redemption.objects.values_list("pk", flat=True))
    verified = set(Participation.objects.filter(verified_at__isnull=False).values_list("pk", flat=True))
    award_counts = Counter(
        LedgerTransaction.objects.filter(kind="award", participation__isnull=False).values_list(
            "participation_id", flat=True
        )
    )
    undelivered = outstanding()
    doubled_deliveries = (
        NotificationDelivery.objects.values("notification", "channel")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    rows = [
        (
            "needs",
            len(stream.needs),
            sum(needs.values()),
            len(set(stream.needs) - set(needs)),
            sum(n - 1 for n in needs.values()),
        ),
        (
            "check-ins",
            len(acked_checkins),
            sum(checkins.values()),
            len(acked_checkins - set(checkins)),
            sum(n - 1 for n in checkins.values()),
        ),
        (
            "donations",
            len(stream.donations),
            len(redemptions),
            len(set(stream.donations) - redemptions),
            len(redemptions) - len(set(stream.donations)),
        ),
        # A verification is a state, set once: nothing to double.
        ("verifications", len(stream.verified), len(verified), len(stream.verified - verified), None),
        (
            "awards",
            len(verified),
            len(award_counts),
            len(verified - set(award_counts)),
            sum(n - 1 for n in award_counts.values()),
        ),
    ]
    print(f"\n{'writes':<14}{'acknowledged':>13}{'stored':>8}{'lost':>6}{'doubled':>9}")
    for name, acked, stored, lost, doubled in rows:
        print(f"{name:<14}{acked:>13,}{stored:>8,}{lost:>6}{'—' if doubled is None else doubled:>9}")
    print(
        f"notifications: {Notification.objects.count():,} created, "
        f"{undelivered['notifications']} not delivered on both channels, "
        f"{doubled_deliveries} delivered twice on a channel"
    )
    print(
        f"matching requests: {MatchingRequest.objects.count():,}, "
        f"{undelivered['matching requests']} unprocessed, "
        f"{MatchingRequest.objects.filter(parked_at__isnull=False).count()} parked"
    )
    reconciliation = points_reconcile()
    print(
        f"ledger reconciliation: {'no difference' if reconciliation.ok else reconciliation.differences[:5]}"
    )
    failed = sum(stream.failed_for_good.values())
    errors = sum(statuses["500"] for statuses in stream.statuses.values())
    print(
        f"requests failed for good {failed}; answered 500 {errors}; "
        f"workers that exited by themselves {stack.restarts}"
    )
    ok = (
        all(lost == 0 and not doubled for _name, _a, _s, lost, doubled in rows)
        and not any(undelivered.values())
        and doubled_deliveries == 0
        and reconciliation.ok
        and failed == 0
        and errors == 0
    )
    print("nothing lost, nothing doubled" if ok else "FAILED: see the counts above")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the stream")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--residents", type=int, default=400)
    return 0 if run(parser.parse_args()) else 1


if __name__ == "__main__":
    sys.exit(main())
