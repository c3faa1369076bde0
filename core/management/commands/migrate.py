"""Django's migrate, run as the tables' owner when `DATABASE_OWNER_URL` is set, then granting the
application's role its privileges (core.roles)."""

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from core.roles import connected_as_owner, grant_application


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " As the owner of DATABASE_OWNER_URL, when set, granting DATABASE_URL's role."

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        with connected_as_owner(connection) as app_role:
            super().handle(*args, **options)
            if app_role is not None:
                append_only = grant_application(connection, app_role)
                if options["verbosity"] >= 1:
                    self.stdout.write(
                        f"Granted {app_role}: reading and writing, and on {', '.join(append_only)} "
                        "only reading and appending."
                    )
