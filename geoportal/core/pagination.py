"""Pages of GeoJSON features, described to OpenAPI as what they are."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework_gis.pagination import GeoJsonPagination

from geoportal.core.geojson import positive_param


class GeoPagination(GeoJsonPagination):
    """A FeatureCollection with count, next and previous; `page_size` capped per view."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        # DRF falls back to the default for page_size=-1 or "abc"; the layer lists refuse it.
        return positive_param(request, "page_size", self.page_size, self.max_page_size)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # drf-spectacular hands the list's schema (a FeatureCollection, "XList"); a page
        # holds its features, so the items are the single Feature schema ("X").
        reference = schema.get("$ref", "")
        feature = {"$ref": reference.removesuffix("List")} if reference.endswith("List") else {}
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["type", "count", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "count": {"type": "integer", "example": 123},
                "next": link,
                "previous": link,
                "features": {"type": "array", "items": feature or {"type": "object"}},
            },
        }
