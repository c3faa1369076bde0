import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.city import ACCOUNTS
from demo.load import FULL, SMALL, demo_load

# Where to look once the server runs, relative to PUBLIC_BASE_URL.
GUIDE = (
    ("API docs (OpenAPI)", "/api/docs/", "schema: /api/schema/"),
    ("Sign-up/login API", "/_allauth/openapi.json", ""),
    ("Staff pages", "/staff/", "match queue: /staff/queue/   check-in screens: /staff/events/"),
    ("The plan", "/api/v1/plan/", "progress report: /staff/plan/report/"),
    ("Events", "/api/v1/events/", "certificate issuer: /.well-known/did.json"),
)
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


class Command(BaseCommand):
    help = (
        "Generates the demo city with its history once (embedded demo mode only), resets the demo "
        "accounts' password, and prints where to look and how to sign in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--small", action="store_true", help="a small city with every part (for tests)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is generated only in demo mode: set DEMO_MODE=true.")
        password, origin = _password()
        report = demo_load(password=password, size=SMALL if options["small"] else FULL)
        figures = ", ".join(f"{count:,} {what}" for what, count in report.figures)
        elapsed = time.monotonic() - started
        if report.generated:
            self.stdout.write(
                f"Demo loaded in {elapsed:.0f} s, since {report.since.japanese_label}: {figures}."
            )
        else:
            self.stdout.write(f"Demo already loaded ({figures}); checked in {elapsed:.1f} s.")
        self._guide(password, origin)

    def _guide(self, password: str, origin: str) -> None:
        base = settings.PUBLIC_BASE_URL
        self.stdout.write("")
        self.stdout.write(f"Serving on {base}/ once the server starts (PUBLIC_BASE_URL):")
        for label, path, more in GUIDE:
            self.stdout.write(f"  {label + ':':<21} {base}{path}   {more}".rstrip())
        if settings.EMAIL_BACKEND == FILE_BACKEND:
            self.stdout.write(
                f"  {'E-mails:':<21} {_shown(Path(settings.EMAIL_FILE_PATH))}/   (a file per e-mail)"
            )
        self.stdout.write(f"Demo accounts, all with the password {password}  ({origin}):")
        for email, what in ACCOUNTS:
            self.stdout.write(f"  {email:<25} {what}")


def _password() -> tuple[str, str]:
    """DEMO_PASSWORD when set; otherwise the one the first load generated and kept, so that every
    later load (which resets the accounts' password) prints the password that works."""
    if settings.DEMO_PASSWORD:
        return settings.DEMO_PASSWORD, "from DEMO_PASSWORD"
    kept = Path(settings.DEMO_PASSWORD_FILE)
    if kept.exists() and kept.read_text(encoding="utf-8").strip():
        return kept.read_text(encoding="utf-8").strip(), f"kept in {_shown(kept)}; DEMO_PASSWORD sets another"
    password = secrets.token_urlsafe(12)
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(password + "\n", encoding="utf-8")
    kept.chmod(0o600)
    return password, f"generated now and kept in {_shown(kept)}; DEMO_PASSWORD sets another"


def _shown(path: Path) -> str:
    """The path as the person who ran `make run` would type it."""
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)
