"""`manage.py demo_load`: what it prints for `make run`, a second load, the password it keeps,
and its refusal outside demo mode."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.load import demo_load
from events.models import Activity
from matching.models import Offer
from plan_registry.models import Area
from points.models import Entry
from tests.demo.conftest import PASSWORD
from volunteer.models import Organisation, User

pytestmark = pytest.mark.django_db
ACCOUNTS = [
    "coordinator@example.com",
    "organiser@example.com",
    "planner@example.com",
    "admin@example.com",
    "resident@example.com",
]


def counts() -> tuple[int, ...]:
    models: list[Any] = [User, Area, Organisation, Activity, Offer, Entry]
    return tuple(model.objects.count() for model in models)


def load(**options: Any) -> list[str]:
    out = StringIO()
    call_command("demo_load", small=True, stdout=out, **options)
    return out.getvalue().splitlines()


def test_the_load_ends_with_where_to_look_and_how_to_sign_in(small_demo: str, settings: Any) -> None:
    lines = small_demo.splitlines()

    assert lines[0].startswith("Demo loaded in ")
    assert " s, since 令和" in lines[0]
    base = settings.PUBLIC_BASE_URL
    assert f"Serving on {base}/ once the server starts (PUBLIC_BASE_URL):" in lines
    assert f"{base}/api/docs/" in small_demo
    assert f"{base}/staff/" in small_demo
    assert lines[-6] == f"Demo accounts, all with the password {PASSWORD}  (from DEMO_PASSWORD):"
    assert [line.split()[0] for line in lines[-5:]] == ACCOUNTS


def test_a_second_load_adds_nothing_says_so_and_resets_the_password(small_demo: str, settings: Any) -> None:
    settings.DEMO_PASSWORD = "another-password-456"
    before = counts()

    lines = load()

    assert lines[0].startswith("Demo already loaded (95 school districts, 500 residents")
    assert counts() == before
    assert User.objects.get(email="planner@example.com").check_password("another-password-456")
    assert [line.split()[0] for line in lines[-5:]] == ACCOUNTS


def test_without_demo_password_the_first_generated_one_is_kept_for_every_later_load(
    small_demo: str, settings: Any, tmp_path: Path
) -> None:
    settings.DEMO_PASSWORD = ""
    settings.DEMO_PASSWORD_FILE = tmp_path / "var" / "demo-password"

    first = load()
    kept = settings.DEMO_PASSWORD_FILE.read_text().strip()
    second = load()

    assert len(kept) >= 16
    assert settings.DEMO_PASSWORD_FILE.stat().st_mode & 0o777 == 0o600
    assert f"the password {kept}  (generated now and kept in " in first[-6]
    assert f"the password {kept}  (kept in " in second[-6]
    assert User.objects.get(email="coordinator@example.com").check_password(kept)


def test_demo_data_is_never_generated_outside_demo_mode(settings: Any, tmp_path: Path) -> None:
    settings.DEMO_MODE = False
    settings.DEMO_PASSWORD_FILE = tmp_path / "demo-password"
    before = counts()

    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_load", small=True)
    with pytest.raises(RuntimeError):
        demo_load(password="x")

    assert counts() == before
    assert not settings.DEMO_PASSWORD_FILE.exists()
