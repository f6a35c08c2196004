"""The applications under review as GeoJSON, for the public map's layer and anyone else:
the register's public fields only (geoportal.permits.register)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from geoportal.municipalities.models import Municipality
from geoportal.permits.register import feature_collection, under_review
from geoportal.residents.feeds import BoxError, parse_bbox

# Applications under review at once in a hromada are counted in tens; the newest this many
# are sent, whatever is asked.
MAX_FEATURES = 2000
MAX_AGE_SECONDS = 60


@require_GET
def under_review_geojson(request: HttpRequest) -> HttpResponse:
    """`?municipality=<slug>` (every hromada when left out), `?bbox=west,south,east,north`
    (a bad box is a 400 naming bbox); labels in the request's language."""
    applications = under_review()
    if slug := request.GET.get("municipality"):
        municipality = get_object_or_404(Municipality.objects.active(), slug=slug)
        applications = applications.filter(municipality=municipality)
    if "bbox" in request.GET:
        try:
            box = parse_bbox(request.GET["bbox"])
        except BoxError as exc:
            return HttpResponse(f"{exc}\n", status=400, content_type="text/plain; charset=utf-8")
        applications = applications.filter(site__intersects=box)
    newest = applications.order_by("-registered_at", "-pk")[:MAX_FEATURES]
    response = HttpResponse(
        json.dumps(feature_collection(newest), ensure_ascii=False),
        content_type="application/geo+json",
    )
    patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
    patch_vary_headers(response, ["Accept-Language"])
    return response
