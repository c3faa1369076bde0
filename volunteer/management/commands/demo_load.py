import os
import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from volunteer.demo import demo_load


class Command(BaseCommand):
    help = "Generates the demo city (embedded mode only) and prints the demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--residents", type=int, default=3000)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is generated only in demo mode: set DEMO_MODE=true.")
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        summary = demo_load(password=password, residents=options["residents"])
        self.stdout.write(
            f"demo city: {summary.school_districts} school districts, {summary.residents} residents, "
            f"{summary.organisations} organisations (all labelled as demo)"
        )
        self.stdout.write("demo accounts (password: DEMO_PASSWORD):")
        for email in summary.accounts:
            self.stdout.write(f"  {email}")
        origin = "from DEMO_PASSWORD" if os.environ.get("DEMO_PASSWORD") else "generated for this run"
        self.stdout.write(f"DEMO_PASSWORD={password}   ({origin})")
