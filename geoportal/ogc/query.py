"""The query parameters of OGC API – Features Part 1: bbox, limit, offset, datetime."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.gis.geos import Polygon
from django.utils import timezone
from django.utils.dateparse import parse_datetime

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000


class QueryError(ValueError):
    """A parameter the client must correct (400), named with the reason."""

    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(f"{parameter}: {reason}")
        self.parameter, self.reason = parameter, reason


@dataclass(frozen=True)
class ItemsQuery:
    bbox: Polygon | None
    limit: int
    offset: int
    start: datetime | None
    end: datetime | None


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


def _bbox(raw: str | None) -> Polygon | None:
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
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise QueryError("bbox", "must lie within -180..180 and -90..90, south ≤ north.")
    if west > east:
        raise QueryError("bbox", "boxes crossing the antimeridian are not supported.")
    return Polygon.from_bbox((west, south, east, north))


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


def parse_items_query(params: Any) -> ItemsQuery:
    start, end = _datetime(params.get("datetime"))
    return ItemsQuery(
        bbox=_bbox(params.get("bbox")),
        limit=_number(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_number(params, "offset", 0, 0, 10**9),
        start=start,
        end=end,
    )
