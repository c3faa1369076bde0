from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from events.demo import events_demo_load
from plan_registry.fiscal_year import fiscal_year_of
from plan_registry.services import feeds_run
from points.demo import points_demo_load


class Command(BaseCommand):
    help = "Generates demo events with two years of attendance, points and certificates (demo mode only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--weeks", type=int, default=90, help="weeks of history (default 90)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is generated only in demo mode: set DEMO_MODE=true.")
        events = events_demo_load(past_weeks=options["weeks"])
        _analyze()
        points = points_demo_load()
        _analyze()
        # The plan's counted indicators for the demo's years, so the progress report has values.
        current = fiscal_year_of(timezone.now()).year
        for fiscal_year in (current - 2, current - 1, current):
            feeds_run(fiscal_year=fiscal_year)
        self.stdout.write(
            f"demo participation: {events.events} events, {events.verified} verified attendances, "
            f"{events.upcoming_registrations} upcoming registrations; {points.awarded} awarded, "
            f"{points.redemptions} redemptions, {points.certificates} certificates"
        )


def _analyze() -> None:
    """After a bulk load, fresh planner statistics: without them PostgreSQL plans the feeds' joins
    as if the tables were empty (autovacuum cannot see rows until they are committed)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
