"""Reading an untrusted GIS file into a GeoDataFrame in EPSG:4326 (pyogrio engine).

The file is staged and checked first (layers/importing/staging.py, inspection.py); GDAL
opens only the staged copy, with the driver its suffix names, and the driver it really
used is checked again before a single feature is read.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pyogrio
from django.utils.translation import gettext as _
from pyproj.exceptions import CRSError

from layers.importing import gdal_options
from layers.importing.inspection import FileRefusedError
from layers.importing.staging import StagedFile, stage


class FileReadError(ValueError):
    """The file as a whole cannot be imported; the message says why."""


# The CSV driver's own options: a WKT column, or longitude/latitude columns.
CSV_OPTIONS = {
    "GEOM_POSSIBLE_NAMES": "wkt,WKT,geometry,geom,the_geom",
    "X_POSSIBLE_NAMES": "lon,longitude,lng,x,Lon,Longitude,X",
    "Y_POSSIBLE_NAMES": "lat,latitude,y,Lat,Latitude,Y",
    "KEEP_GEOM_COLUMNS": "NO",
}


def read_frame(path: Path, srid: int | None, name: str = "") -> gpd.GeoDataFrame:
    """All features of the file's first layer, reprojected to EPSG:4326.

    --srid (when given) is the coordinate system of the coordinates and overrides a
    missing or wrong declaration; a CSV without one is taken as longitude/latitude.
    Messages call the file `name` (the name it was uploaded under) or by its file name.
    """
    name = name or path.name
    if not path.exists():
        raise FileReadError(f"{name}: no such file.")
    unsafe = gdal_options.missing()
    if unsafe:  # the layers app sets them at start-up; never read a file without them
        raise FileReadError(f"GDAL is not configured for untrusted files: {sorted(unsafe)}.")
    with tempfile.TemporaryDirectory(prefix="import-") as folder:
        try:
            staged = stage(path, Path(folder), name)
        except FileRefusedError as exc:
            raise FileReadError(str(exc)) from exc
        frame = _read(staged)
        suffix = staged.format.suffixes[0]
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        raise FileReadError(f"{name}: the file has no geometry column.")
    if len(frame) == 0:
        raise FileReadError(f"{name}: the file has no features.")
    try:
        if srid is not None:
            frame = frame.set_crs(epsg=srid, allow_override=True)
        elif frame.crs is None and suffix == ".csv":
            frame = frame.set_crs(epsg=4326)
    except CRSError as exc:
        raise FileReadError(f"--srid {srid}: not a coordinate system PROJ knows.") from exc
    if frame.crs is None:
        raise FileReadError(
            f"{name}: the file declares no coordinate system (a Shapefile without its .prj?); "
            "give it with --srid, e.g. --srid 6385 for UCS-2000 / Ukraine TM zone 11."
        )
    if frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(epsg=4326)
    return frame


def _read(staged: StagedFile) -> gpd.GeoDataFrame:
    """The staged dataset read by the driver its format allows, and no other."""
    options = CSV_OPTIONS if staged.format.prefix == "CSV:" else {}
    try:
        driver = pyogrio.read_info(staged.source, **options)["driver"]
        if driver not in staged.format.drivers:
            raise FileReadError(
                _("%(name)s is read by GDAL's %(driver)s driver, not as %(format)s; the "
                  "file is refused.")
                % {"name": staged.shown_as, "driver": driver, "format": staged.format.name}
            )  # fmt: skip
        return pyogrio.read_dataframe(staged.source, **options)
    except FileReadError:
        raise
    except Exception as exc:  # whatever GDAL or pyogrio raise (an IndexError for a file with
        # no layer), the file is refused with GDAL's words, never a server error
        raise FileReadError(
            _("%(name)s: GDAL cannot read this file as %(format)s (%(reason)s).")
            % {"name": staged.shown_as, "format": staged.format.name, "reason": _reason(exc)}
        ) from exc


def _reason(exc: Exception) -> str:
    """GDAL's own words, on one line and short: they may quote the file, and a message
    never quotes more than a few words of it."""
    text = " ".join(str(exc).split())
    return text if len(text) <= 160 else text[:159] + "…"
