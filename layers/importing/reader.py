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
from pyproj import CRS
from pyproj.exceptions import CRSError
from pyproj.transformer import TransformerGroup

from layers.importing import gdal_options
from layers.importing.inspection import FileRefusedError
from layers.importing.staging import StagedFile, stage


class FileReadError(ValueError):
    """The file as a whole cannot be imported; the message says why."""


WGS84_A = 6378137.0  # the semi-major axis of WGS 84 and GRS 80: no datum shift needed

# The CSV driver's own options: a WKT column, or longitude/latitude columns.
CSV_OPTIONS = {
    "GEOM_POSSIBLE_NAMES": "wkt,WKT,geometry,geom,the_geom",
    "X_POSSIBLE_NAMES": "lon,longitude,lng,x,Lon,Longitude,X",
    "Y_POSSIBLE_NAMES": "lat,latitude,y,Lat,Latitude,Y",
    "KEEP_GEOM_COLUMNS": "NO",
}


def read_frame(path: Path, srid: int | str | None, name: str = "") -> gpd.GeoDataFrame:
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
            frame = frame.set_crs(coordinate_system(srid), allow_override=True)
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
        _check_datum_shift(frame.crs, name, srid)
        frame = frame.to_crs(epsg=4326)
    return frame


def coordinate_system(given: int | str) -> CRS:
    """--srid as an EPSG code (6385, "EPSG:6385"), a WKT or a PROJ string."""
    text = str(given).strip()
    return CRS.from_user_input(int(text) if text.isdigit() else text)


def _check_datum_shift(crs: CRS, name: str, srid: int | str | None) -> None:
    """Refuse a coordinate system on another ellipsoid that carries no shift to WGS 84.

    An ESRI .prj of SK-63 or of a local system names its datum but gives no TOWGS84; PROJ
    then uses a "ballpark" transformation that ignores the datum, and on the Krassowsky
    ellipsoid the plots land 100–150 m from where they are, without a word."""
    best = TransformerGroup(crs, CRS.from_epsg(4326), always_xy=True).transformers
    ballpark = not best or "Ballpark" in best[0].description
    if not ballpark or crs.ellipsoid is None or crs.ellipsoid.semi_major_metre == WGS84_A:
        return
    given = _("the --srid given") if srid is not None else _("the file's .prj")
    raise FileReadError(
        _("%(name)s: %(given)s (%(crs)s, on the %(ellipsoid)s ellipsoid) carries no datum "
          "shift to WGS 84, so its plots would land up to 150 m from where they are. Give "
          "the coordinate system with its shift: an EPSG code that has one (28407 for "
          "Pulkovo 1942 / Gauss-Kruger zone 7, 5565 for UCS-2000 / Gauss-Kruger zone 7), or "
          "--srid with the WKT or PROJ string and its TOWGS84 (+towgs84=...) parameters.")
        % {"name": name, "given": given, "crs": crs.name, "ellipsoid": crs.ellipsoid.name}
    )  # fmt: skip


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
