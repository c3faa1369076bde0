"""On PostgreSQL the database guards the ledger itself: entries and transactions are append-only
(UPDATE and DELETE refused), and a transaction whose entries do not sum to zero cannot commit.
SQLite (the embedded default) relies on the services and the reconciliation job."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION points_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'points ledger rows are append-only: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' refused',
        ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER points_entry_append_only BEFORE UPDATE OR DELETE ON points_entry
    FOR EACH ROW EXECUTE FUNCTION points_refuse_change();
CREATE TRIGGER points_transaction_append_only BEFORE UPDATE OR DELETE ON points_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION points_refuse_change();

CREATE FUNCTION points_check_balanced() RETURNS trigger AS $$
DECLARE total bigint;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO total FROM points_entry WHERE transaction_id = NEW.transaction_id;
    IF total <> 0 THEN
        RAISE EXCEPTION USING
            MESSAGE = 'ledger transaction ' || NEW.transaction_id || ' does not balance (its entries sum to '
                || total || ')',
            ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER points_entry_balanced AFTER INSERT ON points_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION points_check_balanced();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS points_entry_balanced ON points_entry;
DROP FUNCTION IF EXISTS points_check_balanced();
DROP TRIGGER IF EXISTS points_transaction_append_only ON points_ledgertransaction;
DROP TRIGGER IF EXISTS points_entry_append_only ON points_entry;
DROP FUNCTION IF EXISTS points_refuse_change();
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
