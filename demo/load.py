"""The whole demo in one call: the plan and the catalogues, the city, offers and needs with a
history of matches and the engine's proposals, events with verified attendance, points and
certificates since the first day of the fiscal year two years back, and the plan's feeds for
those three fiscal years. The full city for `make run`; a small one, with every part, for tests.

Each part is generated once, in its own transaction, and skipped when it is there already, so a
second load only resets the demo accounts' password.
"""

import random
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from demo.city import city_load, demo_residents
from demo.matching import MatchingPlan, matching_load, matching_loaded, matching_run
from demo.participation import SOURCE_PREFIX, EventPlan, participation_load, participation_loaded
from demo.points import points_load, points_loaded
from events.models import Activity, Participation
from matching.models import Match, MatchDecision
from plan_registry.fiscal_year import FiscalYear, fiscal_year_of
from plan_registry.models import Area
from plan_registry.plan_data import read_city, read_plans
from plan_registry.services import feeds_run, plan_load
from points.models import Certificate, Entry, LedgerTransaction, Redemption
from volunteer.catalogue import read_catalogue
from volunteer.models import Organisation
from volunteer.services import catalogue_load

SEED = 2025


@dataclass(frozen=True)
class DemoSize:
    residents: int
    every_weeks: int  # the events recur every so many weeks
    salon_hosts: int  # organisations holding a salon
    care_hosts: int  # care facilities receiving visits
    offers: int  # drawn from the residents (the over-65s twice as often); repeats are one offer
    needs: int  # open, for the coming weeks
    past_matches: int
    redemptions: int
    certificates: int
    future_weeks: int = 6


FULL = DemoSize(
    residents=3000,
    every_weeks=1,
    salon_hosts=8,
    care_hosts=4,
    offers=900,
    needs=220,
    past_matches=240,
    redemptions=60,
    certificates=20,
)
SMALL = DemoSize(
    residents=500,
    every_weeks=4,
    salon_hosts=3,
    care_hosts=1,
    offers=300,
    needs=60,
    past_matches=40,
    redemptions=10,
    certificates=5,
)


@dataclass(frozen=True)
class DemoReport:
    generated: bool  # False: the demo was there already
    since: FiscalYear  # the first fiscal year of the history
    figures: tuple[tuple[str, int], ...]


def demo_load(*, password: str, size: DemoSize = FULL) -> DemoReport:
    """Loads what is not loaded yet; the demo accounts' password is set to `password` every time."""
    if not settings.DEMO_MODE:
        raise RuntimeError("Demo data is generated only in demo mode (DEMO_MODE).")
    plan_load(plans=read_plans(), city=read_city())
    catalogue_load(catalogue=read_catalogue())
    since = FiscalYear(fiscal_year_of(timezone.now()).year - 2)
    generated = city_load(password=password, residents=size.residents, seed=SEED)
    if not matching_loaded():
        with transaction.atomic():
            plan = MatchingPlan(since.first_day, size.offers, size.needs, size.past_matches)
            matching_load(rng=random.Random(SEED + 1), plan=plan)
        matching_run(rng=random.Random(SEED + 2))
        generated = True
    if not participation_loaded():
        with transaction.atomic():
            events = EventPlan(
                since.first_day, size.every_weeks, size.future_weeks, size.salon_hosts, size.care_hosts
            )
            participation_load(rng=random.Random(SEED + 3), plan=events)
        generated = True
    if not points_loaded():
        _analyze()
        with transaction.atomic():
            points_load(
                rng=random.Random(SEED + 4), redemptions=size.redemptions, certificates=size.certificates
            )
        generated = True
    if generated:
        _analyze()
        # The plan's counted indicators for the history's years, so the progress report has values.
        for fiscal_year in range(since.year, since.year + 3):
            feeds_run(fiscal_year=fiscal_year)
    return DemoReport(generated=generated, since=since, figures=_figures())


def _figures() -> tuple[tuple[str, int], ...]:
    issued = Entry.objects.filter(
        transaction__kind=LedgerTransaction.Kind.AWARD, account__scheme__code="kumamoto", amount__gt=0
    ).aggregate(total=Sum("amount"))["total"]
    return (
        ("school districts", Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT).count()),
        ("residents", demo_residents().count()),
        ("organisations", Organisation.objects.filter(is_demo=True).count()),
        ("events", Activity.objects.filter(source_key__startswith=SOURCE_PREFIX).count()),
        ("verified participations", Participation.objects.filter(verified_at__isnull=False).count()),
        ("matches confirmed", MatchDecision.objects.filter(action=MatchDecision.Action.CONFIRM).count()),
        ("proposals waiting", Match.objects.filter(status=Match.Status.PROPOSED).count()),
        ("くまもとポイント awarded", int(issued or 0)),
        ("redemptions", Redemption.objects.count()),
        ("certificates", Certificate.objects.count()),
    )


def _analyze() -> None:
    """After a bulk load, fresh planner statistics: without them PostgreSQL plans the feeds' joins
    as if the tables were empty (autovacuum cannot see rows until they are committed)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
