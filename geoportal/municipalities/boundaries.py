"""Reading a municipality boundary from any file GDAL can open.

The whole file is read and checked before anything is written: every feature
must be a (multi)polygon, the union must be valid and non-empty, and after
reprojection to EPSG:4326 it must lie in Ukraine — the usual sign of a file
whose declared coordinate system is wrong.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.gdal import CoordTransform, DataSource, GDALException, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon

# Ukraine's extent in EPSG:4326 with a margin (lon_min, lat_min, lon_max, lat_max).
UKRAINE_EXTENT = (21.5, 43.5, 41.0, 53.0)


class BoundaryError(ValueError):
    """The file cannot give a usable boundary; the message says why."""


@dataclass(frozen=True)
class BoundaryFile:
    geometry: MultiPolygon
    source_srs: str
    features: int


def read_boundary(path: Path, srid: int | None = None) -> BoundaryFile:
    """Read all polygons of the file's first layer, reproject to 4326 and dissolve them.

    The file is staged and checked as a layer import is (layers/importing/staging.py):
    GDAL opens a private copy with the driver its suffix names, and nothing it refers to.
    """
    from layers.importing.inspection import FileRefusedError
    from layers.importing.staging import stage

    if not path.exists():
        raise BoundaryError(f"{path}: no such file.")
    with tempfile.TemporaryDirectory(prefix="boundary-") as folder:
        try:
            staged = stage(path, Path(folder))
            source = DataSource(staged.source)
        except FileRefusedError as exc:
            raise BoundaryError(str(exc)) from exc
        except GDALException as exc:
            raise BoundaryError(f"{path.name}: GDAL cannot read this file ({exc}).") from exc
        if source.driver.name not in staged.format.drivers:
            raise BoundaryError(
                f"{path.name} is read by GDAL's {source.driver.name} driver, "
                f"not as {staged.format.name}; the file is refused."
            )
        return _dissolve(path, source, srid)


def _dissolve(path: Path, source: DataSource, srid: int | None) -> BoundaryFile:
    if len(source) == 0:
        raise BoundaryError(f"{path.name}: the file has no layers.")
    layer = source[0]
    srs = _source_srs(path, layer.srs, srid)
    wgs84 = SpatialReference(4326)

    parts: list[Polygon] = []
    for number, feature in enumerate(layer, start=1):
        ogr = feature.geom
        if ogr is None or ogr.empty:
            raise BoundaryError(f"{path.name}: feature {number} has no geometry.")
        if ogr.geom_type.name not in {"Polygon", "MultiPolygon", "Polygon25D", "MultiPolygon25D"}:
            raise BoundaryError(
                f"{path.name}: feature {number} is a {ogr.geom_type.name}; "
                "a boundary must be made of polygons."
            )
        ogr.set_3d(False)
        source_geom = GEOSGeometry(ogr.wkb)
        if not source_geom.valid:
            raise BoundaryError(
                f"{path.name}: feature {number} is not a valid polygon: {source_geom.valid_reason}."
            )
        ogr.transform(CoordTransform(srs, wgs84))
        transformed = GEOSGeometry(ogr.wkb, srid=4326)
        if isinstance(transformed, MultiPolygon):
            parts.extend(p for p in transformed if isinstance(p, Polygon))
        elif isinstance(transformed, Polygon):
            parts.append(transformed)

    if not parts:
        raise BoundaryError(f"{path.name}: the layer has no features.")
    merged = MultiPolygon(parts, srid=4326).unary_union
    if merged.empty:
        raise BoundaryError(f"{path.name}: the boundary is empty.")
    if not merged.valid:
        raise BoundaryError(
            f"{path.name}: the merged boundary is not valid: {merged.valid_reason}."
        )
    boundary = MultiPolygon(merged, srid=4326) if isinstance(merged, Polygon) else merged
    if not isinstance(boundary, MultiPolygon):
        raise BoundaryError(f"{path.name}: the polygons dissolve into a {merged.geom_type}.")
    _check_in_ukraine(path, boundary, srs)
    return BoundaryFile(geometry=boundary, source_srs=_srs_name(srs), features=len(layer))


def _source_srs(
    path: Path, declared: SpatialReference | None, srid: int | None
) -> SpatialReference:
    if srid is not None:
        try:
            return SpatialReference(srid)
        except GDALException as exc:
            raise BoundaryError(f"--srid {srid}: not a coordinate system GDAL knows.") from exc
    if declared is None:
        raise BoundaryError(
            f"{path.name}: the file declares no coordinate system; "
            "give it with --srid (e.g. --srid 6384 for UCS-2000 / Ukraine TM zone 10)."
        )
    # Rebuild from WKT so the axis order is the traditional longitude, latitude.
    return SpatialReference(declared.wkt)


def _srs_name(srs: SpatialReference) -> str:
    code = srs.srid
    return f"EPSG:{code}" if code else (srs.name or "unnamed CRS")


def _check_in_ukraine(path: Path, geometry: MultiPolygon, srs: SpatialReference) -> None:
    lon_min, lat_min, lon_max, lat_max = geometry.extent
    u_lon_min, u_lat_min, u_lon_max, u_lat_max = UKRAINE_EXTENT
    inside = (
        u_lon_min <= lon_min
        and lon_max <= u_lon_max
        and u_lat_min <= lat_min
        and lat_max <= u_lat_max
    )
    if not inside:
        raise BoundaryError(
            f"{path.name}: reprojected from {_srs_name(srs)}, the boundary lies at "
            f"longitude {lon_min:.4f}…{lon_max:.4f}, latitude {lat_min:.4f}…{lat_max:.4f}, "
            "outside Ukraine. The file's coordinate system is probably declared wrongly: "
            "check it, or give the right one with --srid."
        )
