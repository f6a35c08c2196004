"""Public downloads of a layer in open formats (to be built)."""

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class LayerExportView(APIView):
    def get(self, request: Request, layer: str, fmt: str) -> Response:
        return Response({"detail": "not built yet"}, status=501)
