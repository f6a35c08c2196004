"""GeoJSON pages built by PostgreSQL: the same FeatureCollection the serializers describe,
made with json_agg in the database instead of object by object in Python.

A page of 500 land plots took ~170 ms through the serializers and ~11 ms as bare SQL
(tests/perf/RESULTS.md); the list views of the layers answer through this.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db import connections
from django.db.models import Count, Expression, F, QuerySet, Window
from django.http import HttpResponse
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param


def positive_param(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    """A whole number of at least 1 from the query (`page`, `page_size`), capped at maximum;
    anything else is a 400 naming the parameter, never a silent default."""
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: ["A whole number is required."]}) from None
    if value < 1:
        raise ValidationError({name: ["Must be at least 1."]})
    return min(value, maximum) if maximum else value


def feature_page(
    request: Request,
    queryset: QuerySet[Any],
    properties: Mapping[str, str | Expression],
    geometry: str,
    page_size: int,
    max_page_size: int,
) -> HttpResponse:
    """One page of the queryset as a FeatureCollection with count, next and previous.

    `properties` maps each property name to a field path or an expression; the feature's
    id is the primary key. Pages work as DRF's page number pagination does (`page`,
    `page_size` capped at `max_page_size`), so clients see no difference.
    """
    size = positive_param(request, "page_size", page_size, max_page_size)
    number = positive_param(request, "page", 1)
    if (number - 1) * size >= 2**63:  # past any last page, and past PostgreSQL's bigint OFFSET
        raise NotFound("Invalid page.")
    names = {f"p{index}": name for index, name in enumerate(properties)}
    columns = {alias: (F(value) if isinstance(value, str) else value)
               for alias, value in zip(names, properties.values(), strict=True)}  # fmt: skip
    geojson = AsGeoJSON(geometry, precision=7)
    # The count comes with the page (a window over the filtered rows, taken before LIMIT):
    # one query instead of two. PostgreSQL computes the GeoJSON above the window, so only
    # for the rows of the page.
    rows = queryset.annotate(
        **columns, feature_id=F("pk"), geojson=geojson, total=Window(Count("*"))
    ).values("feature_id", "geojson", "total", *names)[(number - 1) * size : number * size]
    inner, params = rows.query.sql_with_params()
    # Only the aliases above (p0, p1…) and the property names the view declares go in.
    pairs = ", ".join(f"'{name}', r.\"{alias}\"" for alias, name in names.items())
    sql = (
        "SELECT max(r.total), coalesce(json_agg(json_build_object('type', 'Feature', "  # noqa: S608
        "'id', r.feature_id, 'geometry', r.geojson::json, 'properties', json_build_object("
        f"{pairs})) ORDER BY ordinality), '[]'::json)::text "
        f"FROM (SELECT *, row_number() OVER () AS ordinality FROM ({inner}) q) r"
    )
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        counted, features = cursor.fetchone()
    # No rows on this page: an empty result, or a page past the last one.
    total = counted if counted is not None else (queryset.count() if number > 1 else 0)
    last = max(1, -(-total // size))
    if number > last:
        raise NotFound("Invalid page.")
    here = request.build_absolute_uri()
    following = replace_query_param(here, "page", number + 1) if number < last else None
    previous = None
    if number > 1:
        previous = (remove_query_param(here, "page") if number == 2
                    else replace_query_param(here, "page", number - 1))  # fmt: skip
    head = {"type": "FeatureCollection", "count": total, "next": following, "previous": previous}
    body = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ' + features + "}"
    return HttpResponse(body, content_type="application/json")
