"""The query parameters of OGC API – Features: bbox, limit, offset, datetime (Part 1),
crs and bbox-crs (Part 2)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import shapely
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from geoportal.ogc import crs as crs_
from geoportal.ogc.crs import Crs, CrsError

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
MAX_PROJECTED = 1e8  # metres: far beyond any coordinate of the projected CRSs listed


class QueryError(ValueError):
    """A parameter the client must correct (400), named with the reason."""

    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(f"{parameter}: {reason}")
        self.parameter, self.reason = parameter, reason


@dataclass(frozen=True)
class ItemsQuery:
    bbox: Polygon | None  # in the storage CRS (EPSG:4326)
    limit: int
    offset: int
    start: datetime | None
    end: datetime | None
    crs: Crs = crs_.DEFAULT  # the CRS of the features' coordinates in the answer


def _number(params: Any, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(name, "must be a whole number.") from None
    if not low <= value <= high:
        raise QueryError(name, f"must be between {low} and {high}.")
    return value


def _bbox(raw: str | None, crs: Crs) -> Polygon | None:
    """The box in the storage CRS. In CRS84 it is minLon,minLat,maxLon,maxLat; in another
    CRS (bbox-crs) its corners follow that CRS's axis order, and the box is transformed
    with its edges densified, as a box's straight edges bend in another projection."""
    if not raw:
        return None
    try:
        numbers = [float(part) for part in raw.split(",")]
    except ValueError:
        raise QueryError("bbox", "give minLon,minLat,maxLon,maxLat as numbers.") from None
    if len(numbers) == 6:  # with heights: drop them
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise QueryError("bbox", "give four finite numbers: minLon,minLat,maxLon,maxLat.")
    if crs.northing_first:  # minLat,minLon,maxLat,maxLon or minN,minE,maxN,maxE
        numbers = [numbers[1], numbers[0], numbers[3], numbers[2]]
    west, south, east, north = numbers
    geographic = crs.srid == crs_.STORAGE_SRID
    if geographic and not (-180 <= west <= 180 and -180 <= east <= 180
                           and -90 <= south <= north <= 90):  # fmt: skip
        raise QueryError("bbox", "must lie within -180..180 and -90..90, south ≤ north.")
    if south > north:
        raise QueryError("bbox", "the lower corner is above the upper one.")
    if west > east:
        raise QueryError("bbox", "boxes crossing the antimeridian are not supported.")
    if geographic:
        return Polygon.from_bbox((west, south, east, north))
    if max(abs(n) for n in numbers) > MAX_PROJECTED:  # PROJ spins for minutes on 1e30
        raise QueryError("bbox", "coordinates beyond ±100,000 km are not on the Earth.")
    step = max(east - west, north - south) / 32 or 1.0  # a box of no size: its corner
    edges = shapely.segmentize(shapely.box(west, south, east, north), step)
    box = GEOSGeometry(memoryview(shapely.to_wkb(edges)), srid=crs.srid)
    try:
        box.transform(crs_.STORAGE_SRID)
    except Exception:  # GDAL's error for a box beyond the projection's domain
        raise QueryError("bbox", "lies outside the area where bbox-crs is defined.") from None
    if not isinstance(box, Polygon) or not box.valid:
        raise QueryError("bbox", "lies outside the area where bbox-crs is defined.")
    return box


def _instant(raw: str) -> datetime | None:
    if raw in ("", ".."):
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:  # well formed but no such day or hour (2026-02-30)
        moment = None
    if moment is None:
        raise QueryError("datetime", f"{raw!r} is not an RFC 3339 date-time.")
    return timezone.make_aware(moment, UTC) if timezone.is_naive(moment) else moment


def _datetime(raw: str | None) -> tuple[datetime | None, datetime | None]:
    if not raw:
        return None, None
    if "/" in raw:
        first, _slash, last = raw.partition("/")
        start, end = _instant(first), _instant(last)
        if start and end and start > end:
            raise QueryError("datetime", "the start is after the end.")
        return start, end
    moment = _instant(raw)
    return moment, moment


def output_crs(params: Any) -> Crs:
    """The `crs` parameter: the CRS the answer's coordinates are in (CRS84 by default)."""
    try:
        return crs_.parse(params.get("crs"), "crs")
    except CrsError as exc:
        raise QueryError("crs", str(exc).removeprefix("crs: ")) from None


def parse_items_query(params: Any) -> ItemsQuery:
    start, end = _datetime(params.get("datetime"))
    try:
        bbox_crs = crs_.parse(params.get("bbox-crs"), "bbox-crs")
    except CrsError as exc:
        raise QueryError("bbox-crs", str(exc).removeprefix("bbox-crs: ")) from None
    return ItemsQuery(
        bbox=_bbox(params.get("bbox"), bbox_crs),
        limit=_number(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_number(params, "offset", 0, 0, 10**9),
        start=start,
        end=end,
        crs=output_crs(params),
    )
