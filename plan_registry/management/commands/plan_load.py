from typing import Any

from django.core.management.base import BaseCommand

from plan_registry.plan_data import read_city, read_plans
from plan_registry.services import plan_load


class Command(BaseCommand):
    help = "Loads the 5th and 4th plans, their indicators and the city from the project's data files."

    def handle(self, *args: Any, **options: Any) -> None:
        report = plan_load(plans=read_plans(), city=read_city())
        self.stdout.write(
            f"plan loaded: {report.created} created, {report.updated} updated, {report.unchanged} unchanged"
        )
