"""OGC API – Features, Part 1: Core, with GeoJSON, HTML and an OpenAPI 3.0 definition.

QGIS and GDAL's OAPIF driver read it: `ogrinfo OAPIF:https://<site>/ogc`. Every
collection is in CRS84 (longitude, latitude); items page with `limit`/`offset` and
next links, and filter with `bbox` and, for reports, `datetime`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import wraps
from itertools import islice
from typing import Any
from urllib.parse import urlencode

from django.contrib.gis.db.models import Extent
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from rest_framework.utils.encoders import JSONEncoder

from geoportal.municipalities.models import Municipality
from geoportal.ogc.collections import COLLECTIONS, Collection
from geoportal.ogc.openapi import openapi_document
from geoportal.ogc.query import ItemsQuery, QueryError, parse_items_query

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
# Features serialised at a time when a page of items is sent (limit goes up to 10,000).
FEATURES_PER_CHUNK = 500


def ogc(view: Any) -> Any:
    """GET only; a missing collection or feature is a 404 in the OGC exception format."""

    @require_GET
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404 as missing:
            return problem(404, "NotFound", str(missing))

    return guarded


def wants_html(request: HttpRequest) -> bool:
    asked = request.GET.get("f", "")
    if asked:
        return asked == "html"
    accept = request.headers.get("Accept", "")
    return HTML in accept and JSON not in accept and GEOJSON not in accept


def href(request: HttpRequest, path: str, **query: Any) -> str:
    url = request.build_absolute_uri(f"/ogc{path}")
    wanted = {name: value for name, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(wanted)}" if wanted else url


def link(url: str, rel: str, kind: str, title: str = "") -> dict[str, str]:
    found = {"href": url, "rel": rel, "type": kind}
    if title:
        found["title"] = title
    return found


class NumbersEncoder(JSONEncoder):
    """Decimals (areas, sizes, valuations) as JSON numbers, as the rest of the API sends them."""


def as_json(data: dict[str, Any], kind: str) -> JsonResponse:
    return JsonResponse(
        data, content_type=kind, encoder=NumbersEncoder, json_dumps_params={"ensure_ascii": False}
    )


def problem(status: int, code: str, description: str) -> JsonResponse:
    return JsonResponse({"code": code, "description": description}, status=status)


def answer(request: HttpRequest, data: dict[str, Any], template: str, kind: str = JSON) -> Any:
    if wants_html(request):
        return render(request, f"ogc/{template}", {"data": data})
    return JsonResponse(
        data, content_type=kind, json_dumps_params={"ensure_ascii": False}, encoder=NumbersEncoder
    )


@ogc
def landing(request: HttpRequest) -> HttpResponse:
    data = {
        "title": "Geoportal: OGC API – Features",
        "description": "GIS layers of the hromadas and residents' public reports.",
        "links": [
            link(href(request, "/"), "self", JSON, "This document"),
            link(href(request, "/", f="html"), "alternate", HTML, "This document as HTML"),
            link(href(request, "/api"), "service-desc",
                 "application/vnd.oai.openapi+json;version=3.0", "The API definition"),
            link(href(request, "/conformance"), "conformance", JSON, "Conformance classes"),
            link(href(request, "/collections"), "data", JSON, "The collections"),
        ],
    }  # fmt: skip
    return answer(request, data, "landing.html")


@ogc
def conformance(request: HttpRequest) -> HttpResponse:
    return answer(request, {"conformsTo": CONFORMANCE}, "conformance.html")


def _bounds() -> list[float]:
    """The extent of every active hromada: all the features lie inside."""
    box = Municipality.objects.active().aggregate(box=Extent("boundary"))["box"]
    return [round(n, 6) for n in box] if box else [-180.0, -90.0, 180.0, 90.0]


def describe(request: HttpRequest, collection: Collection, bounds: list[float]) -> dict[str, Any]:
    path = f"/collections/{collection.id}"
    extent: dict[str, Any] = {"spatial": {"bbox": [bounds], "crs": CRS84}}
    if collection.temporal_field:
        extent["temporal"] = {"interval": [[None, None]]}
    return {
        "id": collection.id,
        "title": str(collection.title),
        "description": str(collection.description),
        "itemType": "feature",
        "crs": [CRS84],
        "extent": extent,
        "links": [
            link(href(request, path), "self", JSON, str(collection.title)),
            link(href(request, path, f="html"), "alternate", HTML),
            link(href(request, f"{path}/items"), "items", GEOJSON, "The features"),
            link(href(request, f"{path}/items", f="html"), "items", HTML, "The features"),
        ],
    }


@ogc
def collections(request: HttpRequest) -> HttpResponse:
    bounds = _bounds()
    data = {
        "links": [
            link(href(request, "/collections"), "self", JSON),
            link(href(request, "/collections", f="html"), "alternate", HTML),
        ],
        "collections": [describe(request, c, bounds) for c in COLLECTIONS.values()],
    }
    return answer(request, data, "collections.html")


def _collection(collection_id: str) -> Collection:
    if collection_id not in COLLECTIONS:
        raise Http404(f"No collection {collection_id!r}; see /ogc/collections.")
    return COLLECTIONS[collection_id]


@ogc
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    found = _collection(collection_id)
    return answer(request, describe(request, found, _bounds()), "collection.html")


def _features(collection: Collection, records: Any) -> list[dict[str, Any]]:
    """Each record as a GeoJSON feature, by one serializer for them all. A serializer and
    its fields point at each other, a cycle only the garbage collector frees: one made
    per chunk would keep its records and features alive well after they were sent."""
    serializer = collection.serializer()
    return [dict(serializer.to_representation(record)) for record in records]


def _links(request: HttpRequest, found: Collection, query: ItemsQuery, returned: int,
           matched: int) -> list[dict[str, str]]:  # fmt: skip
    path = f"/collections/{found.id}/items"
    kept = {name: request.GET.get(name) for name in ("bbox", "datetime")}
    links = [
        link(href(request, path, limit=query.limit, offset=query.offset, **kept), "self", GEOJSON),
        link(href(request, path, f="html", limit=query.limit, offset=query.offset, **kept),
             "alternate", HTML),
        link(href(request, f"/collections/{found.id}"), "collection", JSON),
    ]  # fmt: skip
    if query.offset + returned < matched:
        following = href(
            request, path, limit=query.limit, offset=query.offset + query.limit, **kept
        )
        links.append(link(following, "next", GEOJSON, "Next page"))
    if query.offset > 0:
        before = href(request, path, limit=query.limit,
                      offset=max(query.offset - query.limit, 0), **kept)  # fmt: skip
        links.append(link(before, "prev", GEOJSON, "Previous page"))
    return links


def _feature_chunks(found: Collection, page: QuerySet[Any]) -> Iterator[list[dict[str, Any]]]:
    """The page's features, FEATURES_PER_CHUNK at a time from a server-side cursor."""
    rows = page.iterator(chunk_size=FEATURES_PER_CHUNK)
    serializer = found.serializer()
    while batch := list(islice(rows, FEATURES_PER_CHUNK)):
        yield [dict(serializer.to_representation(record)) for record in batch]


