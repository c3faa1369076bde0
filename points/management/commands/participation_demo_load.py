from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.demo import events_demo_load
from points.demo import points_demo_load


class Command(BaseCommand):
    help = "Generates demo events with two years of attendance, points and certificates (demo mode only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--weeks", type=int, default=90, help="weeks of history (default 90)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is generated only in demo mode: set DEMO_MODE=true.")
        events = events_demo_load(past_weeks=options["weeks"])
        points = points_demo_load()
        self.stdout.write(
            f"demo participation: {events.events} events, {events.verified} verified attendances, "
            f"{events.upcoming_registrations} upcoming registrations; {points.awarded} awarded, "
            f"{points.redemptions} redemptions, {points.certificates} certificates"
        )
