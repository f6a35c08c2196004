"""What lies within some metres of a point, measured on the ground.

A disc built in the point's UCS-2000 TM zone narrows the search through the GiST
index; the spheroid distance then decides. Never metres turned into degrees.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import GEOSGeometry, Point
from django.contrib.gis.measure import D
from django.db.models import Model, QuerySet

from layers.geometry import metric_srid, reprojected

M = TypeVar("M", bound=Model)


def disc(point: Point, metres: float) -> GEOSGeometry:
    """A disc of `metres` around the point (1 % wider, so the distance test decides)."""
    local = reprojected(point, metric_srid(point.x))
    return reprojected(local.buffer(metres * 1.01, quadsegs=16), 4326)


def within(queryset: QuerySet[M], field: str, point: Point, metres: float) -> QuerySet[M]:
    """Rows whose `field` lies within `metres` of the point, nearest first, annotated with
    `distance` (a Distance object; `.m` gives metres)."""
    found = (
        queryset.filter(**{f"{field}__intersects": disc(point, metres)})
        .annotate(distance=Distance(field, point))
        .filter(distance__lte=D(m=metres))
        .order_by("distance")
    )
    return cast("QuerySet[M]", found)


def nearest(queryset: QuerySet[Any], field: str, point: Point, metres: float) -> Any | None:
    """The nearest row within `metres`, with `distance_m` rounded to decimetres, or None."""
    found = within(queryset, field, point, metres).first()
    if found is not None:
        found.distance_m = round(found.distance.m, 1)
    return found
