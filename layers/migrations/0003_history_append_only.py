"""Layer history refuses UPDATE and DELETE in the database too (geoportal.core.audit_guard)."""

from __future__ import annotations

from django.db import migrations

from geoportal.core.audit_guard import guard


class Migration(migrations.Migration):
    dependencies = [("layers", "0002_landplot_ownership_undetermined"), ("core", "0001_audit_guard")]
    operations = [
        guard("layers_historicaltemporarystructure"),
        guard("layers_historicaladvertisingstructure"),
        guard("layers_historicallandplot"),
        guard("layers_historicalzoningzone"),
    ]
