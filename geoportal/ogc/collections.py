"""The feature collections of the OGC API: the four layers, the public reports and the
register of permit applications."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.serializers import BaseSerializer

from geoportal.permits import register
from geoportal.reports.api.serializers import ReportFeatureSerializer
from geoportal.reports.models import Report
from layers.api import serializers as layer_serializers
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone
from layers.registry import LAYERS


@dataclass(frozen=True)
class Collection:
    id: str
    title: Any
    description: Any
    items: Callable[[], QuerySet[Any]]
    serializer: type[BaseSerializer[Any]]
    geometry_field: str
    # The property a `datetime` query selects on; None: the collection is not temporal.
    temporal_field: str | None = None

    @property
    def is_layer(self) -> bool:
        """A GIS layer (its features written by PostgreSQL, pages.py, and editable through
        Part 4), or records with a serializer of their own (reports, permit applications)."""
        return self.id in LAYERS


def _reports() -> QuerySet[Report]:
    return Report.objects.public().select_related("municipality", "category", "department")


def _layer(model: Any, permitted: bool) -> Callable[[], QuerySet[Any]]:
    def items() -> QuerySet[Any]:
        features = model.objects.filter(municipality__is_active=True).select_related("municipality")
        return features.with_permit_state() if permitted else features

    return items


COLLECTIONS: dict[str, Collection] = {
    collection.id: collection
    for collection in [
        Collection("maf", _("Temporary structures (МАФ)"),
                   _("Kiosks, pavilions and terraces with their passports of binding."),
                   _layer(TemporaryStructure, True),
                   layer_serializers.TemporaryStructureSerializer, "geometry"),
        Collection("advertising", _("Advertising structures"),
                   _("Billboards, city-lights and other structures with their permits."),
                   _layer(AdvertisingStructure, True),
                   layer_serializers.AdvertisingStructureSerializer, "geometry"),
        Collection("land", _("Land plots"),
                   _("Plots of the state land cadastre (without users' names)."),
                   _layer(LandPlot, False), layer_serializers.LandPlotSerializer, "geometry"),
        Collection("zoning", _("Zoning zones"), _("Zones of the city's zoning plan."),
                   _layer(ZoningZone, False), layer_serializers.ZoningZoneSerializer, "geometry"),
        Collection("reports", _("Residents' reports"),
                   _("Public Open City reports (no personal data), with their state."),
                   _reports, ReportFeatureSerializer, "point", temporal_field="created_at"),
        Collection(register.OGC_COLLECTION, _("Permit applications"),
                   _("The register of applications for МАФ passports, terraces and advertising "
                     "permits from their registration (no personal data); `datetime` selects "
                     "on the registration."),
                   register.registered, register.PermitFeatureSerializer, "site",
                   temporal_field="registered_at"),
    ]
}  # fmt: skip
