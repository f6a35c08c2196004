"""How far an update moves stored features: a file in the wrong coordinate system moves
every plot by tens or hundreds of metres, and a careful import says so before it writes."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

# Metres in a degree of latitude, and of longitude at the equator (WGS 84, near 48° N the
# difference from the ellipsoid's true lengths is under 0.5 %: enough to see a move of 1 m).
METRES_PER_DEGREE_LAT = 111_132.0
METRES_PER_DEGREE_LON = 111_320.0


def as_shapely(geometry: Any) -> shapely.Geometry:
    """A stored WKB, a checked row's hex EWKB or a GEOS geometry as a shapely one."""
    if isinstance(geometry, str):
        return shapely.from_wkb(bytes.fromhex(geometry))
    if isinstance(geometry, bytes | memoryview):
        return shapely.from_wkb(bytes(geometry))
    return shapely.from_wkb(bytes(geometry.wkb))


def moved_metres(before: list[Any], after: list[Any]) -> np.ndarray[Any, Any]:
    """The Hausdorff distance between each pair, in metres: the farthest any point of one
    boundary lies from the other. Degrees are scaled to metres at each pair's latitude."""
    if not before:
        return np.zeros(0)
    old = np.array([as_shapely(g) for g in before])
    new = np.array([as_shapely(g) for g in after])
    latitude = shapely.get_y(shapely.centroid(old))
    scale = np.cos(np.radians(latitude)) * METRES_PER_DEGREE_LON
    distances = np.empty(len(old))
    for index, (a, b, kx) in enumerate(zip(old, new, scale, strict=True)):
        factor = np.array([kx, METRES_PER_DEGREE_LAT])
        distances[index] = shapely.hausdorff_distance(
            shapely.transform(a, lambda xy, f=factor: xy * f),
            shapely.transform(b, lambda xy, f=factor: xy * f),
        )
    return distances
