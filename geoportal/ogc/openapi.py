"""The OpenAPI 3.0 definition of the OGC API (conformance class oas30), with the writes of
Part 4 (geoportal/ogc/transactions.py) on the items and an item."""

from __future__ import annotations

from typing import Any

PARAMETERS = {
    "bbox": {"name": "bbox", "in": "query", "required": False, "style": "form",
             "explode": False, "description": "minLon,minLat,maxLon,maxLat in CRS84, or the "
                                              "corners in bbox-crs in its axis order.",
             "schema": {"type": "array", "minItems": 4, "maxItems": 6,
                        "items": {"type": "number"}}},
    "limit": {"name": "limit", "in": "query", "required": False,
              "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}},
    "offset": {"name": "offset", "in": "query", "required": False,
               "schema": {"type": "integer", "minimum": 0, "default": 0}},
    "datetime": {"name": "datetime", "in": "query", "required": False,
                 "description": "An instant or an interval (RFC 3339, '..' open); reports and "
                                "permit applications only.",
                 "schema": {"type": "string"}},
    "crs": {"name": "crs", "in": "query", "required": False,
            "description": "The CRS of the answer's coordinates (OGC API – Features Part 2), "
                           "one of each collection's `crs`; CRS84 by default.",
            "schema": {"type": "string", "format": "uri"}},
    "bbox-crs": {"name": "bbox-crs", "in": "query", "required": False,
                 "description": "The CRS of bbox (Part 2); CRS84 by default.",
                 "schema": {"type": "string", "format": "uri"}},
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


WRITABLE = ["maf", "advertising", "land", "zoning"]
WRITE_HEADERS = {
    "If-Match": {"name": "If-Match", "in": "header", "required": False,
                 "description": "The ETag of the version read: a stale one is refused with "
                                "412 and nothing changes. Without it the write is carried out.",
                 "schema": {"type": "string"}},
    "Content-Crs": {"name": "Content-Crs", "in": "header", "required": False,
                    "description": "The CRS of the geometry sent (an OGC URI, in <...> or not), "
                                   "coordinates in its own axis order; CRS84 when absent.",
                    "schema": {"type": "string"}},
}  # fmt: skip
FEATURE_BODY = {"type": "object", "required": ["type", "geometry", "properties"],
                "properties": {"type": {"type": "string", "enum": ["Feature"]},
                               "geometry": {"type": "object"},
                               "properties": {"type": "object"}}}  # fmt: skip
REFUSALS = {
    "400": {"description": "Not JSON, not a GeoJSON Feature, or an unknown Content-Crs."},
    "401": {"description": "No or wrong credentials: HTTP Basic with the user name and the "
                           "API token as password, or `Authorization: Token <key>`."},
    "403": {"description": "No right to edit this layer, a CSRF failure of a session, or a "
                           "geometry in a hromada the person does not work for."},
    "404": {"description": "No such feature among the person's hromada's."},
    "405": {"description": "The collection is read-only (reports, permit applications)."},
    "412": {"description": "If-Match names a version that is no longer the feature's."},
    "413": {"description": "The body is too large."},
    "415": {"description": "Not application/geo+json (or merge-patch+json for PATCH)."},
    "422": {"description": "A property or the geometry breaks the layer's rules: `errors` "
                           "names each property with the reason; nothing is written."},
}  # fmt: skip


def _body(kind: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {kind: {"schema": schema}}}


def _write(summary: str, answer: dict[str, Any], body: dict[str, Any] | None = None,
           headers: tuple[str, ...] = ()) -> dict[str, Any]:  # fmt: skip
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": [_ref("collectionId")] + [WRITE_HEADERS[h] for h in headers],
        "security": [{"basic": []}, {"token": []}],
        "responses": {**answer, **REFUSALS},
    }
    if body is not None:
        operation["requestBody"] = body
    return operation


def _options(summary: str) -> dict[str, Any]:
    return {"summary": summary, "parameters": [_ref("collectionId")],
            "responses": {"200": {"description": "Allow lists GET, HEAD, OPTIONS and the "
                                                 "writes this person may do here."}}}  # fmt: skip


def writes() -> tuple[dict[str, Any], dict[str, Any]]:
    """The operations Part 4 adds to the items and to an item."""
    created = {"201": {"description": "Created: Location is the new feature's address, ETag "
                                      "its version."}}  # fmt: skip
    changed = {"204": {"description": "Changed: ETag is the new version."}}
    feature = _body("application/geo+json", FEATURE_BODY)
    patch = _body("application/merge-patch+json", {"type": "object", "description":
                  "A JSON merge patch (RFC 7396) of the Feature: properties and/or geometry; "
                  "a null property is emptied."})  # fmt: skip
    item_id = [_ref("featureId")]
    items = {"post": _write(f"Add a feature ({', '.join(WRITABLE)})", created, feature,
                            ("Content-Crs",)),
             "options": _options("What this person may do on the items")}  # fmt: skip
    item = {
        "put": _write("Replace a feature", changed, feature, ("If-Match", "Content-Crs")),
        "patch": _write("Change part of a feature", changed, patch, ("If-Match", "Content-Crs")),
        "delete": _write("Delete a feature", {"204": {"description": "Deleted."}}, None,
                         ("If-Match",)),
        "options": _options("What this person may do on a feature"),
    }  # fmt: skip
    for operation in item.values():
        operation["parameters"] = operation["parameters"] + item_id
    for status in ("404", "412"):  # a new feature has no version to match yet
        items["post"]["responses"].pop(status)
    return items, item


SECURITY_SCHEMES = {
    "basic": {"type": "http", "scheme": "basic",
              "description": "The user name and, as password, the person's API token (never "
                             "the account's password)."},
    "token": {"type": "apiKey", "in": "header", "name": "Authorization",
              "description": "`Token <key>`, the person's API token."},
}  # fmt: skip


def openapi_document(base: str, collection_ids: list[str]) -> dict[str, Any]:
    geojson = "application/geo+json"
    document: dict[str, Any] = {
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
                ["collectionId", "bbox", "bbox-crs", "crs", "limit", "offset", "datetime", "f"],
                geojson,
            ),
            "/collections/{collectionId}/items/{featureId}": _get(
                "One feature", ["collectionId", "featureId", "crs", "f"], geojson
            ),
        },
        "components": {"parameters": PARAMETERS, "securitySchemes": SECURITY_SCHEMES},
    }  # fmt: skip
    items, item = writes()
    document["paths"]["/collections/{collectionId}/items"].update(items)
    document["paths"]["/collections/{collectionId}/items/{featureId}"].update(item)
    return document
