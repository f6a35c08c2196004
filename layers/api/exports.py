"""Public downloads of a layer in open formats: /api/v1/layers/<layer>/export.<fmt>, the
file the worker built (geoportal.opendata.downloads) with an ETag."""

from __future__ import annotations

from django.http import HttpResponseBase
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.municipalities.models import Municipality
from geoportal.opendata.downloads import Download, respond
from layers.exporting import FORMATS, download_responses
from layers.kinds import LayerKind
from layers.registry import LAYERS


class LayerExportView(APIView):
    """The public fields of every feature of a layer, in EPSG:4326."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="layers_export",
        parameters=[
            OpenApiParameter("layer", str, OpenApiParameter.PATH, enum=LayerKind.values),
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=sorted(FORMATS)),
            OpenApiParameter("municipality", str, description="Slug of one hromada."),
        ],
        responses={
            **download_responses("GeoPackage, zipped Shapefile, GeoJSON or CSV (UTF-8, WKT)."),
            304: OpenApiResponse(description="Not modified: the client's copy (ETag) is current."),
            404: OpenApiResponse(description="Unknown layer, format or municipality."),
        },
    )
    def get(self, request: Request, layer: str, fmt: str) -> Response | HttpResponseBase:
        if layer not in LAYERS:
            return _not_found("layer", f"{layer!r} is not one of {', '.join(sorted(LAYERS))}.")
        if fmt not in FORMATS:
            return _not_found("fmt", f"{fmt!r} is not one of {', '.join(sorted(FORMATS))}.")
        municipality = None
        slug = request.query_params.get("municipality")
        if slug:
            municipality = Municipality.objects.active().filter(slug=slug).first()
            if municipality is None:
                return _not_found("municipality", f"no municipality {slug!r}.")
        return respond(request, Download(layer, municipality.slug if municipality else ""), fmt)


def _not_found(parameter: str, reason: str) -> Response:
    return Response({"detail": f"{parameter}: {reason}", "parameter": parameter}, status=404)
