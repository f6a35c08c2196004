"""Reports for the map at any scale: counted per grid cell by PostGIS when there are many,
as single points when few are in view. The browser never gets 200,000 markers."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.gis.geos import Polygon
from django.db import connection
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from geoportal.reports.api.filters import ReportFilter
from geoportal.reports.models import Report
from geoportal.reports.models.data import MAP_WORLD
from geoportal.reports.states import CLOSED_STATES

# A cell is about this many screen pixels wide; with fewer reports in view than
# POINTS_UP_TO (or from POINTS_FROM_ZOOM on), each report is sent as itself.
CELL_PIXELS = 64
POINTS_UP_TO = 400
POINTS_FROM_ZOOM = 17


class MapQuery(serializers.Serializer[Any]):
    bbox = serializers.CharField(help_text="west,south,east,north in degrees (WGS 84).")
    zoom = serializers.IntegerField(min_value=0, max_value=22)
    hide_closed = serializers.BooleanField(
        default=False, help_text="Leave out resolved and other closed reports."
    )

    def validate_bbox(self, value: str) -> Polygon:
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise serializers.ValidationError("Give four numbers: west,south,east,north.") from None
        numbers = (west, south, east, north)
        if not all(math.isfinite(n) for n in numbers):
            raise serializers.ValidationError("Give finite numbers.")
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise serializers.ValidationError(
                "Must be west < east within ±180 and south < north within ±90."
            )
        return Polygon.from_bbox(numbers)


class MapItemSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["report", "cluster"])
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    count = serializers.IntegerField()
    state = serializers.CharField(help_text="The report's state, or the commonest in the cell.")
    id = serializers.IntegerField(required=False)
    title = serializers.CharField(required=False)
    category = serializers.CharField(required=False)


class MapSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    clustered = serializers.BooleanField()
    items = MapItemSerializer(many=True)


class ReportMapView(generics.GenericAPIView[Report]):
    """Public reports in a box: clusters (count, centre, commonest state) or single reports."""

    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReportFilter
    serializer_class = MapSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        if "state" in self.request.query_params:
            return Report.objects.public_listing()
        return Report.objects.public()

    @extend_schema(parameters=[MapQuery], responses={200: MapSerializer})
    def get(self, request: Request) -> Response:
        query = MapQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        box, zoom = query.validated_data["bbox"], query.validated_data["zoom"]
        reports = in_pixels(self.filter_queryset(self.get_queryset()), box)
        if query.validated_data["hide_closed"]:
            reports = reports.exclude(state__in=CLOSED_STATES)
        # A probe of one row more than the points limit says which answer to give without
        # counting (or sorting) every report in view.
        probe = list(
            reports.order_by().values_list("pk", "point", "state", "title", "category__code")[
                : (2000 if zoom >= POINTS_FROM_ZOOM else POINTS_UP_TO + 1)
            ]
        )
        if len(probe) <= POINTS_UP_TO or zoom >= POINTS_FROM_ZOOM:
            items = [
                {"kind": "report", "id": pk, "lat": point.y, "lon": point.x, "count": 1,
                 "state": state, "title": title, "category": category}
                for pk, point, state, title, category in sorted(probe, key=lambda r: -r[0])
            ]  # fmt: skip
            total = len(items) if len(probe) <= POINTS_UP_TO else reports.count()
            return Response({"total": total, "clustered": False, "items": items})
        cells = _cells(reports, zoom)
        total = sum(cell["count"] for cell in cells)
        return Response({"total": total, "clustered": True, "items": cells})


def to_pixel(lat: float, lon: float) -> tuple[int, int]:
    """The Web Mercator pixel at zoom 20 (the report's map_x, map_y)."""
    x = (lon + 180) / 360 * MAP_WORLD
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * MAP_WORLD
    return int(x), int(y)


def from_pixel(x: float, y: float) -> tuple[float, float]:
    lon = x / MAP_WORLD * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / MAP_WORLD))))
    return lat, lon


def in_pixels(reports: Any, box: Polygon) -> Any:
    """The reports in the box, selected by their stored pixel (index report_map_grid)."""
    west, south, east, north = box.extent
    left, top = to_pixel(min(north, 85.0), west)
    right, bottom = to_pixel(max(south, -85.0), east)
    return reports.filter(map_x__range=(left, right), map_y__range=(top, bottom))


def _cells(reports: Any, zoom: int) -> list[dict[str, Any]]:
    """Count the reports per cell of CELL_PIXELS screen pixels at this zoom: an integer
    shift of the stored zoom-20 pixel (a cell is 2^(26 - zoom) of them)."""
    shift = 20 - zoom + int(math.log2(CELL_PIXELS))
    inner, params = reports.order_by().values("map_x", "map_y", "state").query.sql_with_params()
    sql = f"""
        SELECT r.map_x >> %s AS cx, r.map_y >> %s AS cy, r.state, count(*),
               avg(r.map_x), avg(r.map_y)
        FROM ({inner}) AS r GROUP BY 1, 2, 3
    """  # noqa: S608 (the inner query is Django's, with its parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [shift, shift, *params])
        rows = cursor.fetchall()
    merged: dict[tuple[int, int], dict[str, Any]] = {}
    for cx, cy, state, count, x, y in rows:
        cell = merged.setdefault((cx, cy), {"count": 0, "x": 0.0, "y": 0.0, "states": {}})
        cell["count"] += count
        cell["x"] += float(x) * count
        cell["y"] += float(y) * count
        cell["states"][state] = count
    found = []
    for cell in merged.values():
        lat, lon = from_pixel(cell["x"] / cell["count"], cell["y"] / cell["count"])
        found.append({"kind": "cluster", "count": cell["count"], "lat": lat, "lon": lon,
                      "state": max(cell["states"], key=cell["states"].get)})  # fmt: skip
    return found
