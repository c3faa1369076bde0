from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from plan_registry.fiscal_year import fiscal_year_of
from plan_registry.services import feeds_run


class Command(BaseCommand):
    help = "Recomputes every indicator feed for a fiscal year (default: the current one)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--fiscal-year", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        fiscal_year = options["fiscal_year"] or fiscal_year_of(timezone.now()).year
        for outcome in feeds_run(fiscal_year=fiscal_year):
            self.stdout.write(
                f"FY{fiscal_year} {outcome.feed} → {outcome.indicator}: {outcome.written} values"
                + (f", {outcome.kept_manual} kept as entered by hand" if outcome.kept_manual else "")
            )
