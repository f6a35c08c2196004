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
from geoportal.reports.states import CLOSED_STATES

# A cell is about this many screen pixels wide; with fewer reports in view than
# POINTS_UP_TO (or from POINTS_FROM_ZOOM on), each report is sent as itself.
CELL_PIXELS = 64
POINTS_UP_TO = 400
POINTS_FROM_ZOOM = 17
WEB_MERCATOR_WIDTH_M = 40_075_016.686


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
        reports = self.filter_queryset(self.get_queryset()).filter(point__intersects=box)
        if query.validated_data["hide_closed"]:
            reports = reports.exclude(state__in=CLOSED_STATES)
        total = reports.count()
        if total <= POINTS_UP_TO or zoom >= POINTS_FROM_ZOOM:
            items = [
                {"kind": "report", "id": pk, "lat": point.y, "lon": point.x, "count": 1,
                 "state": state, "title": title, "category": category}
                for pk, point, state, title, category in reports.values_list(
                    "pk", "point", "state", "title", "category__code"
                ).order_by("-created_at")[:2000]
            ]  # fmt: skip
            return Response({"total": total, "clustered": False, "items": items})
        return Response({"total": total, "clustered": True, "items": _cells(reports, zoom)})


def _cells(reports: Any, zoom: int) -> list[dict[str, Any]]:
    """Count the reports per square cell of the Web Mercator grid at this zoom."""
    cell_m = WEB_MERCATOR_WIDTH_M / (256 * 2**zoom) * CELL_PIXELS
    inner, params = reports.values("point", "state").query.sql_with_params()
    sql = f"""
        SELECT count(*), ST_Y(ST_Transform(ST_Centroid(ST_Collect(p)), 4326)),
               ST_X(ST_Transform(ST_Centroid(ST_Collect(p)), 4326)),
               mode() WITHIN GROUP (ORDER BY state)
        FROM (SELECT ST_Transform(r.point, 3857) AS p, r.state FROM ({inner}) AS r) AS m
        GROUP BY ST_SnapToGrid(p, %s)
    """  # noqa: S608 (the inner query is Django's, with its parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, cell_m])
        rows = cursor.fetchall()
    return [
        {"kind": "cluster", "count": count, "lat": lat, "lon": lon, "state": state}
        for count, lat, lon, state in rows
    ]
