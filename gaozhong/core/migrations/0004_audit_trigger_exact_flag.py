"""SQLite's append-only audit triggers open only when the maintenance flag is exactly 1.

The triggers of ``0002`` refused a change only while the flag was 0, so any other value (2, -1, a missing row)
opened the audit table, contrary to their comment and to the PostgreSQL trigger, which opens for 1 only. They
now refuse unless the flag ``IS 1`` (an empty flag table refuses too).
"""

from django.db import migrations

_GUARD = "WHEN (SELECT allowed FROM gaozhong_audit_maintenance LIMIT 1) IS NOT 1"
_OLD_GUARD = "WHEN (SELECT allowed FROM gaozhong_audit_maintenance) = 0"


def _triggers(guard: str) -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS core_auditevent_no_update",
        "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
        f"""CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
           {guard}
           BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;""",
        f"""CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
           {guard}
           BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;""",
    ]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "sqlite":
        for s in statements:
            schema_editor.execute(s)


def up(apps, schema_editor):
    _run(schema_editor, _triggers(_GUARD))


def down(apps, schema_editor):
    _run(schema_editor, _triggers(_OLD_GUARD))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_membership_candidate")]
    operations = [migrations.RunPython(up, down)]
