"""TRUNCATE passes the row triggers that keep the ledger append-only (it deletes no row one by one),
so a statement trigger refuses it on the ledger's tables. The application's role may not truncate
them anyway (core.roles); this guards the owner against a mistake. A deliberate reset, such as
the test suite's flush between tests, says so for its session: SET points.allow_truncate = 'on'."""

from django.db import migrations

TABLES = ("points_ledgertransaction", "points_entry", "points_ledgerseal")

FORWARD = """
CREATE FUNCTION points_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('points.allow_truncate', true), '') <> 'on' THEN
        RAISE EXCEPTION USING
            MESSAGE = TG_TABLE_NAME || ' is append-only: TRUNCATE refused',
            ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION points_refuse_truncate();\n"
    for table in TABLES
)

BACKWARD = "".join(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS points_refuse_truncate();\n"
)


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("points", "0010_ledger_seals")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
