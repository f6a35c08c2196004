"""The layers as GeoJSON (/api/v1/layers/<layer>/) and what stands at a point (identify)."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Point
from django.db.models import Case, Expression, F, QuerySet, Value, When
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.core.filters import CheckedInBBoxFilter
from geoportal.core.geojson import feature_page
from geoportal.core.pagination import GeoPagination
from layers.api import filters, serializers
from layers.caching import etag, fresh, layer_changed_at, layer_version, today, with_cache_headers
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone
from layers.nearby import within
from layers.public_fields import BUSINESS_CODE_FIELDS, PUBLIC_FIELDS
from layers.registry import LAYERS

IDENTIFY_RADIUS_M = 25
MAX_AGE = 60  # seconds a browser may reuse a page of features without asking


class LayerPagination(GeoPagination):
    page_size = 500
    max_page_size = 1000


def public_properties(layer: str) -> dict[str, str | Expression]:
    """The properties of a layer's features, as the serializers give them (public fields)."""
    found: dict[str, str | Expression] = {"id": "pk", "municipality": "municipality__slug"}
    for name in PUBLIC_FIELDS[layer]:
        # A company's code is public; a person's tax number (10 digits) is not.
        found[name] = (
            Case(When(**{f"{name}__regex": r"^\d{8}$"}, then=F(name)), default=Value(""))
            if name in BUSINESS_CODE_FIELDS
            else name
        )
    if LAYERS[layer].has_permit:
        found["permit_state"] = "permit_state"
    return found


class LayerList(generics.ListAPIView):
    """Features of one layer; `in_bbox` keeps features that cross the box's edge."""

    permission_classes = [AllowAny]
    pagination_class = LayerPagination
    filter_backends = [DjangoFilterBackend, CheckedInBBoxFilter]
    bbox_filter_field = "geometry"
    bbox_filter_include_overlapping = True
    model: Any = None

    layer = ""

    def get_queryset(self) -> QuerySet[Any]:
        return (
            self.model.objects.filter(municipality__is_active=True)
            .select_related("municipality")
            .order_by("pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """The page built by PostgreSQL (geoportal.core.geojson), as the serializer shapes it,
        with an ETag of the layer's version: a cache may keep it until the layer changes."""
        slug = request.query_params.get("municipality", "")
        changed = layer_changed_at(self.layer, slug=slug)
        tag = etag(layer_version(self.layer, slug, changed, today()), request.get_full_path())
        if fresh(request, tag):
            return with_cache_headers(HttpResponse(status=304), tag, changed, MAX_AGE)
        page = feature_page(
            request,
            self.filter_queryset(self.get_queryset()),
            public_properties(self.layer),
            "geometry",
            LayerPagination.page_size,
            LayerPagination.max_page_size,
        )
        return with_cache_headers(page, tag, changed, MAX_AGE)


class PermittedLayerList(LayerList):
    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().with_permit_state()  # type: ignore[attr-defined]


class TemporaryStructureList(PermittedLayerList):
    """Temporary structures (МАФ) with the state of their passport."""

    layer = "maf"
    model = TemporaryStructure
    serializer_class = serializers.TemporaryStructureSerializer
    filterset_class = filters.TemporaryStructureFilter


class AdvertisingStructureList(PermittedLayerList):
    """Advertising structures with the state of their permit."""

    layer = "advertising"
    model = AdvertisingStructure
    serializer_class = serializers.AdvertisingStructureSerializer
    filterset_class = filters.AdvertisingStructureFilter


class LandPlotList(LayerList):
    """Land plots of the cadastre (without the user's or lessee's name)."""

    layer = "land"
    model = LandPlot
    serializer_class = serializers.LandPlotSerializer
    filterset_class = filters.LandPlotFilter


class ZoningZoneList(LayerList):
    """Zoning zones of the city's zoning plan."""

    layer = "zoning"
    model = ZoningZone
    serializer_class = serializers.ZoningZoneSerializer
    filterset_class = filters.ZoningZoneFilter


class UnknownLayer(APIView):
    """Any other layer name: 404 naming the layers there are."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request: Request, layer: str) -> Response:
        choices = ", ".join(sorted(LAYERS))
        return Response(
            {"detail": f"layer: {layer!r} is not one of {choices}.", "parameter": "layer"},
            status=404,
        )


class IdentifyView(generics.GenericAPIView):
    """The plot and zone containing a point, and structures within 25 m of it."""

    permission_classes = [AllowAny]
    serializer_class = serializers.IdentifyResultSerializer

    @extend_schema(parameters=[serializers.IdentifyQuerySerializer])
    def get(self, request: Request) -> Response:
        query = serializers.IdentifyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        point = Point(query.validated_data["lon"], query.validated_data["lat"], srid=4326)
        slug = query.validated_data.get("municipality")

        def scoped(queryset: QuerySet[Any]) -> QuerySet[Any]:
            return queryset.filter(municipality__slug=slug) if slug else queryset

        result = {
            "plot": scoped(LandPlot.objects.filter(geometry__covers=point)).first(),
            "zone": scoped(ZoningZone.objects.filter(geometry__covers=point)).first(),
            "maf": _nearby(scoped(TemporaryStructure.objects.all()), point),
            "advertising": _nearby(scoped(AdvertisingStructure.objects.all()), point),
            "radius_m": IDENTIFY_RADIUS_M,
        }
        return Response(self.get_serializer(result).data)


def _nearby(queryset: QuerySet[Any], point: Point) -> list[Any]:
    """Structures within the radius with their permit state, nearest first."""
    annotated = queryset.with_permit_state()  # type: ignore[attr-defined]
    found = list(within(annotated, "geometry", point, IDENTIFY_RADIUS_M))
    for feature in found:
        feature.distance_m = round(feature.distance.m, 1)
    return found
