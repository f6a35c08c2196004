"""Vector tiles of the layers, made by PostGIS and cached until the layer changes.

The cache is "tiles" (geoportal.core.filecache.BytesFileCache): a tile is kept as the bytes
it is sent as, written after the answer is sent. A request reads the hromada and the
layer's version in one statement (layers/tiles/version.py), then the cache, and only on a
miss the layer table."""

from __future__ import annotations

import hashlib
import logging
from datetime import date

from django.core.cache import caches
from django.db import connections, router
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from layers.caching import etag, fresh, layer_version, with_cache_headers
from layers.models import LayerPassport
from layers.tiles.sql import BUFFER, EXTENT, TILE_LAYERS, tile_sql, tile_tolerance
from layers.tiles.version import tile_scope

logger = logging.getLogger(__name__)

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
    slug = request.GET.get("municipality", "")
    scope = tile_scope(layer, slug)
    if scope is None:
        return _error(404, "municipality", f"no municipality {slug!r}.")
    changed = scope.changed
    today = timezone.localdate()
    version = layer_version(layer, slug, changed, today)
    tag = etag(version, f"{z}/{x}/{y}")
    if fresh(request, tag):
        return with_cache_headers(HttpResponse(status=304), tag, changed, MAX_AGE)

    key = "tile:" + hashlib.sha256(f"{version}:{z}/{x}/{y}".encode()).hexdigest()
    body = caches["tiles"].get(key)
    if body is not None:
        return with_cache_headers(TileResponse(body), tag, changed, MAX_AGE)
    body = _render(layer, z, x, y, scope.municipality_id, today)
    return with_cache_headers(TileResponse(body, keep_as=key), tag, changed, MAX_AGE)


class TileResponse(HttpResponse):
    """A tile (204 when it is empty) that, when made afresh, goes into the cache once it has
    been sent: the server calls close() after writing the body (gunicorn's workers and
    Django's ASGI handler alike), so the client does not wait for the file to be written."""

    def __init__(self, body: bytes, keep_as: str = "") -> None:
        if body:
            super().__init__(body, content_type="application/vnd.mapbox-vector-tile")
        else:
            super().__init__(status=204)
        self.keep = (keep_as, body)

    def close(self) -> None:
        key, body = self.keep
        self.keep = ("", b"")  # once, even if close() is called again
        try:
            if key:
                caches["tiles"].set(key, body)
        except OSError:  # a full or read-only disk: the next request makes the tile again
            logger.warning("Could not keep tile %s in the cache.", key, exc_info=True)
        finally:
            super().close()


def _render(layer: str, z: int, x: int, y: int, municipality: int | None, today: date) -> bytes:
    params: dict[str, int | float | str | date | None] = {
        "z": z,
        "x": x,
        "y": y,
        "layer": layer,
        "tolerance": tile_tolerance(z),
        "margin": BUFFER / EXTENT,
        "today": today,
        "municipality": municipality,
    }
    # The replica for anonymous requests when one is configured (geoportal.core.routers).
    with connections[router.db_for_read(LayerPassport)].cursor() as cursor:
        cursor.execute(tile_sql(layer, municipality is not None), params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] else b""


def _error(status: int, parameter: str, reason: str) -> JsonResponse:
    return JsonResponse({"detail": f"{parameter}: {reason}", "parameter": parameter}, status=status)
