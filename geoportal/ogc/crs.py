"""The coordinate systems the OGC API speaks (Part 2: Coordinate Reference Systems by
Reference): CRS84, the default, and EPSG codes named by their OGC URIs.

Features are stored in EPSG:4326 (longitude, latitude as PostGIS keeps them). A client may
read and write them in any CRS listed here; coordinates then follow that CRS's own axis
order, as Part 2 requires: EPSG:4326 is latitude, longitude, and the Ukrainian TM and
Gauss–Krüger zones are northing, easting (pyproj reads the order from the EPSG database).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pyproj

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_PREFIX = "http://www.opengis.net/def/crs/EPSG/0/"
STORAGE_SRID = 4326
# WGS 84, Web Mercator, UCS-2000 / Ukraine TM zones 7–13 and UCS-2000 / Gauss–Krüger
# zones 4–7: what Ukrainian planners' files and QGIS projects use.
EPSG_CODES = (4326, 3857, *range(6381, 6388), *range(5562, 5566))
_EPSG_URI = re.compile(r"^(?:https?://www\.opengis\.net/def/crs/EPSG/0/|EPSG:)(\d+)$")
_CRS84_NAMES = {CRS84, CRS84.replace("http://", "https://"), "OGC:CRS84", "CRS84"}


class CrsError(ValueError):
    """A CRS the API does not speak; the message names the parameter or header."""


@dataclass(frozen=True)
class Crs:
    uri: str
    srid: int
    northing_first: bool  # the CRS's first axis is latitude or northing: swap x and y

    @property
    def is_storage(self) -> bool:
        """Coordinates as stored: no transformation and no axis swap."""
        return self.srid == STORAGE_SRID and not self.northing_first


DEFAULT = Crs(CRS84, STORAGE_SRID, northing_first=False)


@cache
def _epsg(code: int) -> Crs:
    axes = pyproj.CRS.from_epsg(code).axis_info
    northing_first = bool(axes) and axes[0].direction.lower() == "north"
    return Crs(f"{EPSG_PREFIX}{code}", code, northing_first)


def supported() -> list[str]:
    """The URIs of every CRS the API reads and writes, CRS84 first."""
    return [CRS84, *(_epsg(code).uri for code in EPSG_CODES)]


def parse(value: str | None, where: str) -> Crs:
    """The CRS named by a `crs`/`bbox-crs` parameter or a Content-Crs header (`where`);
    CRS84 when none is named. A Content-Crs header may wrap the URI in <…>."""
    text = (value or "").strip().strip("<>").strip()
    if not text or text in _CRS84_NAMES:
        return DEFAULT
    match = _EPSG_URI.match(text)
    if match and int(match.group(1)) in EPSG_CODES:
        return _epsg(int(match.group(1)))
    raise CrsError(
        f"{where}: {text[:120]!r} is not a CRS this API supports; use one of "
        f"{', '.join(supported())}."
    )


def content_crs_header(crs: Crs) -> str:
    """The Content-Crs header of a response in `crs` (Part 2: the URI in angle brackets)."""
    return f"<{crs.uri}>"
