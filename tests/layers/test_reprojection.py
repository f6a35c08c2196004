"""Reprojection through a PROJ transformation kept per thread gives what GEOS's own gives."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point, Polygon

from layers.geometry import metric_srid, reprojected


def test_kept_transformation_matches_a_fresh_one() -> None:
    point = Point(37.1812, 48.2826, srid=4326)
    srid = metric_srid(point.x)
    assert srid == 6386  # UCS-2000 / Ukraine TM zone 12, central meridian 36° E
    fresh = point.transform(srid, clone=True)
    for _ in range(3):  # built once, then reused
        kept = reprojected(point, srid)
        assert kept.srid == srid
        assert kept.extent == pytest.approx(fresh.extent, abs=1e-6)
    square = Polygon.from_bbox((387000, 5350000, 387100, 5350100))
    square.srid = srid
    back = reprojected(square, 4326)
    assert back.srid == 4326
    assert back.extent == pytest.approx(square.transform(4326, clone=True).extent, abs=1e-9)
    assert point.srid == 4326 and point.coords == (37.1812, 48.2826)  # the input is untouched


def test_a_geometry_without_srid_is_refused() -> None:
    with pytest.raises(ValueError, match="no SRID"):
        reprojected(Point(37.0, 48.0), 4326)
