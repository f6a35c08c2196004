"""Public downloads of a layer in open formats: /api/v1/layers/<layer>/export.<fmt>."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from django.http import FileResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.municipalities.models import Municipality
from layers.exporting import FORMATS, download_responses, export_layer
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
            404: OpenApiResponse(description="Unknown layer, format or municipality."),
        },
    )
    def get(self, request: Request, layer: str, fmt: str) -> Response | FileResponse:
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
        return download(
            f"{layer}-{slug or 'all'}",
            fmt,
            lambda path: export_layer(layer, path, fmt, municipality),
        )


def download(stem: str, fmt: str, write: Callable[[Path], object]) -> FileResponse:
    """Write a file with `write` into a temporary folder and send it as an attachment."""
    spec = FORMATS[fmt]
    name = f"{stem}{spec.suffix}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        write(path)
        # The open handle keeps the data readable after the folder is removed (POSIX).
        handle = path.open("rb")
    return FileResponse(handle, as_attachment=True, filename=name, content_type=spec.content_type)


def _not_found(parameter: str, reason: str) -> Response:
    return Response({"detail": f"{parameter}: {reason}", "parameter": parameter}, status=404)
