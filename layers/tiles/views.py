"""Vector tiles of the layers, made by PostGIS and cached until the layer changes."""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.cache import cache
from django.db import connections, router
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from geoportal.municipalities.models import Municipality
from layers.caching import etag, fresh, layer_changed_at, layer_version, with_cache_headers
from layers.models import LayerPassport
from layers.tiles.sql import BUFFER, EXTENT, TILE_LAYERS, tile_sql, tile_tolerance

MAX_ZOOM = 22
MAX_AGE = 300  # seconds a browser may reuse a tile without asking


@require_GET
def tile(request: HttpRequest, layer: str, z: int, x: int, y: int) -> HttpResponse:
    if layer not in TILE_LAYERS:
        return _error(404, "layer", f"{layer!r} is not one of {', '.join(sorted(TILE_LAYERS))}.")
    if not 0 <= z <= MAX_ZOOM:
        return _error(400, "z", f"must be between 0 and {MAX_ZOOM}.")
    if not (0 <= x < 2**z and 0 <= y < 2**z):
        return _error(400, "x/y", f"must be between 0 and {2**z - 1} at zoom {z}.")
    municipality = None
    slug = request.GET.get("municipality")
    if slug:
        municipality = Municipality.objects.filter(slug=slug, is_active=True).first()
        if municipality is None:
            return _error(404, "municipality", f"no municipality {slug!r}.")

    changed = layer_changed_at(layer, municipality.pk if municipality else None)
    today = timezone.localdate()
    version = layer_version(layer, slug or "", changed, today)
    tag = etag(version, f"{z}/{x}/{y}")
    if fresh(request, tag):
        return with_cache_headers(HttpResponse(status=304), tag, changed, MAX_AGE)

    key = "tile:" + hashlib.sha256(f"{version}:{z}/{x}/{y}".encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = _render(layer, z, x, y, municipality, today)
        cache.set(key, body)
    response = (
        HttpResponse(body, content_type="application/vnd.mapbox-vector-tile")
        if body
        else HttpResponse(status=204)
    )
    return with_cache_headers(response, tag, changed, MAX_AGE)


def _render(
    layer: str, z: int, x: int, y: int, municipality: Municipality | None, today: date
) -> bytes:
    params: dict[str, int | float | str | date | None] = {
        "z": z,
        "x": x,
        "y": y,
        "layer": layer,
        "tolerance": tile_tolerance(z),
        "margin": BUFFER / EXTENT,
        "today": today,
        "municipality": municipality.pk if municipality else None,
    }
    # The replica for anonymous requests when one is configured (geoportal.core.routers).
    with connections[router.db_for_read(LayerPassport)].cursor() as cursor:
        cursor.execute(tile_sql(layer, municipality is not None), params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] else b""


def _error(status: int, parameter: str, reason: str) -> JsonResponse:
    return JsonResponse({"detail": f"{parameter}: {reason}", "parameter": parameter}, status=status)
