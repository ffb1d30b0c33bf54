"""Database triggers that make audit rows append-only, on PostgreSQL and SQLite alike."""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;""",
    """CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS core_auditevent_no_update;", "DROP TRIGGER IF EXISTS core_auditevent_no_delete;"]
PG_UP = [
    """CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit rows are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent
       FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();""",
    # TRUNCATE bypasses row triggers; refuse it too.
    """CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_append_only();""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent;",
    "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only();",
]


def up(apps, schema_editor):
    stmts = PG_UP if schema_editor.connection.vendor == "postgresql" else SQLITE_UP if schema_editor.connection.vendor == "sqlite" else []
    for s in stmts:
        schema_editor.execute(s)


def down(apps, schema_editor):
    stmts = PG_DOWN if schema_editor.connection.vendor == "postgresql" else SQLITE_DOWN if schema_editor.connection.vendor == "sqlite" else []
    for s in stmts:
        schema_editor.execute(s)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
