"""The ledger the application cannot rewrite: a database migrated by its owner, the application
connected as its own role (core.roles), as docker-compose.yml deploys them."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import errors, sql

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]

POST_AND_RECONCILE = """
from django.core.management import call_command
from django.db import transaction
from points.models import Account, Scheme
from points.services.ledger import Line, resident_account, system_account, transaction_post
from points.services.seals import ledger_seal
from volunteer.models import User

scheme = Scheme.objects.get(code="kumamoto")
person = User.objects.create(email="app-role@example.com")
with transaction.atomic():
    posted, _ = transaction_post(
        kind="award", business_key="app-role:1", scheme=scheme,
        lines=[Line(system_account(scheme=scheme, kind=Account.Kind.ISSUANCE), -30),
               Line(resident_account(scheme=scheme, person=person), 30)],
    )
ledger_seal()
call_command("points_reconcile")
print("posted", posted.pk)
"""


def _url(user: str, password: str, database: str) -> str:
    base = psycopg.conninfo.conninfo_to_dict(os.environ["DATABASE_URL"])
    return f"postgres://{user}:{password}@{base['host']}:{base['port']}/{database}"


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def roles() -> Iterator[dict[str, str]]:
    """A database of its own, migrated by the tests' role as owner, and an application role."""
    owner = psycopg.conninfo.conninfo_to_dict(os.environ["DATABASE_URL"])
    database, app_role = f"ledger_roles_{os.getpid()}", f"ledger_app_{os.getpid()}"
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database)))
        admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(app_role)))
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'app'").format(sql.Identifier(app_role)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    urls = {
        "owner": _url(str(owner["user"]), str(owner.get("password", "")), database),
        "app": _url(app_role, "app", database),
    }
    env = {**os.environ, "DATABASE_OWNER_URL": urls["owner"], "DATABASE_URL": urls["app"]}
    env["DEMO_MODE"] = "false"
    try:
        migrated = _manage("migrate", "--noinput", env=env)
        assert migrated.returncode == 0, migrated.stderr
        urls["migrate_output"] = migrated.stdout
        used = _manage("shell", "-c", POST_AND_RECONCILE, env=env)
        urls["app_output"] = used.stdout + used.stderr
        yield urls
    finally:
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(app_role)))


def _owner_of(url: str, table: str) -> Any:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [table]).fetchone()
        return row[0] if row else None


def test_migrations_run_as_the_owner_and_grant_the_application(roles: dict[str, str]) -> None:
    owner = psycopg.conninfo.conninfo_to_dict(roles["owner"])["user"]
    assert _owner_of(roles["app"], "points_entry") == owner
    assert _owner_of(roles["app"], "volunteer_user") == owner
    assert "only reading and appending" in roles["migrate_output"]


def test_the_application_posts_seals_and_reconciles_as_its_own_role(roles: dict[str, str]) -> None:
    assert "posted" in roles["app_output"], roles["app_output"]
    with psycopg.connect(roles["app"]) as app:
        entries = app.execute(
            "SELECT count(*) FROM points_entry e JOIN points_ledgertransaction t ON t.id = e.transaction_id"
            " WHERE t.business_key = 'app-role:1'"
        ).fetchone()
        assert entries == (2,)
        # Balances are the application's to keep: accounts stay writable.
        app.execute("UPDATE points_account SET balance = balance WHERE false")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE points_entry SET amount = amount * 10",
        "DELETE FROM points_entry",
        "TRUNCATE points_entry",
        "UPDATE points_ledgertransaction SET memo = 'changed'",
        "DELETE FROM points_ledgertransaction",
        "TRUNCATE points_ledgertransaction CASCADE",
        "DELETE FROM points_ledgerseal",
        "ALTER TABLE points_entry DISABLE TRIGGER USER",
        "ALTER TABLE points_ledgertransaction DISABLE TRIGGER ALL",
        "DROP TRIGGER points_entry_append_only ON points_entry",
        "SET session_replication_role = replica",
    ],
)
def test_the_application_cannot_rewrite_the_ledger(roles: dict[str, str], statement: str) -> None:
    with psycopg.connect(roles["app"]) as app, pytest.raises(errors.InsufficientPrivilege):
        app.execute(statement)


def test_the_owner_is_refused_truncate_unless_it_says_the_reset_is_deliberate(roles: dict[str, str]) -> None:
    with psycopg.connect(roles["owner"]) as owner:
        with pytest.raises(errors.InsufficientPrivilege, match="append-only"):
            owner.execute("TRUNCATE points_entry")
        owner.rollback()
        owner.execute("SET LOCAL points.allow_truncate = 'on'")
        owner.execute("TRUNCATE points_ledgerseal")  # allowed, and rolled back as the block ends
        owner.rollback()
        assert owner.execute("SELECT count(*) FROM points_entry").fetchone() == (2,)
