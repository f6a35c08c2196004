"""SQL to put the append-only guard (core migration 0001) on a table, for migrations."""

from __future__ import annotations

from django.db import migrations


def guard(table: str) -> migrations.RunSQL:
    trigger = f"{table}_append_only"
    return migrations.RunSQL(
        f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION geoportal_refuse_audit_change()",
        f"DROP TRIGGER IF EXISTS {trigger} ON {table}",
    )
