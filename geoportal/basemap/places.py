"""The base map's answer to the place search: streets, and houses by street and number."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db.models.functions import PointOnSurface
from django.db.models import Q

from geoportal.basemap.addresses import housenumber_key, parse
from geoportal.basemap.models import BaseFeature, Kind


def base_map_places(text: str, slug: str = "", limit: int = 10) -> list[dict[str, Any]]:
    """Houses (when a number is typed) or streets whose names hold every word typed."""
    typed = parse(text)
    words = [word for word in typed.words if len(word) >= 2]
    if not words:
        return []
    features = BaseFeature.objects.filter(*(Q(search__contains=word) for word in words))
    if slug:
        features = features.filter(municipality__slug=slug)
    if typed.housenumber:
        features = features.filter(kind__in=[Kind.BUILDING, Kind.ADDRESS])
        found = [
            (f"{street}, {number}", point, town)
            for street, number, point, town in _located(features, "street", "housenumber")
            if housenumber_key(number) == housenumber_key(typed.housenumber)
        ]
    else:
        found = [(name, point, town) for name, _ref, point, town in
                 _located(features.filter(kind=Kind.ROAD), "name", "ref")]  # fmt: skip
    places: dict[tuple[str, str], dict[str, Any]] = {}
    for name, point, town in found:
        places.setdefault(
            (name.lower(), town), {"name": name, "lat": point.y, "lon": point.x, "inside": town}
        )
    return list(places.values())[:limit]


def _located(features: Any, *fields: str, rows: int = 200) -> list[tuple[Any, ...]]:
    """(fields..., a point on the feature, the hromada's slug), the first `rows` of them."""
    located = features.annotate(point=PointOnSurface("geometry")).order_by("name", "pk")
    return list(located.values_list(*fields, "point", "municipality__slug")[:rows])
