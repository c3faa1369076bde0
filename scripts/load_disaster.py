"""Load test of disaster mode: shelter reception and the volunteer centre's door, beside the floor.

    eval "$(scripts/services.sh up)"          # PostgreSQL and Redis on loopback
    .venv/bin/python scripts/load_disaster.py [--households 4000] [--volunteers 2000] [--clients 12]

It makes a throwaway database next to DATABASE_URL's, migrates it and seeds a declared disaster
with open shelters, households registered in the app (one to four people each), a disaster
volunteer centre and its registered, insured volunteers. gunicorn serves the project from it
(`--workers` sync workers) with a real Celery worker on Redis (its own Redis database, so no
other worker takes its messages); the worker sends the centre's call-ups before the door opens.
`--clients` threads then play the scanning devices, in alternating turns with the floor:

- the floor: `GET /api/v1/ping/`, the smallest signed-in DRF view;
- shelters: `POST /staff/shelters/{id}/receptions/`, one scan of each household head's shelter
  code; every scan is sent again at once with the same reception id (the answer was "lost"),
  every fifth household is also scanned by a second device (a new reception id, answered 409
  `household_already_received`), and every tenth is queued on a device that was offline and
  uploaded later in batches of 50 (`…/receptions/batch/`), twice over;
- the centre: `POST /staff/centres/{id}/receptions/`, each volunteer's app code, with the same
  retry and offline batches.

It prints throughput and latency (p50, p95) for each, the ratio against the floor measured in the
same run, the goals (shelters: 50 scans a second or more with p95 under 300 ms; the centre: 2,000
receptions within the hour), and then counts rows: every household scanned has exactly one stay,
every volunteer exactly one reception, and the headcounts the API gives equal the stored rows.
Exits 1 when anything was lost, doubled, refused unexpectedly, or a goal was missed.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import queue
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_checkin import Phase, free_port, run_phase, server_environment, start_gunicorn  # noqa: E402
from bench_database import bench_database_url, drop_database, recreate_database  # noqa: E402

API = "/api/v1"
SHELTERS = 12
SECOND_DEVICE_EVERY = 5
OFFLINE_EVERY = 10
BATCH = 50
SHELTER_GOAL_RATE, SHELTER_GOAL_P95_MS, CENTRE_GOAL_SECONDS = 50.0, 300.0, 3600.0


def post(port: int, path: str, token: str, body: object) -> tuple[int, float, Any]:
    """One request on a fresh connection (gunicorn's sync workers close each one), timed."""
    headers = {"X-Session-Token": token, "Content-Type": "application/json", "Accept-Language": "ja"}
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST" if body is not None else "GET", path, body=json.dumps(body), headers=headers
        )
        response = connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        parsed = json.loads(payload) if payload.startswith((b"{", b"[")) else None
        return response.status, elapsed, parsed
    finally:
        connection.close()


