"""The file formats a layer import accepts, and the GDAL driver that must read each.

A file is read only by the driver its suffix names. GDAL itself picks a driver by
content, and many drivers claim text that merely contains their marker: a CSV or
GeoJSON with `<OGRVRTDataSource` in one cell opens as a VRT, which reads other files
and URLs. So CSV and GeoJSON are opened with the driver's prefix (`CSV:`, `GeoJSON:`),
which leaves GDAL no choice, and every format's driver is checked again after opening.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Format:
    name: str  # for people, in messages
    suffixes: tuple[str, ...]
    drivers: frozenset[str]  # GDAL's short names that may read it
    prefix: str = ""  # forces GDAL's driver, where the driver has such a prefix
    signature: bytes = b""  # the first bytes of every such file
    side_files: tuple[str, ...] = ()  # files beside it that its driver reads
    text: bool = False  # scanned as text for references


GEOPACKAGE = Format("GeoPackage", (".gpkg",), frozenset({"GPKG"}), signature=b"SQLite format 3\x00")
GEOJSON = Format(
    "GeoJSON", (".geojson", ".json"), frozenset({"GeoJSON"}), prefix="GeoJSON:", text=True
)
KML = Format("KML", (".kml",), frozenset({"LIBKML", "KML"}), text=True)
CSV = Format(
    "CSV", (".csv",), frozenset({"CSV"}), prefix="CSV:", side_files=(".csvt", ".prj"), text=True
)
FLATGEOBUF = Format("FlatGeobuf", (".fgb",), frozenset({"FlatGeobuf"}), signature=b"fgb\x03fgb")
SHAPEFILE = Format(
    "Shapefile",
    (".shp",),
    frozenset({"ESRI Shapefile"}),
    signature=b"\x00\x00\x27\x0a",  # file code 9994, big-endian
    side_files=(".shx", ".dbf", ".prj", ".cpg"),
)

FORMATS = (GEOPACKAGE, GEOJSON, KML, CSV, FLATGEOBUF, SHAPEFILE)
BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}

# What a person may upload: any format but a bare Shapefile (it needs its side files,
# so it comes zipped), or a ZIP holding one dataset.
UPLOAD_SUFFIXES = (".gpkg", ".geojson", ".json", ".kml", ".csv", ".fgb", ".zip")

# Inside a ZIP: files that point at other files or are archives themselves are refused
# by name (GDAL would follow or unpack them); anything else that is neither a dataset
# nor its side file (a readme, a PDF, .shp.xml metadata) is left unread.
REFUSED_IN_ARCHIVE = {
    ".vrt": _("a GDAL virtual format (VRT), which reads other files and addresses"),
    ".ovf": _("a GDAL virtual format, which reads other files"),
    ".zip": _("an archive inside the archive"),
    ".kmz": _("an archive inside the archive"),
    ".gz": _("an archive inside the archive"),
    ".tar": _("an archive inside the archive"),
    ".7z": _("an archive inside the archive"),
    ".rar": _("an archive inside the archive"),
}
