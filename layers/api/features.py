"""Layer features as GeoJSON and the identify query (to be built)."""

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class LayerFeatureList(APIView):
    def get(self, request: Request, layer: str) -> Response:
        return Response({"detail": "not built yet"}, status=501)


class IdentifyView(APIView):
    def get(self, request: Request) -> Response:
        return Response({"detail": "not built yet"}, status=501)
