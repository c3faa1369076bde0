from typing import Any

from django.core.management.base import BaseCommand

from points import services


class Command(BaseCommand):
    help = "Sign certificates with a new key from now on; earlier keys stay published and keep verifying."

    def handle(self, *args: Any, **options: Any) -> None:
        key = services.signing_key_rotate()
        self.stdout.write(f"now signing with {key.key_id}")
