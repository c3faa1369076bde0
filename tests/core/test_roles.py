"""`manage.py migrate` as the owner (core.roles): what it refuses before touching anything. The
grants themselves are proven on PostgreSQL in tests/integration/test_database_roles_postgres.py."""

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.roles import append_only_models, connected_as_owner
from points.models import Entry, LedgerSeal, LedgerTransaction


def test_the_ledger_is_what_is_append_only() -> None:
    assert set(append_only_models()) == {LedgerTransaction, Entry, LedgerSeal}


def test_without_an_owner_migrations_run_as_the_application(db: None) -> None:
    with connected_as_owner(connection) as app_role:
        assert app_role is None


def _app_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db
def test_an_owner_is_refused_when_it_would_not_protect_the_ledger(settings: Any) -> None:
    before = dict(connection.settings_dict)
    if connection.vendor != "postgresql":
        settings.DATABASE_OWNER_URL = "postgres://owner:secret@127.0.0.1:5432/volunteer"
        with pytest.raises(CommandError, match="for PostgreSQL"):
            call_command("migrate", "--check", verbosity=0)
    else:
        settings.DATABASE_OWNER_URL = _app_url()
        with pytest.raises(CommandError, match="same role"):
            call_command("migrate", "--check", verbosity=0)
        settings.DATABASE_OWNER_URL = _app_url().rsplit("/", 1)[0] + "/another_database"
        with pytest.raises(CommandError, match="same database"):
            call_command("migrate", "--check", verbosity=0)
    assert connection.settings_dict == before
