"""The whole demo in one call: the city, offers and needs with the engine's proposals, a history
of events with verified attendance, points and certificates, and the plan's feeds for the last
three fiscal years. The full city for `make run`; a small one, with every part, for the tests."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from demo.city import city_load
from demo.matching import matching_load
from demo.participation import participation_load
from demo.points import points_load
from plan_registry.feed_runs import feeds_run
from plan_registry.fiscal_year import fiscal_year_of


@dataclass(frozen=True)
class DemoSize:
    residents: int
    offers: int
    needs: int
    past_weeks: int


FULL = DemoSize(residents=3000, offers=900, needs=220, past_weeks=90)
SMALL = DemoSize(residents=500, offers=300, needs=80, past_weeks=8)


@dataclass(frozen=True)
class DemoReport:
    lines: tuple[str, ...]
    accounts: tuple[str, ...]


def demo_load(*, password: str, size: DemoSize = FULL) -> DemoReport:
    """Loads what is not loaded yet; the demo accounts' password is set to `password` every time."""
    if not settings.DEMO_MODE:
        raise RuntimeError("Demo data is generated only in demo mode (DEMO_MODE).")
    city = city_load(password=password, residents=size.residents)
    offers, needs, matches = matching_load(offers=size.offers, needs=size.needs)
    events = participation_load(past_weeks=size.past_weeks)
    _analyze()
    points = points_load()
    _analyze()
    # The plan's counted indicators for the demo's years, so the progress report has values.
    current = fiscal_year_of(timezone.now()).year
    for fiscal_year in (current - 2, current - 1, current):
        feeds_run(fiscal_year=fiscal_year)
    return DemoReport(
        lines=(
            f"demo city: {city.school_districts} school districts, {city.residents} residents, "
            f"{city.organisations} organisations (all labelled as demo)",
            f"demo matching: {offers} offers, {needs} needs, {matches} matches",
            f"demo participation: {events.events} events, {events.verified} verified attendances, "
            f"{events.upcoming_registrations} upcoming registrations; {points.awarded} awarded, "
            f"{points.redemptions} redemptions, {points.certificates} certificates",
        ),
        accounts=city.accounts,
    )


def _analyze() -> None:
    """After a bulk load, fresh planner statistics: without them PostgreSQL plans the feeds' joins
    as if the tables were empty (autovacuum cannot see rows until they are committed)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
