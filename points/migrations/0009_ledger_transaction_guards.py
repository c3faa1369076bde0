"""More of the ledger's guards in PostgreSQL itself: a transaction must have at least two entries
(checked at commit), and every entry's account is of its transaction's scheme (checked as it is
written). SQLite (the embedded default) relies on the services and `points_reconcile`, which
checks the same."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION points_check_entry_scheme() RETURNS trigger AS $$
BEGIN
    IF (SELECT scheme_id FROM points_account WHERE id = NEW.account_id)
        <> (SELECT scheme_id FROM points_ledgertransaction WHERE id = NEW.transaction_id) THEN
        RAISE EXCEPTION USING
            MESSAGE = 'ledger transaction ' || NEW.transaction_id || ' mixes schemes (account '
                || NEW.account_id || ')',
            ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER points_entry_one_scheme BEFORE INSERT ON points_entry
    FOR EACH ROW EXECUTE FUNCTION points_check_entry_scheme();

CREATE FUNCTION points_check_transaction_entries() RETURNS trigger AS $$
DECLARE entries integer;
BEGIN
    SELECT COUNT(*) INTO entries FROM points_entry WHERE transaction_id = NEW.id;
    IF entries < 2 THEN
        RAISE EXCEPTION USING
            MESSAGE = 'ledger transaction ' || NEW.id || ' has ' || entries || ' entries (at least two)',
            ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER points_transaction_has_entries AFTER INSERT ON points_ledgertransaction
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION points_check_transaction_entries();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS points_transaction_has_entries ON points_ledgertransaction;
DROP FUNCTION IF EXISTS points_check_transaction_entries();
DROP TRIGGER IF EXISTS points_entry_one_scheme ON points_entry;
DROP FUNCTION IF EXISTS points_check_entry_scheme();
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("points", "0008_idempotency_keys_move_to_core")]
    operations = [migrations.RunPython(forward, backward)]
