"""A change of a layer, a report or a permit application asks the worker to rebuild that
hromada's download and the one of all hromadas (downloads.schedule: many changes make one
build)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from geoportal.municipalities.models import Municipality
from geoportal.opendata.downloads import Download, schedule
from geoportal.permits.models import Application
from geoportal.reports.models import Report, Support
from layers.models.passport import layer_updated


def _changed(dataset: str, municipality_id: int | None) -> None:
    hromada = Municipality.objects.filter(pk=municipality_id or 0)
    if slug := hromada.values_list("slug", flat=True).first():
        schedule(Download(dataset, slug))
    schedule(Download(dataset))


def _layer_updated(sender: Any, municipality_id: int, layer: str, **kwargs: Any) -> None:
    _changed(layer, municipality_id)


def _report_saved(sender: Any, instance: Report, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loaddata
    _changed("reports", instance.municipality_id)


def _support_saved(sender: Any, instance: Support, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    _changed("reports", Report.objects.filter(pk=instance.report_id).values_list(
        "municipality_id", flat=True).first())  # fmt: skip


def _application_saved(sender: Any, instance: Application, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    _changed("permits", instance.municipality_id)


def connect() -> None:
    layer_updated.connect(_layer_updated, dispatch_uid="opendata-layer-updated")
    post_save.connect(_report_saved, sender=Report, dispatch_uid="opendata-report-saved")
    post_delete.connect(_report_saved, sender=Report, dispatch_uid="opendata-report-deleted")
    post_save.connect(_support_saved, sender=Support, dispatch_uid="opendata-support-saved")
    post_save.connect(
        _application_saved, sender=Application, dispatch_uid="opendata-application-saved"
    )
    post_delete.connect(
        _application_saved, sender=Application, dispatch_uid="opendata-application-deleted"
    )
