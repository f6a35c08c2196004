"""Geometry checks of layer features: type, validity, emptiness, inside the hromada.

Distances are in metres: the boundary is buffered in the UCS-2000 / Ukraine TM
zone of its centre (EPSG:6381–6387), never by a rule of thumb in degrees.
"""

from __future__ import annotations

import threading

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GeometryCollection, GEOSGeometry, MultiPolygon, Polygon
from django.contrib.gis.geos.prepared import PreparedGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# UCS-2000 / Ukraine TM zones 7..13 (central meridians 21°..39° E).
_TM_ZONES = {21: 6381, 24: 6382, 27: 6383, 30: 6384, 33: 6385, 36: 6386, 39: 6387}


def metric_srid(lon: float) -> int:
    """EPSG code of the UCS-2000 TM zone whose central meridian is nearest to `lon`."""
    meridian = min(_TM_ZONES, key=lambda m: abs(m - lon))
    return _TM_ZONES[meridian]


_transforms = threading.local()


def reprojected(geom: GEOSGeometry, srid: int) -> GEOSGeometry:
    """A copy of the geometry in `srid`. The PROJ transformation is built once per thread and
    pair of systems: building it takes ~13 ms, applying it microseconds."""
    if geom.srid == srid:
        return geom.clone()
    if geom.srid is None:
        raise ValueError("The geometry has no SRID to transform from.")
    kept: dict[tuple[int, int], CoordTransform] = _transforms.__dict__.setdefault("pairs", {})
    pair = (geom.srid, srid)
    if pair not in kept:
        kept[pair] = CoordTransform(SpatialReference(geom.srid), SpatialReference(srid))
    copy = geom.clone()
    copy.transform(kept[pair])
    copy.srid = srid
    return copy


def grown_area(area: GEOSGeometry, metres: float) -> GEOSGeometry:
    """The area grown by `metres` on the ground."""
    if metres <= 0:
        return area
    srid = metric_srid(area.centroid.x)
    return reprojected(reprojected(area, srid).buffer(metres), 4326)


def buffered_area(area: GEOSGeometry, metres: float) -> PreparedGeometry:
    """The area grown by `metres` on the ground, prepared for many containment tests."""
    return grown_area(area, metres).prepared


def check_geometry(
    geom: GEOSGeometry | None,
    allowed_types: tuple[str, ...],
    inside: PreparedGeometry | None = None,
    *,
    make_valid: bool = False,
) -> GEOSGeometry:
    """Return the geometry (repaired with make_valid=True) or raise a ValidationError."""
    if geom is None or geom.empty:
        raise ValidationError(_("The geometry is empty."))
    if geom.geom_type not in allowed_types:
        raise ValidationError(
            _("The geometry is a %(found)s; this layer takes %(allowed)s.")
            % {"found": geom.geom_type, "allowed": " or ".join(allowed_types)}
        )
    if not geom.valid:
        if not make_valid:
            raise ValidationError(
                _("The geometry is not valid: %(reason)s. Fix it, or import with --make-valid.")
                % {"reason": geom.valid_reason}
            )
        geom = repair(geom, allowed_types)
    if inside is not None and not inside.covers(geom):
        raise ValidationError(_("The geometry lies outside the municipality boundary."))
    return geom


def repair(geom: GEOSGeometry, allowed_types: tuple[str, ...]) -> GEOSGeometry:
    """GEOS MakeValid, keeping only the polygonal parts for polygon layers."""
    fixed = geom.make_valid()
    if fixed.geom_type in allowed_types:
        return fixed
    polygons = [part for part in _parts(fixed) if isinstance(part, Polygon)]
    if polygons and "MultiPolygon" in allowed_types:
        return MultiPolygon(polygons, srid=geom.srid)
    if len(polygons) == 1 and "Polygon" in allowed_types:
        return polygons[0]
    raise ValidationError(
        _("The geometry could not be repaired into a %(allowed)s.")
        % {"allowed": " or ".join(allowed_types)}
    )


def _parts(geom: GEOSGeometry) -> list[GEOSGeometry]:
    if isinstance(geom, GeometryCollection):  # the Multi* types are collections too
        result: list[GEOSGeometry] = []
        for part in geom:
            result.extend(_parts(part))
        return result
    return [geom]
