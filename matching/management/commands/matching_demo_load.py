from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from matching.demo import matching_demo_load


class Command(BaseCommand):
    help = "Generates demo offers, needs and a matching history, then runs the engine (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is generated only in demo mode: set DEMO_MODE=true.")
        offers, needs, matches = matching_demo_load()
        self.stdout.write(f"demo matching: {offers} offers, {needs} needs, {matches} matches")
