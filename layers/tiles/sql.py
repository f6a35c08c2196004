"""The ST_AsMVT query of each layer: geometry clipped to the tile, simplified by one tile
unit (invisible at that zoom), attributes for styling and popups.

The simplification is ST_Simplify keeping collapsed polygons, not ST_SimplifyPreserveTopology:
both give the same tile, since ST_AsMVTGeom snaps to the tile's grid and makes the result
valid after them, but the topology-preserving one goes through GEOS for every geometry and
made a z12 land tile's query ~40% slower (tests/perf/tile_profile.py, the bench's tiles)."""

from __future__ import annotations

from dataclasses import dataclass

# Tile size in metres of EPSG:3857 at zoom 0; a tile has 4096 units (MVT default extent).
WORLD_METRES = 2 * 20037508.342789244
EXTENT = 4096
BUFFER = 64

PERMIT_STATE_SQL = """CASE
    WHEN f.permit_valid_to IS NULL THEN 'none'
    WHEN f.permit_valid_to < %(today)s THEN 'expired'
    WHEN f.permit_valid_to <= %(today)s::date + m.permit_expiring_days THEN 'expiring'
    ELSE 'active' END"""


@dataclass(frozen=True)
class TileLayer:
    table: str
    attributes: str  # SQL select list of the feature's attributes
    simplify: bool  # polygons are simplified; points are not


TILE_LAYERS: dict[str, TileLayer] = {
    "maf": TileLayer(
        "layers_temporarystructure",
        f"f.id, f.passport_number, f.kind, f.status, f.address, {PERMIT_STATE_SQL} AS permit_state",
        True,
    ),
    "advertising": TileLayer(
        "layers_advertisingstructure",
        f"f.id, f.permit_number, f.kind, f.status, f.address, {PERMIT_STATE_SQL} AS permit_state",
        False,
    ),
    "land": TileLayer(
        "layers_landplot",
        "f.id, f.cadastral_number, f.purpose_code, f.ownership, f.investor_status",
        True,
    ),
    "zoning": TileLayer("layers_zoningzone", "f.id, f.code, f.name", True),
}


def tile_sql(layer: str, with_municipality: bool) -> str:
    """SQL taking %(z)s %(x)s %(y)s %(layer)s %(tolerance)s %(today)s [%(municipality)s]."""
    spec = TILE_LAYERS[layer]
    geometry = "ST_Transform(f.geometry, 3857)"
    if spec.simplify:
        # true: a plot smaller than the tolerance stays a polygon (as it would with
        # ST_SimplifyPreserveTopology) and ST_AsMVTGeom decides whether it shows.
        geometry = f"ST_Simplify({geometry}, %(tolerance)s, true)"
    scope = "AND f.municipality_id = %(municipality)s" if with_municipality else ""
    # The envelope is taken to 4326 once, so the && test uses the GiST index on geometry.
    # The features are MATERIALIZED: inlined, the planner would run ST_AsMVTGeom twice per
    # row (once in the IS NOT NULL filter, once for the tile), nearly doubling a dense tile.
    # Only constants of this module are formatted in; every value is a query parameter.
    return f"""
WITH bounds AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS tile,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s), 4326) AS area
), features AS MATERIALIZED (
    SELECT {spec.attributes}, m.slug AS municipality,
           ST_AsMVTGeom({geometry}, bounds.tile, {EXTENT}, {BUFFER}, true) AS geom
    FROM {spec.table} f
    JOIN municipalities_municipality m ON m.id = f.municipality_id
    CROSS JOIN bounds
    WHERE f.geometry && bounds.area {scope}
)
SELECT ST_AsMVT(features, %(layer)s, {EXTENT}, 'geom') FROM features
WHERE features.geom IS NOT NULL
"""  # noqa: S608


def tile_tolerance(z: int) -> float:
    """One tile unit in metres at zoom z."""
    return WORLD_METRES / (2**z) / EXTENT
