"""An application's site as the applicant gives it: GeoJSON from the form's map (the
pre-check API), or the lines "latitude, longitude" that the map writes into the form and a
keyboard user may type (one line: a point; three or more: the corners of the footprint).
Either way the answer is a geometry in EPSG:4326 checked by intake.check_site, or a
ValidationError on `site` saying what is wrong."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point, Polygon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from geoportal.permits.intake import check_site
from geoportal.residents.areas import AreaError, parse_corners

# A footprint is a few corners; a drawing of more is not a structure's outline.
SITE_MAX_CORNERS = 100


def _refuse(reason: str) -> ValidationError:
    return ValidationError({"site": reason})


def _corner(value: Any) -> tuple[float, float]:
    """A GeoJSON position [longitude, latitude] in degrees."""
    if (
        not isinstance(value, list | tuple)
        or len(value) not in (2, 3)
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in value)
    ):
        raise _refuse(_("Each position is [longitude, latitude] in degrees."))
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 90 or abs(lon) > 180:
        raise _refuse(_("Each position is [longitude, latitude] in degrees."))
    return lon, lat


def _footprint(corners: list[tuple[float, float]]) -> Polygon:
    if corners and corners[0] == corners[-1]:
        corners = corners[:-1]
    if len(corners) < 3:
        raise _refuse(_("Mark one point, or at least three corners of the footprint."))
    if len(corners) > SITE_MAX_CORNERS:
        raise _refuse(_("At most %(limit)s corners.") % {"limit": SITE_MAX_CORNERS})
    try:
        return Polygon([*corners, corners[0]], srid=4326)
    except (GEOSException, ValueError, TypeError):
        raise _refuse(_("These corners do not make an outline.")) from None


def site_from_geojson(kind: str, value: Any) -> GEOSGeometry:
    """A GeoJSON Point or Polygon (a Feature's geometry too): one ring, no holes."""
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in ("Point", "Polygon"):
        raise _refuse(_("Send the site as a GeoJSON Point or Polygon."))
    coordinates = value.get("coordinates")
    if value["type"] == "Point":
        geometry: GEOSGeometry = Point(*_corner(coordinates), srid=4326)
    else:
        if not isinstance(coordinates, list) or len(coordinates) != 1:
            raise _refuse(_("A footprint is one outline without holes."))
        ring = coordinates[0]
        if not isinstance(ring, list) or len(ring) > SITE_MAX_CORNERS + 1:
            raise _refuse(_("At most %(limit)s corners.") % {"limit": SITE_MAX_CORNERS})
        geometry = _footprint([_corner(position) for position in ring])
    return check_site(kind, geometry)


def site_from_corners(kind: str, text: str) -> GEOSGeometry:
    """The form's lines "latitude, longitude": one for a point, three or more corners."""
    try:
        corners = parse_corners(text or "")
    except AreaError as exc:
        raise _refuse(str(exc)) from None
    if not corners:
        raise _refuse(_("Tap the map where the structure will stand, or type its coordinates."))
    if len(corners) == 1:
        return check_site(kind, Point(*corners[0], srid=4326))
    return check_site(kind, _footprint(corners))
