"""Filters of the GeoJSON lists that refuse what they cannot mean: `in_bbox` boxes that are
not boxes on Earth, and yes/no parameters that are neither."""

from __future__ import annotations

import math
from typing import Any

import django_filters
from django import forms
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


class _StrictNullBooleanField(forms.NullBooleanField):
    widget = forms.TextInput  # the raw value: NullBooleanSelect turns "maybe" into None

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None: not given
        if value in (None, ""):
            return None
        if str(value).lower() in ("true", "1", "yes", "on"):
            return True
        if str(value).lower() in ("false", "0", "no", "off"):
            return False
        raise forms.ValidationError(_("Give true or false."), code="invalid")

    def validate(self, value: Any) -> None:
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses "maybe" with a 400 instead of ignoring it."""

    field_class = _StrictNullBooleanField
