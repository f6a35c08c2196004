"""The areas of alerts, checked: a radius from 50 m to 5 km, a polygon that is valid (no
self-intersection), meets its hromada and is bounded in size and corners."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.gis.geos import GEOSException, Polygon
from django.utils.translation import gettext as _

from geoportal.municipalities.models import Municipality

RADIUS_MIN_M = 50
RADIUS_MAX_M = 5000
# ETRS89 / LAEA Europe: an equal-area projection covering Ukraine, for the polygon's size.
EQUAL_AREA_SRID = 3035


class AreaError(ValueError):
    pass


def parse_corners(raw: str) -> list[tuple[float, float]]:
    """(longitude, latitude) of each "latitude, longitude" line (a space or a semicolon also
    separates them); AreaError names the line that is not one. The alerts' areas and the
    permit form's site are typed (or tapped) this way."""
    corners = []
    for number, line in enumerate(raw.replace(";", "\n").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = line.replace(",", " ").split()
        try:
            lat, lon = (float(part) for part in parts) if len(parts) == 2 else (math.nan,) * 2
        except ValueError:
            lat = lon = math.nan
        if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
            raise AreaError(
                _("Line %(line)s: give a corner as latitude, longitude in degrees.")
                % {"line": number}
            )
        corners.append((lon, lat))
    return corners


def parse_polygon(raw: str, hromada: Municipality) -> Polygon:
    """The polygon of the corners typed or tapped on the map; AreaError with the reason."""
    corners = parse_corners(raw)
    if corners and corners[0] == corners[-1]:
        corners = corners[:-1]
    if len(corners) < 3:
        raise AreaError(_("Draw at least three corners."))
    limit = settings.ALERT_POLYGON_MAX_VERTICES
    if len(corners) > limit:
        raise AreaError(_("At most %(limit)s corners.") % {"limit": limit})
    try:
        polygon = Polygon([*corners, corners[0]], srid=4326)
    except (GEOSException, ValueError, TypeError):
        raise AreaError(_("These corners do not make an area.")) from None
    if not polygon.valid or polygon.area == 0:
        raise AreaError(_("The area's edges cross each other: draw its corners in order."))
    if not hromada.boundary.intersects(polygon):
        raise AreaError(_("The area lies outside the hromada."))
    km2 = polygon.transform(EQUAL_AREA_SRID, clone=True).area / 1_000_000
    if km2 > settings.ALERT_POLYGON_MAX_KM2:
        raise AreaError(
            _("The area is %(size)s km²; at most %(limit)s km².")
            % {"size": f"{km2:.0f}", "limit": settings.ALERT_POLYGON_MAX_KM2}
        )
    return polygon
