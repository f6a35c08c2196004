"""Base vector tiles: /tiles/base/<z>/<x>/<y>.mvt, public, cached until the next import."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import connections, router
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from geoportal.basemap.models import BaseFeature, BasemapImport
from geoportal.basemap.tiles import MIN_TILE_ZOOM, resolution, shown, tile_sql
from layers.caching import etag, fresh, with_cache_headers
from layers.tiles.sql import BUFFER, EXTENT, tile_tolerance

MAX_ZOOM = 22
MAX_AGE = 3600  # the base map changes only with an import


@require_GET
def base_tile(request: HttpRequest, z: int, x: int, y: int) -> HttpResponse:
    if not 0 <= z <= MAX_ZOOM:
        return _error("z", f"must be between 0 and {MAX_ZOOM}.")
    if not (0 <= x < 2**z and 0 <= y < 2**z):
        return _error("x/y", f"must be between 0 and {2**z - 1} at zoom {z}.")
    latest = BasemapImport.objects.order_by("-pk").values_list("pk", "imported_at").first()
    version, changed = latest if latest else (0, None)
    tag = etag("base", version, f"{z}/{x}/{y}")
    if fresh(request, tag):
        return with_cache_headers(HttpResponse(status=304), tag, changed, MAX_AGE)
    key = "basetile:" + hashlib.sha256(f"{version}:{z}/{x}/{y}".encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = _render(z, x, y) if z >= MIN_TILE_ZOOM and latest else b""
        cache.set(key, body)
    response = (
        HttpResponse(body, content_type="application/vnd.mapbox-vector-tile")
        if body
        else HttpResponse(status=204)
    )
    return with_cache_headers(response, tag, changed, MAX_AGE)


def _render(z: int, x: int, y: int) -> bytes:
    params: dict[str, int | float | list[str]] = {
        "z": z, "x": x, "y": y, "tolerance": tile_tolerance(z), "margin": BUFFER / EXTENT,
        "resolution": resolution(z), **shown(z),
    }  # fmt: skip
    # The replica for anonymous requests when one is configured (geoportal.core.routers).
    with connections[router.db_for_read(BaseFeature)].cursor() as cursor:
        cursor.execute(tile_sql(z), params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] else b""


def _error(parameter: str, reason: str) -> JsonResponse:
    return JsonResponse({"detail": f"{parameter}: {reason}", "parameter": parameter}, status=400)
