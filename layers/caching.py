"""HTTP caching of layer data (tiles and GeoJSON): an ETag made of the layer's version, so
nginx, a CDN or a browser may keep a copy and revalidate it; any edit or import of the
layer (LayerPassport.touch) changes the version and so every ETag of that layer."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any, TypeVar

from django.db.models import Max
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.http import http_date, quote_etag

from layers.models import LayerPassport


def layer_changed_at(
    layer: str, municipality_id: int | None = None, *, slug: str = ""
) -> datetime | None:
    """When the layer last changed (edits and imports touch its passport), in one hromada
    (by id or slug) or in all."""
    passports = LayerPassport.objects.filter(layer=layer)
    if municipality_id is not None:
        passports = passports.filter(municipality_id=municipality_id)
    elif slug:
        passports = passports.filter(municipality__slug=slug)
    return passports.aggregate(latest=Max("last_updated_at"))["latest"]


def layer_version(layer: str, scope: str, changed: datetime | None, today: date) -> str:
    # Permit states move with the date, so the date is part of the version.
    return f"{layer}:{scope or '*'}:{changed.isoformat() if changed else '-'}:{today}"


def etag(*parts: Any) -> str:
    return quote_etag(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:32])


def fresh(request: HttpRequest, tag: str) -> bool:
    """The client's copy (If-None-Match) is still this version."""
    return tag in request.headers.get("If-None-Match", "")


Response = TypeVar("Response", bound=HttpResponseBase)


def with_cache_headers(
    response: Response, tag: str, changed: datetime | None, max_age: int
) -> Response:
    response["ETag"] = tag
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"
    if changed:
        response["Last-Modified"] = http_date(changed.timestamp())
    return response


def today() -> date:
    return timezone.localdate()
