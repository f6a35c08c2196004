"""Application events refuse UPDATE and DELETE in the database too (geoportal.core.audit_guard)."""

from __future__ import annotations

from django.db import migrations

from geoportal.core.audit_guard import guard


class Migration(migrations.Migration):
    dependencies = [("permits", "0001_initial"), ("core", "0001_audit_guard")]
    operations = [guard("permits_applicationevent")]
