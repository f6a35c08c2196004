"""The OpenAPI 3.0 definition of the OGC API (conformance class oas30)."""

from __future__ import annotations

from typing import Any

PARAMETERS = {
    "bbox": {"name": "bbox", "in": "query", "required": False, "style": "form",
             "explode": False, "description": "minLon,minLat,maxLon,maxLat (CRS84).",
             "schema": {"type": "array", "minItems": 4, "maxItems": 6,
                        "items": {"type": "number"}}},
    "limit": {"name": "limit", "in": "query", "required": False,
              "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}},
    "offset": {"name": "offset", "in": "query", "required": False,
               "schema": {"type": "integer", "minimum": 0, "default": 0}},
    "datetime": {"name": "datetime", "in": "query", "required": False,
                 "description": "An instant or an interval (RFC 3339, '..' open); reports only.",
                 "schema": {"type": "string"}},
    "f": {"name": "f", "in": "query", "required": False,
          "schema": {"type": "string", "enum": ["json", "html"]}},
    "collectionId": {"name": "collectionId", "in": "path", "required": True,
                     "schema": {"type": "string"}},
    "featureId": {"name": "featureId", "in": "path", "required": True,
                  "schema": {"type": "string"}},
}  # fmt: skip


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _get(summary: str, parameters: list[str], kind: str = "application/json") -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": [_ref(name) for name in parameters],
            "responses": {
                "200": {"description": summary, "content": {kind: {"schema": {"type": "object"}}}},
                "400": {"description": "A parameter is wrong; the answer says which and why."},
                "404": {"description": "No such collection or feature."},
            },
        }
    }


def openapi_document(base: str, collection_ids: list[str]) -> dict[str, Any]:
    geojson = "application/geo+json"
    return {
        "openapi": "3.0.3",
        "info": {"title": "Geoportal: OGC API – Features", "version": "1.0.0",
                 "description": f"Collections: {', '.join(collection_ids)}."},
        "servers": [{"url": base}],
        "paths": {
            "/": _get("Landing page", ["f"]),
            "/conformance": _get("Conformance classes", ["f"]),
            "/collections": _get("The collections", ["f"]),
            "/collections/{collectionId}": _get("One collection", ["collectionId", "f"]),
            "/collections/{collectionId}/items": _get(
                "Features of a collection",
                ["collectionId", "bbox", "limit", "offset", "datetime", "f"],
                geojson,
            ),
            "/collections/{collectionId}/items/{featureId}": _get(
                "One feature", ["collectionId", "featureId", "f"], geojson
            ),
        },
        "components": {"parameters": PARAMETERS},
    }  # fmt: skip
