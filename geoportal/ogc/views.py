"""OGC API – Features, Part 1: Core, with GeoJSON, HTML and an OpenAPI 3.0 definition.

QGIS and GDAL's OAPIF driver read it: `ogrinfo OAPIF:https://<site>/ogc`. Every
collection is in CRS84 (longitude, latitude); items page with `limit`/`offset` and
next links, and filter with `bbox` and, for reports and permit applications, `datetime`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import wraps
from itertools import islice
from typing import Any
from urllib.parse import urlencode

import shapely
from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from rest_framework.utils.encoders import JSONEncoder

from geoportal.municipalities.models import Municipality
from geoportal.ogc import conformance as conformance_classes
from geoportal.ogc import crs as crs_
from geoportal.ogc.collections import COLLECTIONS, Collection
from geoportal.ogc.crs import Crs
from geoportal.ogc.openapi import openapi_document
from geoportal.ogc.pages import layer_page
from geoportal.ogc.query import ItemsQuery, QueryError, output_crs, parse_items_query

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
CRS84 = crs_.CRS84
CONFORMANCE = conformance_classes.ALL
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
        "description": "GIS layers of the hromadas, residents' public reports and permit "
        "applications.",
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
        "crs": crs_.supported(),
        "storageCrs": CRS84,
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


def reprojected(geometry: GEOSGeometry | None, crs: Crs) -> Any:
    """A stored geometry as a GeoJSON geometry in `crs`, in that CRS's axis order."""
    if geometry is None:
        return None
    if geometry.srid != crs.srid:
        geometry = geometry.transform(crs.srid, clone=True)
    shape = shapely.from_wkb(bytes(geometry.wkb))
    if crs.northing_first:
        shape = shapely.transform(shape, lambda xy: xy[:, ::-1])
    return json.loads(shapely.to_geojson(shape))


def _features(collection: Collection, records: Any, crs: Crs) -> list[dict[str, Any]]:
    """Each record as a GeoJSON feature, by one serializer for them all. A serializer and
    its fields point at each other, a cycle only the garbage collector frees: one made
    per chunk would keep its records and features alive well after they were sent."""
    serializer = collection.serializer()
    features = []
    for record in records:
        feature = dict(serializer.to_representation(record))
        if not crs.is_storage:
            feature["geometry"] = reprojected(getattr(record, collection.geometry_field), crs)
        features.append(feature)
    return features


# Parameters a page's links keep besides limit and offset.
KEPT_PARAMETERS = ("bbox", "bbox-crs", "datetime", "crs")


def _links(request: HttpRequest, found: Collection, query: ItemsQuery, returned: int,
           matched: int) -> list[dict[str, str]]:  # fmt: skip
    path = f"/collections/{found.id}/items"
    kept = {name: request.GET.get(name) for name in KEPT_PARAMETERS}
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


def _serialized_chunks(
    found: Collection, page: QuerySet[Any], crs: Crs
) -> Iterator[list[dict[str, Any]]]:
    """The page's features, FEATURES_PER_CHUNK at a time from a server-side cursor."""
    rows = page.iterator(chunk_size=FEATURES_PER_CHUNK)
    while batch := list(islice(rows, FEATURES_PER_CHUNK)):
        yield _features(found, batch, crs)


def _collection_text(request: HttpRequest, found: Collection, query: ItemsQuery,
                     records: QuerySet[Any]) -> Iterator[bytes]:  # fmt: skip
    """The FeatureCollection as JSON text, a chunk of features at a time: a page of 10,000
    plots is never held whole, as objects or as one string. The counts and links that
    depend on what was sent come after the features. A layer's features are made by
    PostgreSQL (pages.py); a report's or a permit application's, with its labels, by its
    serializer."""
    encoder = NumbersEncoder(ensure_ascii=False)
    yield b'{"type": "FeatureCollection", "features": ['
    returned = 0
    if not found.is_layer:
        matched = records.count()
        page = records.order_by("pk")[query.offset : query.offset + query.limit]
        texts: Iterator[list[str]] = (
            [encoder.encode(feature) for feature in features]
            for features in _serialized_chunks(found, page, query.crs)
        )
    else:
        built = layer_page(found.id, records, found.geometry_field, query.crs, query.offset,
                           query.limit, FEATURES_PER_CHUNK)  # fmt: skip
        texts = built.chunks
    for chunk in texts:
        text = ", ".join(chunk)
        yield (", " + text if returned else text).encode()
        returned += len(chunk)
    if found.is_layer:
        matched = built.matched or 0
    tail = {
        "numberMatched": matched,
        "numberReturned": returned,
        "timeStamp": timezone.now().isoformat(timespec="seconds"),
        "links": _links(request, found, query, returned, matched),
    }
    yield ("], " + encoder.encode(tail)[1:]).encode()


def _selected(found: Collection, query: ItemsQuery) -> QuerySet[Any]:
    records = found.items()
    if query.bbox is not None:
        records = records.filter(**{f"{found.geometry_field}__intersects": query.bbox})
    if found.temporal_field and query.start is not None:
        records = records.filter(**{f"{found.temporal_field}__gte": query.start})
    if found.temporal_field and query.end is not None:
        records = records.filter(**{f"{found.temporal_field}__lte": query.end})
    return records


@ogc
def items(request: HttpRequest, collection_id: str) -> HttpResponse | StreamingHttpResponse:
    found = _collection(collection_id)
    try:
        query = parse_items_query(request.GET)
    except QueryError as exc:
        return problem(400, "InvalidParameterValue", str(exc))
    records = _selected(found, query)
    if wants_html(request):  # a list of links to the features: their numbers are enough
        matched = records.count()
        page = records.order_by("pk")[query.offset : query.offset + query.limit]
        ids = list(page.values_list("pk", flat=True))
        data = {
            "features": [{"id": pk} for pk in ids],
            "numberMatched": matched,
            "numberReturned": len(ids),
            "links": _links(request, found, query, len(ids), matched),
        }
        return render(request, "ogc/items.html", {"data": data, "collection": found})
    response = StreamingHttpResponse(
        _collection_text(request, found, query, records), content_type=GEOJSON
    )
    response["Content-Crs"] = crs_.content_crs_header(query.crs)
    return response


@ogc
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    found = _collection(collection_id)
    try:
        crs = output_crs(request.GET)
    except QueryError as exc:
        return problem(400, "InvalidParameterValue", str(exc))
    record = found.items().filter(pk=feature_id).first() if feature_id.isdigit() else None
    if record is None:
        raise Http404(f"No feature {feature_id!r} in {found.id}.")
    feature = _features(found, [record], crs)[0]
    path = f"/collections/{found.id}/items/{feature_id}"
    kept = {"crs": request.GET.get("crs")}
    feature["links"] = [
        link(href(request, path, **kept), "self", GEOJSON),
        link(href(request, path, f="html", **kept), "alternate", HTML),
        link(href(request, f"/collections/{found.id}"), "collection", JSON),
    ]
    if wants_html(request):
        return render(request, "ogc/item.html", {"data": feature, "collection": found})
    response = JsonResponse(
        feature,
        content_type=GEOJSON,
        json_dumps_params={"ensure_ascii": False},
        encoder=NumbersEncoder,
    )
    response["Content-Crs"] = crs_.content_crs_header(crs)
    return response


@ogc
def api(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        openapi_document(request.build_absolute_uri("/ogc"), list(COLLECTIONS)),
        content_type="application/vnd.oai.openapi+json;version=3.0",
    )