def seed(households: int, volunteers: int) -> dict[str, Any]:
    """The disaster, shelters, households (heads' ids and sizes), the centre and its volunteers,
    and session tokens for the devices; returned as plain values."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from disaster.models import (
        AvailableDay,
        CentreRegistration,
        Disaster,
        Household,
        HouseholdMember,
        Shelter,
        VolunteerCentre,
    )
    from plan_registry.models import Area
    from volunteer.models import Consent, Qualification, QualificationType, StaffRole, User

    now, today = timezone.now(), timezone.localdate()
    city = Area.objects.create(kind=Area.Kind.CITY, code="load-city", name="負荷市")
    ward = Area.objects.create(kind=Area.Kind.WARD, code="load-ward", name="負荷区", parent=city)
    area = Area.objects.create(kind=Area.Kind.DAILY_LIFE_AREA, code="load-dla", name="負荷圏域", parent=ward)
    district = Area.objects.create(
        kind=Area.Kind.SCHOOL_DISTRICT, code="load-01", name="負荷校区", parent=area
    )
    people = User.objects.bulk_create(
        User(
            email=f"load{i}@example.com",
            display_name=f"住民{i}",
            password=make_password(None),
            school_district=district,
        )
        for i in range(households + volunteers + 8)
    )
    Consent.objects.bulk_create(
        Consent(user=person, document=document, version=version, consented_at=now)
        for person in people
        for document, version in settings.CONSENT_CURRENT_VERSIONS.items()
    )
    devices, heads, helpers = people[:8], people[8 : 8 + households], people[8 + households :]
    for device in devices:
        StaffRole.objects.create(user=device, role=StaffRole.Role.DISASTER_OFFICE).areas.set([ward])
    disaster = Disaster.objects.create(
        name="負荷試験の地震",
        declared_at=now - dt.timedelta(hours=1),
        declared_by=devices[0],
        lapses_at=now + dt.timedelta(days=3),
    )
    disaster.wards.set([ward])
    shelters = Shelter.objects.bulk_create(
        Shelter(
            name=f"第{i}避難所",
            school_district=district,
            capacity=2000,
            status=Shelter.Status.OPEN,
            disaster=disaster,
        )
        for i in range(SHELTERS)
    )
    homes = Household.objects.bulk_create(Household(head=head, updated_at=now) for head in heads)
    HouseholdMember.objects.bulk_create(
        HouseholdMember(household=home, name=f"家族{home.pk}-{n}", age_group="adult")
        for index, home in enumerate(homes)
        for n in range(index % 4)
    )
    centre = VolunteerCentre.objects.create(
        disaster=disaster, name="負荷試験VC", school_district=district, daily_quota=volunteers, opened_at=now
    )
    registrations = CentreRegistration.objects.bulk_create(
        CentreRegistration(centre=centre, person=person, home_prefecture=43, registered_at=now)
        for person in helpers
    )
    AvailableDay.objects.bulk_create(
        AvailableDay(registration=r, day=today + dt.timedelta(days=2)) for r in registrations
    )
    AvailableDay.objects.bulk_create(AvailableDay(registration=r, day=today) for r in registrations)
    insurance, _ = QualificationType.objects.get_or_create(
        code=settings.DISASTER_INSURANCE_CODE,
        defaults={
            "name": "ボランティア活動保険（天災・地震プラン）",
            "name_en": "insurance",
            "kind": "insurance",
        },
    )
    Qualification.objects.bulk_create(
        Qualification(user=person, qualification_type=insurance, obtained_on=today - dt.timedelta(days=10))
        for person in helpers
    )
    return {
        "tokens": [_session_token(device) for device in devices],
        "shelters": [shelter.pk for shelter in shelters],
        "heads": [(head.pk, 1 + index % 4) for index, head in enumerate(heads)],
        "centre": centre.pk,
        "volunteers": [person.pk for person in helpers],
    }


def _session_token(person: Any) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store.update(
        {
            SESSION_KEY: str(person.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: person.get_session_auth_hash(),
        }
    )
    store.create()
    return str(store.session_key)


def shelter_code(person_id: int) -> str:
    from django.conf import settings
    from django.utils import timezone

    from disaster.services.households import pass_key
    from events import tokens

    lifetime = settings.SHELTER_CODE_LIFETIME_HOURS * 3600
    return tokens.resident_token_make(
        key=pass_key(), person_id=person_id, at=timezone.now(), lifetime=lifetime
    )


def volunteer_code(person_id: int) -> str:
    from django.conf import settings
    from django.utils import timezone

    from events import tokens
    from events.services.attendance import code_key

    lifetime = settings.CHECKIN_PERSONAL_CODE_LIFETIME
    return tokens.resident_token_make(
        key=code_key(), person_id=person_id, at=timezone.now(), lifetime=lifetime
    )


class Door:
    """One kind of door (shelters or the centre): the scans still to make, those held by offline
    devices, and what the devices were told."""

    def __init__(self, name: str, scans: list[tuple[str, dict[str, Any], str]]) -> None:
        self.phase = Phase(name)
        self.waiting: queue.SimpleQueue[tuple[str, dict[str, Any], str]] = queue.SimpleQueue()
        self.offline: list[tuple[str, dict[str, Any], str]] = []
        self.told: dict[str, str] = {}  # reception id → "stored" or the refusal's code
        self.unexpected: dict[str, int] = {}
        for scan in scans:
            self.waiting.put(scan)

    def note(self, reception_id: str, status: int, body: Any, expected_refusal: str | None) -> None:
        code = str(body.get("code")) if isinstance(body, dict) else None
        with self.phase.lock:
            if status in (200, 201):
                self.told[reception_id] = "stored"
            elif status == 409 and code is not None and code == expected_refusal:
                self.told[reception_id] = code
            else:
                key = f"{status} {code}"
                self.unexpected[key] = self.unexpected.get(key, 0) + 1


def shelter_scans(seeded: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """(path, body, the refusal expected or "") for every scan, second devices included."""
    now, scans = _now_iso(), []
    for index, (head_id, _size) in enumerate(seeded["heads"]):
        shelter = seeded["shelters"][index % len(seeded["shelters"])]
        path = f"{API}/staff/shelters/{shelter}/receptions/"
        body = {
            "reception_id": str(uuid.uuid4()),
            "scanned_at": now,
            "stay_type": "shelter",
            "code": shelter_code(head_id),
        }
        if index % SECOND_DEVICE_EVERY:
            scans.append((path, body, ""))
            continue
        # Two devices scan the household: whichever the server takes first stores it, and the
        # other is told `household_already_received` (the rows are counted below).
        second = {**body, "reception_id": str(uuid.uuid4())}
        scans += [(path, body, "household_already_received"), (path, second, "household_already_received")]
    return scans


def centre_scans(seeded: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    path, now = f"{API}/staff/centres/{seeded['centre']}/receptions/", _now_iso()
    return [
        (path, {"reception_id": str(uuid.uuid4()), "scanned_at": now, "code": volunteer_code(person_id)}, "")
        for person_id in seeded["volunteers"]
    ]


def _now_iso() -> str:
    from django.utils import timezone

    return timezone.now().isoformat()


def scan_work(door: Door, port: int, tokens: list[str]) -> Any:
    counter = iter(range(10**9))

    def work(phase: Phase, deadline: float) -> bool:
        try:
            path, body, refusal = door.waiting.get_nowait()
        except queue.Empty:
            return False
        number = next(counter)
        if number % OFFLINE_EVERY == OFFLINE_EVERY - 1:
            with phase.lock:
                door.offline.append((path, body, refusal))  # this device had no network
            return True
        token = tokens[number % len(tokens)]
        for _attempt in range(2):  # the device retries with the same id, as if the answer were lost
            status, latency, answer = post(port, path, token, body)
            phase.record(status, latency)
            door.note(body["reception_id"], status, answer, refusal or None)
        return True

    return work


def upload_offline(door: Door, port: int, token: str) -> int:
    """The offline devices' queues, uploaded in batches, twice over (the first answers lost)."""
    uploaded = 0
    by_path: dict[str, list[tuple[dict[str, Any], str]]] = {}
    for path, body, refusal in door.offline:
        by_path.setdefault(path, []).append((body, refusal))
    for path, items in by_path.items():
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            for _attempt in range(2):
                status, latency, answer = post(
                    port, path + "batch/", token, {"receptions": [b for b, _ in chunk]}
                )
                door.phase.record(status, latency)
                if status != 200 or not isinstance(answer, list):
                    door.note("batch", status, answer, None)
                    continue
                for (body, refusal), result in zip(chunk, answer, strict=True):
                    ok = 201 if result["result"] in ("new", "known") else 409
                    door.note(body["reception_id"], ok, {"code": result["code"]}, refusal or None)
            uploaded += len(chunk)
    return uploaded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=4000)
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=6, help="scanning devices sending at once")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--floor-seconds", type=float, default=12.0, help="the floor's time, over all rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--no-goals",
        action="store_true",
        help="judge only that nothing was lost or doubled (a short run in CI)",
    )
    arguments = parser.parse_args()

    url = bench_database_url("_load_disaster")
    recreate_database(url)
    environment = {
        **server_environment(url),
        "REDIS_URL": _own_redis_database(os.environ.get("REDIS_URL", "")),
    }
    os.environ.update(
        {k: environment[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG", "REDIS_URL")}
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    seeded = seed(arguments.households, arguments.volunteers)
    port = free_port()
    server = start_gunicorn(environment, port, arguments.workers)
    worker = _start_worker(environment) if environment["REDIS_URL"] else None
    try:
        called = _call_up(worker is not None)
        floor, shelters, centre, centre_seconds = measure(port, seeded, arguments)
        headcounts = post(port, f"{API}/staff/shelters/headcounts/", seeded["tokens"][0], None)[2]
    finally:
        for process in (server, worker):
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=60)
    ok = report(floor, shelters, centre, centre_seconds, headcounts, seeded, called, arguments)
    from django.db import connections

    connections.close_all()
    drop_database(url)
    return 0 if ok else 1


def _own_redis_database(url: str) -> str:
    """The same Redis, its database 13: the messages of this run reach only this run's worker."""
    if not url:
        return ""
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    return f"{base}/13"


def _start_worker(environment: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
    )


def _call_up(with_worker: bool) -> int:
    """The beat's call-up task, run by the worker (or here without Redis): two days ahead."""
    from disaster import tasks

    if not with_worker:
        return int(tasks.call_ups_due_task())
    return int(tasks.call_ups_due_task.delay().get(timeout=300))


def measure(
    port: int, seeded: dict[str, Any], arguments: argparse.Namespace
) -> tuple[Phase, Door, Door, float]:
    tokens = seeded["tokens"]
    floor = Phase("floor: GET /api/v1/ping/")
    counter = iter(range(10**9))

    def ping(phase: Phase, deadline: float) -> bool:
        status, latency, _ = post(port, f"{API}/ping/", tokens[next(counter) % len(tokens)], None)
        phase.record(status, latency)
        return True

    shelters = Door("shelters: POST …/receptions/", shelter_scans(seeded))
    shelter_work = scan_work(shelters, port, tokens)
    # The floor and the shelters take turns, so a slow spell of this shared machine falls on both.
    turn = max(1.0, arguments.floor_seconds / arguments.rounds)
    while not shelters.waiting.empty():
        run_phase(floor, arguments.clients, turn, ping)
        run_phase(shelters.phase, arguments.clients, turn, shelter_work)
    upload_offline(shelters, port, tokens[0])
    # The volunteers' app codes live two minutes: they show them as they reach the door.
    centre = Door("centre: POST …/receptions/", centre_scans(seeded))
    centre_work = scan_work(centre, port, tokens)
    started = time.perf_counter()
    run_phase(centre.phase, arguments.clients, 3600.0, centre_work)
    upload_offline(centre, port, tokens[0])
    return floor, shelters, centre, time.perf_counter() - started


def report(
    floor: Phase,
    shelters: Door,
    centre: Door,
    centre_seconds: float,
    headcounts: Any,
    seeded: dict[str, Any],
    called: int,
    arguments: argparse.Namespace,
) -> bool:
    print(
        f"\n{arguments.workers} gunicorn sync workers, a Celery worker, {arguments.clients} client threads, "
        f"PostgreSQL; {len(seeded['heads']):,} households at {len(seeded['shelters'])} shelters, "
        f"{len(seeded['volunteers']):,} volunteers"
    )
    # Requests count every scan sent: retries with the same id and second devices included.
    print(f"{'endpoint':<34}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}  statuses")
    for phase in (floor, shelters.phase, centre.phase):
        print(
            f"{phase.name:<34}{len(phase.latencies):>10,}{phase.rate:>9.0f}{phase.percentile(0.5):>9.1f}"
            f"{phase.percentile(0.95):>9.1f}  {dict(sorted(phase.statuses.items()))}"
        )
    ratio = shelters.phase.rate / floor.rate if floor.rate else 0.0
    shelter_ok = (
        shelters.phase.rate >= SHELTER_GOAL_RATE and shelters.phase.percentile(0.95) < SHELTER_GOAL_P95_MS
    )
    centre_ok = centre_seconds < CENTRE_GOAL_SECONDS
    print(f"shelter scans / floor throughput {ratio:.2f}")
    print(
        f"shelters: {shelters.phase.rate:.0f} scans/s, p95 {shelters.phase.percentile(0.95):.0f} ms "
        f"(goal ≥ {SHELTER_GOAL_RATE:.0f}/s, p95 < {SHELTER_GOAL_P95_MS:.0f} ms: "
        f"{'met' if shelter_ok else 'NOT met'})"
    )
    per_hour = len(seeded["volunteers"]) / centre_seconds * 3600 if centre_seconds else 0.0
    print(
        f"centre: {len(seeded['volunteers']):,} receptions in {centre_seconds:.0f} s, "
        f"{per_hour:,.0f} an hour (goal: 2,000 within the hour: {'met' if centre_ok else 'NOT met'}); "
        f"call-ups sent by the worker {called:,}"
    )
    whole = count_rows(shelters, centre, headcounts, seeded)
    goals = (shelter_ok and centre_ok) or arguments.no_goals
    return whole and goals and not any(s >= 400 for s in floor.statuses)


def count_rows(shelters: Door, centre: Door, headcounts: Any, seeded: dict[str, Any]) -> bool:
    from django.db.models import Count

    from disaster.models import CentreReception, Evacuee, ShelterStay

    stays_per_household = ShelterStay.objects.values("household__head_id").annotate(n=Count("pk"))
    stored_heads = {row["household__head_id"] for row in stays_per_household}
    doubled = sum(row["n"] - 1 for row in stays_per_household if row["n"] > 1)
    lost = len(seeded["heads"]) - len(stored_heads)
    people = sum(size for _head, size in seeded["heads"])
    evacuees = Evacuee.objects.filter(stay__left_at__isnull=True).count()
    api_total = headcounts["city"]["people"] if isinstance(headcounts, dict) else -1
    api_by_shelter = (
        {row["id"]: row["count"]["people"] for row in headcounts["shelters"]} if api_total >= 0 else {}
    )
    db_by_shelter = dict(
        Evacuee.objects.filter(stay__left_at__isnull=True)
        .values_list("stay__shelter_id")
        .annotate(n=Count("pk"))
    )
    receptions = CentreReception.objects.values("person_id").annotate(n=Count("pk"))
    volunteers_doubled = sum(row["n"] - 1 for row in receptions if row["n"] > 1)
    volunteers_lost = len(seeded["volunteers"]) - receptions.count()
    print(
        f"households {len(seeded['heads']):,}: stays {ShelterStay.objects.count():,}, "
        f"lost {lost}, doubled {doubled}; "
        f"people {people:,} = evacuee rows {evacuees:,} = API headcount {api_total:,}; "
        f"per shelter API = rows: {api_by_shelter == db_by_shelter}"
    )
    print(
        f"volunteers {len(seeded['volunteers']):,}: receptions {CentreReception.objects.count():,}, "
        f"lost {volunteers_lost}, doubled {volunteers_doubled}"
    )
    unexpected = {**shelters.unexpected, **{f"centre {k}": n for k, n in centre.unexpected.items()}}
    print(f"unexpected answers: {unexpected or 'none'}")
    whole = (
        lost == doubled == volunteers_lost == volunteers_doubled == 0
        and people == evacuees == api_total
        and api_by_shelter == db_by_shelter
        and not unexpected
    )
    print("nothing lost, nothing doubled" if whole else "SOMETHING WAS LOST OR DOUBLED")
    return whole


if __name__ == "__main__":
    sys.exit(main())