def _collection_text(request: HttpRequest, found: Collection, query: ItemsQuery,
                     page: QuerySet[Any], matched: int) -> Iterator[bytes]:  # fmt: skip
    """The FeatureCollection as JSON text, a chunk of features at a time: a page of 10,000
    plots is never held whole, as objects or as one string. The counts and links that
    depend on what was sent come after the features."""
    encoder = NumbersEncoder(ensure_ascii=False)
    yield b'{"type": "FeatureCollection", "features": ['
    returned = 0
    for features in _feature_chunks(found, page):
        text = ", ".join(encoder.encode(feature) for feature in features)
        yield (", " + text if returned else text).encode()
        returned += len(features)
    tail = {
        "numberMatched": matched,
        "numberReturned": returned,
        "timeStamp": timezone.now().isoformat(timespec="seconds"),
        "links": _links(request, found, query, returned, matched),
    }
    yield ("], " + encoder.encode(tail)[1:]).encode()


@ogc
def items(request: HttpRequest, collection_id: str) -> HttpResponse | StreamingHttpResponse:
    found = _collection(collection_id)
    try:
        query = parse_items_query(request.GET)
    except QueryError as exc:
        return problem(400, "InvalidParameterValue", str(exc))
    records = found.items()
    if query.bbox is not None:
        records = records.filter(**{f"{found.geometry_field}__intersects": query.bbox})
    if found.temporal_field and query.start is not None:
        records = records.filter(**{f"{found.temporal_field}__gte": query.start})
    if found.temporal_field and query.end is not None:
        records = records.filter(**{f"{found.temporal_field}__lte": query.end})
    matched = records.count()
    page = records.order_by("pk")[query.offset : query.offset + query.limit]
    if wants_html(request):  # a list of links to the features: their numbers are enough
        ids = list(page.values_list("pk", flat=True))
        data = {
            "features": [{"id": pk} for pk in ids],
            "numberMatched": matched,
            "numberReturned": len(ids),
            "links": _links(request, found, query, len(ids), matched),
        }
        return render(request, "ogc/items.html", {"data": data, "collection": found})
    return StreamingHttpResponse(
        _collection_text(request, found, query, page, matched), content_type=GEOJSON
    )


@ogc
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    found = _collection(collection_id)
    record = found.items().filter(pk=feature_id).first() if feature_id.isdigit() else None
    if record is None:
        raise Http404(f"No feature {feature_id!r} in {found.id}.")
    feature = _features(found, [record])[0]
    path = f"/collections/{found.id}/items/{feature_id}"
    feature["links"] = [
        link(href(request, path), "self", GEOJSON),
        link(href(request, path, f="html"), "alternate", HTML),
        link(href(request, f"/collections/{found.id}"), "collection", JSON),
    ]
    if wants_html(request):
        return render(request, "ogc/item.html", {"data": feature, "collection": found})
    return JsonResponse(
        feature,
        content_type=GEOJSON,
        json_dumps_params={"ensure_ascii": False},
        encoder=NumbersEncoder,
    )


@ogc
def api(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        openapi_document(request.build_absolute_uri("/ogc"), list(COLLECTIONS)),
        content_type="application/vnd.oai.openapi+json;version=3.0",
    )
