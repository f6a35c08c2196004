"""A trigger function that refuses UPDATE and DELETE on audit tables (report events and
layer history): the application never changes them, and now neither can anyone else
through SQL, short of a deliberate purge (SET geoportal.allow_audit_purge = 'on' in the
transaction, for a retention period the law sets) or TRUNCATE by the database owner."""

from __future__ import annotations

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION geoportal_refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('geoportal.allow_audit_purge', true), '') = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION '% on % refused: the audit trail is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS geoportal_refuse_audit_change()"),
    ]
