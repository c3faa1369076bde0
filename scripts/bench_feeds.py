"""Benchmark of the plan's indicator feeds on a city-sized year, beside one count(*).

    eval "$(scripts/services.sh up)"          # PostgreSQL on loopback
    .venv/bin/python scripts/bench_feeds.py [--participations 1000000] [--residents 100000]
                                            [--matches 100000] [--repeats 3] [--keep]

It makes a throwaway database next to DATABASE_URL's, migrates it, loads the plan and the demo
city's areas, and generates one fiscal year (FY2025) in SQL: `--residents` residents, events
with `--participations` verified participations (and a twentieth as many registered but never
verified, plus a smaller earlier year of 70 % of the residents, so that some are first-timers;
one helper in every other event came through a match),
offers from half the residents,
their くまもとポイント awards in the ledger (two entries each), needs, offers and `--matches`
matches with staff decisions, redemptions and certificates. Then it ANALYZEs, as autovacuum
would, and times:

- the reference: `SELECT count(*) FROM events_participation` (the median of `--repeats`);
- every registered feed for FY2025 and all areas, one by one (each feed's median);
- a whole `feeds_run` (the feeds and the upsert of their values, with provenance).

The goal: every feed together in 10 s or less, and within 20 times the single scan. Exits 1
when either is missed.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_database import bench_database_url, drop_database, recreate_database  # noqa: E402

FISCAL_YEAR = 2025
PER_EVENT = 20  # verified participants per event
GOAL_SECONDS = 10.0
GOAL_RATIO = 20.0


def setup_django(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEMO_MODE": "true",
            "DJANGO_DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "CELERY_TASK_ALWAYS_EAGER": "true",
        }
    )
    import django

    django.setup()


# Each statement gets: %(residents)s, %(events)s, %(earlier_events)s, %(matches)s, the first
# bench user's id offset, the fiscal year's bounds, and arrays of existing ids.
GENERATE = [
    (
        "residents",
        """
        INSERT INTO volunteer_user (password, is_superuser, is_staff, is_active, date_joined, email,
            display_name, birth_date, weekly_availability, languages, notification_preferences,
            is_demo, school_district_id)
        SELECT '!', false, false, true, %(start)s, 'bench-' || g || '@example.com', '',
            DATE '1930-01-01' + ((g * 7919) %% 29000), '[]', '[]', '{}', true,
            (%(districts)s::bigint[])[1 + (g * 31) %% cardinality(%(districts)s::bigint[])]
        FROM generate_series(1, %(residents)s) g
        """,
    ),
    (
        "events",
        """
        INSERT INTO events_activity (kind, title, starts_at, ends_at, capacity, source_key, created_at,
            category_id, organisation_id, programme_id, school_district_id, grants_qualification_id)
        SELECT 'event', 'bench event ' || g, s, s + interval '2 hours', 40, 'bench:' || g, s,
            (%(categories)s::bigint[])[1 + g %% cardinality(%(categories)s::bigint[])],
            CASE WHEN g %% 25 = 0 THEN %(centre)s ELSE
                (%(organisations)s::bigint[])[1 + g %% cardinality(%(organisations)s::bigint[])] END,
            CASE WHEN g %% 3 = 0 THEN NULL ELSE
                (%(programmes)s::bigint[])[1 + g %% cardinality(%(programmes)s::bigint[])] END,
            (%(districts)s::bigint[])[1 + (g * 7) %% cardinality(%(districts)s::bigint[])],
            CASE WHEN g %% 25 = 0 THEN %(qualification)s END
        FROM generate_series(1, %(events)s + %(earlier_events)s) g,
            LATERAL (SELECT CASE WHEN g <= %(events)s
                THEN %(start)s::timestamptz + (g * (interval '364 days' / %(events)s))
                ELSE %(start)s::timestamptz - interval '365 days'
                     + ((g - %(events)s) * (interval '364 days' / %(earlier_events)s)) END AS s) t
        """,
    ),
    (
        "participations",
        """
        INSERT INTO events_participation (status, registered_at, source_key, activity_id, person_id,
            checked_in_at, checked_out_at, checked_out_automatically, minutes, minutes_reason,
            verified_at)
        SELECT 'registered', a.starts_at - interval '7 days',
            CASE WHEN k = 0 AND a.id %% 2 = 0 THEN 'match:' || a.id ELSE 'bench' END, a.id,
            %(first_user)s + ((a.id * 21 + k) * 7919)
                %% (CASE WHEN a.starts_at < %(start)s THEN %(residents)s * 7 / 10 ELSE %(residents)s END),
            CASE WHEN k < %(per_event)s THEN a.starts_at END,
            CASE WHEN k < %(per_event)s THEN a.ends_at END, false,
            CASE WHEN k < %(per_event)s THEN 60 + (k %% 4) * 30 END, '',
            CASE WHEN k < %(per_event)s THEN a.ends_at + interval '1 hour' END
        FROM events_activity a, generate_series(0, %(per_event)s) k
        WHERE a.source_key LIKE 'bench:%%'
        """,
    ),
    (
        "point accounts",
        """
        INSERT INTO points_account (kind, balance, owner_id, scheme_id)
        SELECT 'resident', 0, u.id, %(kumamoto)s FROM volunteer_user u WHERE u.email LIKE 'bench-%%'
        """,
    ),
    (
        "awards",
        """
        INSERT INTO points_ledgertransaction (kind, business_key, memo, created_at, participation_id,
            rule_id, scheme_id)
        SELECT 'award', 'bench-award:' || p.id, '', p.verified_at, p.id, %(rule)s, %(kumamoto)s
        FROM events_participation p WHERE p.verified_at IS NOT NULL
        """,
    ),
    (
        "award entries",
        """
        INSERT INTO points_entry (amount, expires_on, account_id, transaction_id)
        SELECT e.amount, e.expires_on, e.account_id, t.id
        FROM points_ledgertransaction t
        JOIN events_participation p ON p.id = t.participation_id
        JOIN points_account r ON r.owner_id = p.person_id AND r.scheme_id = %(kumamoto)s
        CROSS JOIN LATERAL (VALUES (100, DATE '2027-03-31', r.id), (-100, NULL, %(issuance)s))
            AS e(amount, expires_on, account_id)
        WHERE t.business_key LIKE 'bench-award:%%'
        """,
    ),
    (
        "offers",
        """
        INSERT INTO matching_offer (status, reach, weekly_availability, specific_dates, max_per_week,
            valid_until, note, created_at, updated_at, person_id, school_district_id)
        SELECT 'open', 'district', '[]', '[]', 2, DATE '2027-03-31', '',
            %(start)s::timestamptz - interval '30 days' + (g * interval '4 minutes'), %(start)s::timestamptz,
            u.id, u.school_district_id
        FROM volunteer_user u, LATERAL (SELECT u.id - %(first_user)s AS g) t
        WHERE u.email LIKE 'bench-%%' AND t.g %% 2 = 0
        """,
    ),
    (
        "needs",
        """
        INSERT INTO matching_need (status, title, required_languages, address, reach, headcount,
            urgency, valid_until, note, created_at, updated_at, category_id, requester_id,
            school_district_id)
        SELECT 'filled', 'bench need ' || g, '[]', '', 'district', 2, 0, DATE '2026-03-31', '',
            %(start)s::timestamptz + (g * (interval '360 days' / (%(matches)s / 2))),
            %(start)s::timestamptz,
            (%(categories)s::bigint[])[1 + g %% cardinality(%(categories)s::bigint[])],
            %(first_user)s + (g * 13) %% %(residents)s,
            (%(districts)s::bigint[])[1 + (g * 11) %% cardinality(%(districts)s::bigint[])]
        FROM generate_series(1, %(matches)s / 2) g
        """,
    ),
    (
        "matches",
        """
        INSERT INTO matching_match (status, source, cost, reasons, reason, proposed_at, decided_at,
            volunteer_id, need_id)
        SELECT CASE g %% 5 WHEN 0 THEN 'rejected' WHEN 1 THEN 'declined' ELSE 'scheduled' END, 'engine',
            10, '[]', '', n.created_at + interval '2 hours',
            CASE WHEN g %% 5 <> 1 THEN n.created_at + ((g %% 97) * interval '1 hour') END,
            %(first_user)s + (g * 17) %% %(residents)s, n.id
        FROM matching_need n, generate_series(0, 1) h,
            LATERAL (SELECT n.id * 2 + h AS g) t
        WHERE n.title LIKE 'bench need %%'
        """,
    ),
    (
        "match decisions",
        """
        INSERT INTO matching_matchdecision (action, decided_at, reason, match_id)
        SELECT CASE WHEN m.status = 'rejected' THEN 'reject' ELSE 'confirm' END, m.decided_at, '', m.id
        FROM matching_match m WHERE m.decided_at IS NOT NULL
        """,
    ),
    (
        "redemptions",
        """
        INSERT INTO points_redemption (amount, recipient_name, status, created_at, decided_at, reason,
            person_id, reward_id)
        SELECT 500, '', CASE WHEN g %% 10 = 0 THEN 'voided' ELSE 'approved' END,
            %(start)s::timestamptz + (g * interval '5 minutes'),
            %(start)s::timestamptz + (g * interval '5 minutes') + interval '1 day', '',
            %(first_user)s + (g * 29) %% %(residents)s, %(reward)s
        FROM generate_series(1, %(residents)s / 2) g
        """,
    ),
    (
        "certificates",
        """
        INSERT INTO points_certificate (serial, kind, fiscal_year, title, activities, participation_ids,
            total_minutes, recipient_salt, credential, issued_at, revoked_reason, person_id)
        SELECT 'BENCH-' || g, 'fiscal_year', %(fiscal_year)s, 'bench', '[]', '[]', 600, '', '',
            %(start)s::timestamptz + (g * interval '10 minutes'), '',
            %(first_user)s + (g * 37) %% %(residents)s
        FROM generate_series(1, %(residents)s / 5) g
        """,
    ),
]


def generate(residents: int, participations: int, matches: int) -> dict[str, int]:
    from django.db import connection, transaction

    from events.models import Activity, Participation
    from matching.models import Match
    from plan_registry.fiscal_year import FiscalYear
    from plan_registry.models import Area, Programme
    from points.models import Account, AwardRule, Reward, Scheme
    from points.services.ledger import system_account
    from volunteer.models import ActivityCategory, Organisation, QualificationType

    year = FiscalYear(FISCAL_YEAR)
    kumamoto = Scheme.objects.get(code="kumamoto")
    centre = Organisation.objects.filter(kind=Organisation.Kind.VOLUNTEER_CENTRE).first()
    reward = Reward.objects.filter(scheme=kumamoto).first()
    if reward is None:
        reward = Reward.objects.create(scheme=kumamoto, name="bench", cost=500, kind=Reward.Kind.REWARD)
    events = participations // PER_EVENT
    params: dict[str, Any] = {
        "residents": residents,
        "events": events,
        "earlier_events": max(1, events // 5),
        "matches": matches,
        "per_event": PER_EVENT,
        "start": year.start,
        "fiscal_year": FISCAL_YEAR,
        "districts": list(Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT).values_list("pk", flat=True)),
        "categories": list(ActivityCategory.objects.values_list("pk", flat=True)),
        "organisations": list(
            Organisation.objects.exclude(pk=centre.pk if centre else 0).values_list("pk", flat=True)
        ),
        "programmes": list(Programme.objects.values_list("pk", flat=True)),
        "centre": centre.pk if centre else None,
        "qualification": QualificationType.objects.filter(kind="training")
        .values_list("pk", flat=True)
        .first(),
        "kumamoto": kumamoto.pk,
        "issuance": system_account(scheme=kumamoto, kind=Account.Kind.ISSUANCE).pk,
        "rule": AwardRule.objects.get(code="kumamoto-activity").pk,
        "reward": reward.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM volunteer_user")
        params["first_user"] = cursor.fetchone()[0]
        # The ledger's guards check each transaction's balance at commit, row by row: a bulk
        # load of balanced pairs is let through without them, as a restore would be.
        cursor.execute("ALTER TABLE points_entry DISABLE TRIGGER USER")
        for name, sql in GENERATE:
            started = time.perf_counter()
            with transaction.atomic():
                cursor.execute(sql, params)
            print(
                f"  generated {name:<16} {cursor.rowcount:>9,} rows in {time.perf_counter() - started:5.1f} s"
            )
        cursor.execute("ALTER TABLE points_entry ENABLE TRIGGER USER")
        cursor.execute("VACUUM ANALYZE")
    return {
        "verified participations in the year": Participation.objects.filter(
            verified_at__isnull=False, activity__starts_at__gte=year.start, activity__starts_at__lt=year.end
        ).count(),
        "activities": Activity.objects.count(),
        "matches": Match.objects.count(),
    }


def enter_population() -> None:
    """As the plan office would for the II-2 proxy: a population for every area (here seven
    inhabitants for each generated resident)."""
    from decimal import Decimal

    from django.db.models import Count
    from django.utils import timezone

    from plan_registry.feeds import DistrictCount, roll_up
    from plan_registry.models import Indicator, IndicatorValue
    from volunteer.models import User

    population = Indicator.objects.get(code="POP-01")
    residents = User.objects.values("school_district").annotate(n=Count("pk")).order_by()
    for area, total in roll_up(
        DistrictCount(row["school_district"], Decimal(row["n"] * 7), row["n"]) for row in residents
    ).items():
        IndicatorValue.objects.update_or_create(
            indicator=population,
            fiscal_year=FISCAL_YEAR,
            area_id=area,
            breakdown="",
            defaults={
                "value": total.value,
                "source": IndicatorValue.Source.MANUAL,
                "recorded_at": timezone.now(),
            },
        )


def timed(function, repeats: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def count_scan() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_participation")
        return int(cursor.fetchone()[0])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--participations", type=int, default=1_000_000)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--matches", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it when it exists)")
    arguments = parser.parse_args()
    url = bench_database_url("_bench_feeds")
    reuse = arguments.keep and database_ready(url)
    if not reuse:
        recreate_database(url)
    setup_django(url)
    from django.core.management import call_command

    if not reuse:
        started = time.perf_counter()
        for command in ("migrate", "plan_load", "catalogue_load"):
            call_command(command, verbosity=0)
        from demo.city import city_load

        city_load(password=secrets.token_urlsafe(12))  # the demo city without its history
        print(f"database ready in {time.perf_counter() - started:.1f} s; generating FY{FISCAL_YEAR}")
        counts = generate(arguments.residents, arguments.participations, arguments.matches)
        print("  " + ", ".join(f"{value:,} {name}" for name, value in counts.items()))
    enter_population()
    try:
        return measure(arguments.repeats)
    finally:
        from django.db import connections

        connections.close_all()
        if not arguments.keep:
            drop_database(url)


def database_ready(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as connection:
            row = connection.execute(
                "SELECT count(*) FROM points_certificate WHERE serial LIKE 'BENCH-%'"
            ).fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return False


def measure(repeats: int) -> int:
    from plan_registry.feeds import registered, shared_passes
    from plan_registry.fiscal_year import FiscalYear
    from plan_registry.services import feeds_run

    year = FiscalYear(FISCAL_YEAR)
    scan, rows = timed(count_scan, repeats)
    print(f"\nreference: count(*) over the participations, {rows:,} rows: {scan * 1000:.0f} ms")
    runs = []
    for _ in range(repeats):
        # As feeds_run does: the passes that several feeds read are computed once per run.
        with shared_passes():
            runs.append([(feed, *timed(lambda feed=feed: feed.compute(year), 1)) for feed in registered()])
    runs.sort(key=lambda run: sum(seconds for _feed, seconds, _rows in run))
    median_run = runs[len(runs) // 2]
    print(f"\n{'feed (first to read a shared pass pays)':<58} {'indicator':<10} {'time':>9} {'values':>7}")
    for feed, seconds, result in median_run:
        print(f"{feed.name:<58} {feed.indicator_code:<10} {seconds * 1000:>6.0f} ms {len(result):>7}")  # type: ignore[arg-type]
    total = sum(seconds for _feed, seconds, _rows in median_run)
    ratio = total / scan
    print(f"\nall feeds (median of {repeats} runs): {total:.2f} s = {ratio:.1f}× the count(*)")
    print(f"goal: ≤ {GOAL_SECONDS:.0f} s and ≤ {GOAL_RATIO:.0f}× the count(*)")
    started = time.perf_counter()
    outcomes = feeds_run(fiscal_year=FISCAL_YEAR)
    written = sum(outcome.written for outcome in outcomes)
    print(f"feeds_run, with upsert and provenance: {time.perf_counter() - started:.2f} s, {written:,} values")
    met = total <= GOAL_SECONDS and ratio <= GOAL_RATIO
    print("goal met" if met else "goal NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
