"""Database triggers that make audit rows append-only, on PostgreSQL and SQLite alike.

UPDATE and DELETE (and TRUNCATE on PostgreSQL) of ``core_auditevent`` are refused unless the one-row table
``gaozhong_audit_maintenance`` has ``allowed = 1``. The application never writes that table: it exists for a
database administrator's maintenance window (for example archiving rows past their retention period) and for
the test suite's database flush. Whoever can change it can also drop a trigger; the point is that no code path
of the application, and no mistaken query, can rewrite history.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE TABLE gaozhong_audit_maintenance (allowed INTEGER NOT NULL)",
    "INSERT INTO gaozhong_audit_maintenance (allowed) VALUES (0)",
    """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       WHEN (SELECT allowed FROM gaozhong_audit_maintenance) = 0
       BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;""",
    """CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
       WHEN (SELECT allowed FROM gaozhong_audit_maintenance) = 0
       BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
    "DROP TABLE IF EXISTS gaozhong_audit_maintenance",
]
PG_UP = [
    "CREATE TABLE gaozhong_audit_maintenance (allowed INTEGER NOT NULL)",
    "INSERT INTO gaozhong_audit_maintenance (allowed) VALUES (0)",
    """CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
       BEGIN
         IF (SELECT allowed FROM gaozhong_audit_maintenance LIMIT 1) = 1 THEN
           IF TG_LEVEL = 'ROW' THEN RETURN OLD; END IF;
           RETURN NULL;
         END IF;
         RAISE EXCEPTION 'audit rows are append-only';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent
       FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();""",
    """CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_append_only();""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent",
    "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only()",
    "DROP TABLE IF EXISTS gaozhong_audit_maintenance",
]


def _run(schema_editor, pg, sqlite):
    vendor = schema_editor.connection.vendor
    for s in pg if vendor == "postgresql" else sqlite if vendor == "sqlite" else []:
        schema_editor.execute(s)


def up(apps, schema_editor):
    _run(schema_editor, PG_UP, SQLITE_UP)


def down(apps, schema_editor):
    _run(schema_editor, PG_DOWN, SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
