"""The `in_bbox` filter of the GeoJSON lists, refusing boxes that are not boxes on Earth."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework_gis.filters import InBBoxFilter


class CheckedInBBoxFilter(InBBoxFilter):
    """`in_bbox=west,south,east,north` in degrees: four finite numbers within ±180 and ±90,
    west ≤ east and south ≤ north; anything else is a 400 naming `in_bbox` (NaN would
    reach PostGIS as a box that fails the query, a swapped box would match nothing)."""

    def get_filter_bbox(self, request: Any) -> Polygon | None:
        raw = request.query_params.get(self.bbox_param, None)
        if not raw:
            return None
        try:
            numbers = [float(part) for part in raw.split(",")]
        except ValueError:
            numbers = []
        if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
            raise ValidationError(
                {self.bbox_param: [_("Give four finite numbers: west,south,east,north.")]}
            )
        west, south, east, north = numbers
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise ValidationError(
                {self.bbox_param: [_("Must be west ≤ east within ±180 and south ≤ north "
                                     "within ±90 (degrees, WGS 84).")]}
            )  # fmt: skip
        return Polygon.from_bbox((west, south, east, north))
