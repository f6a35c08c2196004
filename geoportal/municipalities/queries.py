"""Measurements done by PostGIS on the ellipsoid (metres, not degrees)."""

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection


def area_km2(geometry: GEOSGeometry) -> float:
    """Area of a 4326 geometry on the WGS84 ellipsoid, in km²."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Area(ST_GeomFromEWKB(%s)::geography) / 1e6", [bytes(geometry.ewkb)]
        )
        return float(cursor.fetchone()[0])
