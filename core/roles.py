"""Two database roles: the owner, who migrates, and the application, who may only read and append
the ledger.

The role that owns a table may alter it, disable its triggers and truncate it, whatever the
triggers say; so the application must not connect as the owner. With `DATABASE_OWNER_URL` set,
`manage.py migrate` connects as that owner (the tables are created as its own), then grants the
application's role (the user of `DATABASE_URL`) what it needs: reading and writing the ordinary
tables, and only SELECT and INSERT on the models marked `append_only` (the ledger's
transactions, entries and seals). The grants are given again after every migration, so a table
a later migration adds is covered. Without `DATABASE_OWNER_URL` (the embedded SQLite default, a
developer's single-role PostgreSQL) migrations run as the application and the ledger keeps only
its triggers.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import environ
from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

APPEND_ONLY_ATTRIBUTE = "append_only"
CONNECTION_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT")


def append_only_models() -> list[type[Model]]:
    """The models whose rows are never changed or removed once written (the ledger)."""
    return [model for model in apps.get_models() if getattr(model, APPEND_ONLY_ATTRIBUTE, False)]


def owner_settings() -> dict[str, Any] | None:
    """The owner's connection settings from `DATABASE_OWNER_URL`, or None when it is unset."""
    url = getattr(settings, "DATABASE_OWNER_URL", "")
    return environ.Env.db_url_config(url) if url else None


@contextmanager
def connected_as_owner(connection: BaseDatabaseWrapper) -> Iterator[str | None]:
    """Within: the connection is the owner's. Yields the application's role to grant, or None
    when there is no separate owner (nothing to grant)."""
    owner = owner_settings()
    if owner is None:
        yield None
        return
    if connection.vendor != "postgresql":
        raise CommandError("DATABASE_OWNER_URL is for PostgreSQL: the roles are PostgreSQL's.")
    app = {key: connection.settings_dict[key] for key in CONNECTION_KEYS}
    if (owner["NAME"], owner["HOST"], str(owner["PORT"])) != (app["NAME"], app["HOST"], str(app["PORT"])):
        raise CommandError("DATABASE_OWNER_URL must name the same database as DATABASE_URL, as its owner.")
    if owner["USER"] == app["USER"]:
        raise CommandError(
            "DATABASE_OWNER_URL and DATABASE_URL name the same role: the application would own the "
            "ledger and could rewrite it. Give the application its own role (README: Database roles)."
        )
    connection.close()
    connection.settings_dict.update({key: owner[key] for key in CONNECTION_KEYS})
    try:
        yield str(app["USER"])
    finally:
        connection.close()
        connection.settings_dict.update(app)


def grant_application(connection: BaseDatabaseWrapper, role: str) -> list[str]:
    """Grants the application's role its privileges; returns the append-only tables."""
    quote = connection.ops.quote_name
    append_only = sorted(model._meta.db_table for model in append_only_models())
    role, tables = quote(role), ", ".join(quote(table) for table in append_only)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {tables} FROM {role}")
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {tables} FROM PUBLIC")
    return append_only
