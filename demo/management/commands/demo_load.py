import os
import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.load import FULL, SMALL, demo_load


class Command(BaseCommand):
    help = "Generates the demo city with its history (embedded mode only) and prints the demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--small", action="store_true", help="a small city with every part (for tests)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is generated only in demo mode: set DEMO_MODE=true.")
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        report = demo_load(password=password, size=SMALL if options["small"] else FULL)
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write("demo accounts (password: DEMO_PASSWORD):")
        for email in report.accounts:
            self.stdout.write(f"  {email}")
        origin = "from DEMO_PASSWORD" if os.environ.get("DEMO_PASSWORD") else "generated for this run"
        self.stdout.write(f"DEMO_PASSWORD={password}   ({origin})")
