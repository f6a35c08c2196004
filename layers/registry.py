"""Which model, natural key and geometry types stand behind each layer name."""

from __future__ import annotations

from dataclasses import dataclass

from layers.kinds import LayerKind
from layers.models import (
    AdvertisingStructure,
    LandPlot,
    LayerFeature,
    TemporaryStructure,
    ZoningZone,
)


@dataclass(frozen=True)
class LayerSpec:
    kind: LayerKind
    model: type[LayerFeature]
    # Fields that identify a feature for upserts; municipality is implied except for land,
    # whose cadastral number is unique in the whole country.
    natural_key: str
    key_per_municipality: bool
    geometry_types: tuple[str, ...]
    has_permit: bool


LAYERS: dict[str, LayerSpec] = {
    LayerKind.TEMPORARY_STRUCTURES.value: LayerSpec(
        LayerKind.TEMPORARY_STRUCTURES,
        TemporaryStructure,
        "passport_number",
        True,
        TemporaryStructure.geometry_types,
        True,
    ),
    LayerKind.ADVERTISING.value: LayerSpec(
        LayerKind.ADVERTISING,
        AdvertisingStructure,
        "permit_number",
        True,
        AdvertisingStructure.geometry_types,
        True,
    ),
    LayerKind.LAND_PLOTS.value: LayerSpec(
        LayerKind.LAND_PLOTS, LandPlot, "cadastral_number", False, LandPlot.geometry_types, False
    ),
    LayerKind.ZONING.value: LayerSpec(
        LayerKind.ZONING, ZoningZone, "code", True, ZoningZone.geometry_types, False
    ),
}


def get_layer(name: str) -> LayerSpec:
    """The layer called `name` (maf, advertising, land, zoning) or a KeyError naming the choices."""
    try:
        return LAYERS[name]
    except KeyError:
        raise KeyError(f"Unknown layer {name!r}; choose one of: {', '.join(LAYERS)}.") from None
