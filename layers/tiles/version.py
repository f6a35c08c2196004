"""What a tile request needs before its cache is looked at, in one statement: the hromada
of ?municipality= (active ones only) and when the layer last changed in it, or in all.

It replaces two ORM queries (the hromada, then Max() over the layer passports): each was a
round trip to PostgreSQL and a query compiled in Python, on the cached path as much as on
the uncached one (the profile of tests/perf/tile_profile.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connections, router

from layers.models import LayerPassport

SCOPED_SQL = """
SELECT m.id, (SELECT max(p.last_updated_at) FROM layers_layerpassport p
              WHERE p.layer = %(layer)s AND p.municipality_id = m.id)
FROM municipalities_municipality m
WHERE m.slug = %(slug)s AND m.is_active
"""
EVERYWHERE_SQL = (
    "SELECT NULL, max(last_updated_at) FROM layers_layerpassport WHERE layer = %(layer)s"
)


@dataclass(frozen=True)
class TileScope:
    municipality_id: int | None  # None: every hromada
    changed: datetime | None  # when the layer last changed (LayerPassport.touch)


def tile_scope(layer: str, slug: str) -> TileScope | None:
    """The scope of the tile and its layer's last change; None when `slug` names no active
    hromada. Read where the tile is read from: the replica for anonymous requests when one
    is configured (geoportal.core.routers)."""
    with connections[router.db_for_read(LayerPassport)].cursor() as cursor:
        cursor.execute(SCOPED_SQL if slug else EVERYWHERE_SQL, {"layer": layer, "slug": slug})
        row = cursor.fetchone()
    return None if row is None else TileScope(row[0], row[1])
