from typing import Any

from django.core.management.base import BaseCommand

from volunteer.catalogue import read_catalogue
from volunteer.services import catalogue_load


class Command(BaseCommand):
    help = "Loads skills, activity categories and qualification types (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        written = catalogue_load(catalogue=read_catalogue())
        self.stdout.write(f"catalogues loaded: {written} rows written")
