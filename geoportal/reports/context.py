"""What stands at a report's point, found once at intake and shown to staff.

The land plot and zoning zone containing the point, the nearest МАФ and advertising
structure within 30 m with the state of their permit, and, for the categories linked
to those layers (illegal kiosks, illegal advertising), whether the structure there
stands without a valid permit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.geos import Point

from geoportal.municipalities.models import Category, Municipality
from layers.kinds import LayerKind
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone
from layers.models.base import PermitState, StructureStatus
from layers.nearby import nearest

CONTEXT_RADIUS_M = 30
WITHOUT_VALID_PERMIT = {PermitState.EXPIRED, PermitState.NONE}
NOT_STANDING_LEGALLY = {
    StructureStatus.EXPIRED,
    StructureStatus.CANCELLED,
    StructureStatus.UNAUTHORISED,
}


@dataclass
class SpatialContext:
    plot: LandPlot | None = None
    zone: ZoningZone | None = None
    maf: TemporaryStructure | None = None
    advertising: AdvertisingStructure | None = None
    structure_without_valid_permit: bool = False
    snapshot: dict[str, Any] = field(default_factory=dict)

    def fields(self) -> dict[str, Any]:
        """The report's fields that keep this context."""
        return {
            "context_plot": self.plot,
            "context_zone": self.zone,
            "context_maf": self.maf,
            "context_advertising": self.advertising,
            "context": self.snapshot,
            "structure_without_valid_permit": self.structure_without_valid_permit,
        }


def _structure(feature: Any, key: str, holder: str) -> dict[str, Any]:
    return {
        "id": feature.pk,
        key: getattr(feature, key),
        "kind": feature.kind,
        "status": feature.status,
        "permit_state": feature.permit_state,
        "permit_valid_to": feature.permit_valid_to.isoformat() if feature.permit_valid_to else None,
        "holder": getattr(feature, holder),
        "address": feature.address,
        "distance_m": feature.distance_m,
    }


def find_context(point: Point, municipality: Municipality, category: Category) -> SpatialContext:
    found = SpatialContext()
    here = {"municipality": municipality}
    found.plot = LandPlot.objects.filter(geometry__covers=point, **here).first()
    found.zone = ZoningZone.objects.filter(geometry__covers=point, **here).first()
    found.maf = nearest(
        TemporaryStructure.objects.filter(**here).with_permit_state(),
        "geometry",
        point,
        CONTEXT_RADIUS_M,
    )
    found.advertising = nearest(
        AdvertisingStructure.objects.filter(**here).with_permit_state(),
        "geometry",
        point,
        CONTEXT_RADIUS_M,
    )
    snapshot: dict[str, Any] = {"radius_m": CONTEXT_RADIUS_M}
    if found.plot:
        plot = found.plot
        snapshot["plot"] = {
            "id": plot.pk,
            "cadastral_number": plot.cadastral_number,
            "purpose_code": plot.purpose_code,
            "purpose": plot.purpose_text,
            "ownership": plot.ownership,
            "investor_status": plot.investor_status,
        }
    if found.zone:
        snapshot["zone"] = {"id": found.zone.pk, "code": found.zone.code, "name": found.zone.name}
    if found.maf:
        snapshot["maf"] = _structure(found.maf, "passport_number", "owner_name")
    if found.advertising:
        snapshot["advertising"] = _structure(found.advertising, "permit_number", "distributor_name")
    linked = {
        LayerKind.TEMPORARY_STRUCTURES: found.maf,
        LayerKind.ADVERTISING: found.advertising,
    }
    if category.linked_layer in linked:
        structure = linked[LayerKind(category.linked_layer)]
        # No registered structure where the resident sees one, or one whose permit is gone.
        found.structure_without_valid_permit = structure is None or (
            structure.permit_state in WITHOUT_VALID_PERMIT
            or structure.status in NOT_STANDING_LEGALLY
        )
    snapshot["structure_without_valid_permit"] = found.structure_without_valid_permit
    found.snapshot = snapshot
    return found
