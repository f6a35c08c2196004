"""Report events refuse UPDATE and DELETE in the database too (geoportal.core.audit_guard)."""

from __future__ import annotations

from django.db import migrations

from geoportal.core.audit_guard import guard


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_map_grid"), ("core", "0001_audit_guard")]
    operations = [guard("reports_reportevent")]
