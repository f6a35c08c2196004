"""Reading any GDAL-readable file into a GeoDataFrame in EPSG:4326 (pyogrio engine)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
from pyproj.exceptions import CRSError

from layers.importing.archive import ArchiveError, check_archive


class FileReadError(ValueError):
    """The file as a whole cannot be imported; the message says why."""


# The CSV driver's own options: a WKT column, or longitude/latitude columns.
CSV_OPTIONS = {
    "GEOM_POSSIBLE_NAMES": "wkt,WKT,geometry,geom,the_geom",
    "X_POSSIBLE_NAMES": "lon,longitude,lng,x,Lon,Longitude,X",
    "Y_POSSIBLE_NAMES": "lat,latitude,y,Lat,Latitude,Y",
    "KEEP_GEOM_COLUMNS": "NO",
}


def read_frame(path: Path, srid: int | None) -> gpd.GeoDataFrame:
    """All features of the file's first layer, reprojected to EPSG:4326.

    --srid (when given) is the coordinate system of the coordinates and overrides a
    missing or wrong declaration; a CSV without one is taken as longitude/latitude.
    """
    if not path.exists():
        raise FileReadError(f"{path.name}: no such file.")
    suffix = path.suffix.lower()
    if suffix == ".zip":
        try:
            check_archive(path)
        except ArchiveError as exc:
            raise FileReadError(str(exc)) from exc
    source = f"/vsizip/{path}" if suffix == ".zip" else str(path)
    options = CSV_OPTIONS if suffix == ".csv" else {}
    try:
        frame = pyogrio.read_dataframe(source, **options)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        reason = f"{path.name}: GDAL cannot read this file as GIS data ({exc})."
        raise FileReadError(reason) from exc
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        raise FileReadError(f"{path.name}: the file has no geometry column.")
    if len(frame) == 0:
        raise FileReadError(f"{path.name}: the file has no features.")
    try:
        if srid is not None:
            frame = frame.set_crs(epsg=srid, allow_override=True)
        elif frame.crs is None and suffix == ".csv":
            frame = frame.set_crs(epsg=4326)
    except CRSError as exc:
        raise FileReadError(f"--srid {srid}: not a coordinate system PROJ knows.") from exc
    if frame.crs is None:
        raise FileReadError(
            f"{path.name}: the file declares no coordinate system (a Shapefile without its .prj?); "
            "give it with --srid, e.g. --srid 6385 for UCS-2000 / Ukraine TM zone 11."
        )
    if frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(epsg=4326)
    return frame
