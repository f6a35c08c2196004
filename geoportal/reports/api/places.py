"""Find a place by typing: coordinates, or an address known to the platform.

For people who cannot use the map. No outside geocoder is called: addresses come from
the hromada's own data (МАФ, advertising structures and public reports) and from its base
map (streets and house numbers of the OpenStreetMap extract, geoportal/basemap/places.py).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.gis.geos import Point
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.basemap.places import base_map_places
from geoportal.municipalities.models import Municipality
from geoportal.reports.models import Report
from layers.models import AdvertisingStructure, TemporaryStructure

# "48.2771, 37.1772", "48.2771 37.1772", "48,2771; 37,1772" (decimal commas), optional N/E.
COORDINATES = re.compile(
    r"^\s*(?P<lat>-?\d{1,2}(?:[.,]\d+)?)\s*°?\s*[NnПп]?\s*[,; ]\s*"
    r"(?P<lon>-?\d{1,3}(?:[.,]\d+)?)\s*°?\s*[EeСс]?\s*$"
)


class PlaceSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    inside = serializers.CharField(allow_null=True, help_text="Slug of the hromada it is in.")


def parse_coordinates(text: str) -> Point | None:
    match = COORDINATES.match(text)
    if not match:
        return None
    lat, lon = (float(match[name].replace(",", ".")) for name in ("lat", "lon"))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Point(lon, lat, srid=4326)


class PlaceSearch(APIView):
    """Places matching the text: the coordinates typed, or known addresses (up to 10)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="Coordinates or an address."),
            OpenApiParameter("municipality", str, description="Slug: search its addresses."),
        ],
        responses={200: PlaceSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        text = request.query_params.get("q", "").strip()[:200]
        if len(text) < 3:
            return Response({"q": ["Type at least 3 characters."]}, status=400)
        point = parse_coordinates(text)
        if point is not None:
            inside = Municipality.objects.containing(point).values_list("slug", flat=True).first()
            return Response([{"name": f"{point.y:.6f}, {point.x:.6f}", "lat": point.y,
                              "lon": point.x, "inside": inside}])  # fmt: skip
        return Response(known_places(text, request.query_params.get("municipality", "")))


def known_places(text: str, slug: str = "", limit: int = 10) -> list[dict[str, Any]]:
    """Addresses containing the text, from the hromada's МАФ, advertising and public reports,
    then streets and houses of its base map."""
    places: dict[str, dict[str, Any]] = {}
    sources: list[Any] = [
        TemporaryStructure.objects.all(),
        AdvertisingStructure.objects.all(),
        Report.objects.public().exclude(address=""),
    ]
    for queryset in sources:
        if slug:
            queryset = queryset.filter(municipality__slug=slug)
        field = "point" if queryset.model is Report else "geometry"
        found = queryset.filter(address__icontains=text).values_list(
            "address", field, "municipality__slug"
        )
        for address, geometry, town in found[:limit]:
            centre = geometry.centroid if geometry.geom_type != "Point" else geometry
            places.setdefault(
                address.lower(), {"name": address, "lat": centre.y, "lon": centre.x, "inside": town}
            )
    for place in base_map_places(text, slug, limit):
        places.setdefault(place["name"].lower(), place)
    return list(places.values())[:limit]


def known_address(text: str, slug: str = "") -> Point | None:
    """The place of the first known address containing the text, or None."""
    found = known_places(text, slug, limit=1)
    return Point(found[0]["lon"], found[0]["lat"], srid=4326) if found else None
