"""Synthetic land plots, МАФ, advertising structures and zoning zones of one hromada."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from django.db import connection, transaction

from geoportal.municipalities.models import Municipality
from layers.geometry import metric_srid
from layers.models import LandPlot, LayerPassport, ZoningZone

Say = Callable[[str], object]
BATCH = 100_000


def _execute(sql: str, params: Mapping[str, Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def plots(municipality: Municipality, count: int, seed: int, say: Say) -> int:
    """`count` square plots on a grid over the hromada, none overlapping any other plot."""
    if count <= 0:
        return 0
    srid = metric_srid(municipality.centre.x)
    area_m2 = municipality.boundary.transform(srid, clone=True).area
    # Cells a fifth smaller than the area allows, so that enough lie wholly inside.
    side = math.sqrt(area_m2 / (count * 1.25))
    params = {"m": municipality.pk, "srid": srid, "side": side, "gap": min(0.5, side / 20),
              "n": count, "seed": (seed % 1000) / 1000}  # fmt: skip
    with transaction.atomic():
        _execute("SELECT setseed(%(seed)s)", params)
        say(f"plots: laying a grid of {side:.1f} m cells over {area_m2 / 1e6:.1f} km²")
        _execute(
            """
            CREATE TEMP TABLE synthetic_cells ON COMMIT DROP AS
            WITH area AS (
                SELECT ST_Transform(boundary, %(srid)s) AS g
                FROM municipalities_municipality WHERE id = %(m)s
            ), cells AS (
                SELECT ST_Transform(ST_Expand(grid.geom, -%(gap)s), 4326) AS geom
                FROM area, ST_SquareGrid(%(side)s, area.g) AS grid
                WHERE ST_Within(grid.geom, area.g)
            )
            SELECT row_number() OVER () AS n, geom FROM (
                SELECT geom FROM cells c
                WHERE NOT EXISTS (
                    SELECT 1 FROM layers_landplot p
                    WHERE p.geometry && c.geom AND ST_Intersects(p.geometry, c.geom)
                )
                ORDER BY random() LIMIT %(n)s
            ) chosen
            """,
            params,
        )
        made = 0
        prefix = f"9{seed % 10**9:09d}"
        # Numbers go on after the plots an earlier run with this seed made.
        offset = LandPlot.objects.filter(cadastral_number__startswith=prefix + ":").count()
        while made < count:
            done = _execute(
                """
                INSERT INTO layers_landplot (is_demo, created_at, updated_at, geometry,
                    cadastral_number, katotth, category, purpose_code, purpose_text, ownership,
                    area_ha, user_name, lease_until, normative_valuation, investor_status,
                    municipality_id)
                SELECT true, now(), now(), ST_Multi(geom),
                    %(prefix)s || ':' || lpad((((n + %(offset)s) / 10000000) %% 100)::text, 2, '0')
                        || ':' || lpad((((n + %(offset)s) / 10000) %% 1000)::text, 3, '0') || ':'
                        || lpad(((n + %(offset)s) %% 10000)::text, 4, '0'),
                    %(katotth)s, (ARRAY['100','200','200','200','900'])[1 + (n %% 5)],
                    (ARRAY['01.01','02.01','02.01','03.07','11.02'])[1 + (n %% 5)],
                    'Синтетична ділянка', (ARRAY['100','100','200','300'])[1 + (n %% 4)],
                    round((ST_Area(geom::geography) / 10000)::numeric, 4) + 0.0001, '',
                    CASE WHEN n %% 7 = 0 THEN DATE '2030-12-31' END,
                    round((ST_Area(geom::geography) * 23.5)::numeric, 2),
                    (ARRAY['free','auction','leased','in_use'])[1 + (n %% 4)], %(m)s
                FROM synthetic_cells WHERE n > %(start)s AND n <= %(stop)s
                """,
                {**params, "prefix": prefix, "katotth": municipality.katotth_hromada,
                 "start": made, "stop": made + BATCH, "offset": offset},
            )  # fmt: skip
            if done == 0:
                break
            made += done
            say(f"plots: {made:,}/{count:,}")
        if made < count:
            say(f"plots: only {made:,} free cells of that size; the rest of the area is taken.")
    LayerPassport.touch(municipality.pk, "land")
    return made


def structures(municipality: Municipality, kind: str, count: int, seed: int, say: Say) -> int:
    """`count` МАФ or advertising structures at random points, with permits of every state."""
    if count <= 0:
        return 0
    table, number = {
        "maf": ("layers_temporarystructure", "passport_number"),
        "advertising": ("layers_advertisingstructure", "permit_number"),
    }[kind]
    columns = {
        "maf": "owner_name, owner_code, kind, purpose, area_m2, land_use_basis, photo, "
        "cancellation_decision",
        "advertising": "decision_number, distributor_name, distributor_code, distributor_phone, "
        "kind, width_m, height_m, sides, illuminated, photo, communal_site_contract",
    }[kind]
    values = {
        "maf": "'ТОВ «Синтетика»', '12345678', (ARRAY['kiosk','pavilion','mobile','terrace'])"
        "[1 + (n % 4)], 'trade', 12.5, '', '', ''",
        "advertising": "'', 'ТОВ «Реклама»', '12345678', '', (ARRAY['billboard','citylight',"
        "'banner'])[1 + (n % 3)], 3.0, 6.0, 2, n % 2 = 0, '', ''",
    }[kind].replace("%", "%%")
    made = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {table} WHERE {number} LIKE %s",  # noqa: S608 (ours)
            [f"SYN-{seed}-%"],
        )
        offset = cursor.fetchone()[0]
    with transaction.atomic():
        while made < count:
            size = min(BATCH, count - made)
            made += _execute(
                f"""
                INSERT INTO {table} (is_demo, created_at, updated_at, permit_valid_from,
                    permit_valid_to, geometry, {number}, address, status, municipality_id,
                    {columns})
                SELECT true, now(), now(), DATE '2024-01-01',
                    CURRENT_DATE + ((n %% 900) - 300)::int,
                    dumped.geom, 'SYN-' || %(seed)s || '-' || (%(offset)s + %(start)s + n),
                    'вул. Синтетична, ' || (%(start)s + n),
                    (ARRAY['active','active','active','expired','unauthorised'])[1 + (n %% 5)],
                    %(m)s, {values}
                FROM (
                    SELECT row_number() OVER () AS n, d.geom
                    FROM municipalities_municipality m,
                         ST_Dump(ST_GeneratePoints(m.boundary, %(size)s, %(seed)s + %(start)s)) d
                    WHERE m.id = %(m)s
                ) dumped
                """,  # noqa: S608 (table and columns are ours, not input)
                {"m": municipality.pk, "size": size, "seed": seed, "start": made, "offset": offset},
            )
            say(f"{kind}: {made:,}/{count:,}")
    LayerPassport.touch(municipality.pk, kind)
    return made


def zones(municipality: Municipality, count: int, seed: int, say: Say) -> int:
    """About `count` zoning zones tiling the hromada."""
    if count <= 0:
        return 0
    srid = metric_srid(municipality.centre.x)
    area_m2 = municipality.boundary.transform(srid, clone=True).area
    side = math.sqrt(area_m2 / count)
    made = _execute(
        """
        INSERT INTO layers_zoningzone (is_demo, created_at, updated_at, geometry, code, name,
            predominant_uses, accompanying_uses, permitted_uses, restrictions, decision_number,
            document_url, allows_temporary_structures, allows_advertising, municipality_id)
        SELECT true, now(), now(), geom,
            (ARRAY['Ж-1','Ж-2','Г-1','В-1','Р-1'])[1 + (n %% 5)] || '.' || %(seed)s || '.'
                || (%(offset)s + n),
            'Синтетична зона ' || (%(offset)s + n), '', '', '', '', '', '',
            n %% 2 = 0, n %% 3 = 0, %(m)s
        FROM (
            SELECT row_number() OVER () AS n,
                ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(
                    ST_Intersection(grid.geom, area.g), 4326)), 3)) AS geom
            FROM (SELECT ST_Transform(boundary, %(srid)s) AS g
                  FROM municipalities_municipality WHERE id = %(m)s) area,
                 ST_SquareGrid(%(side)s, area.g) AS grid
            WHERE ST_Intersects(grid.geom, area.g)
            LIMIT %(n)s
        ) tiles WHERE NOT ST_IsEmpty(geom)
        """,
        {
            "m": municipality.pk,
            "srid": srid,
            "side": side,
            "n": count,
            "seed": seed,
            "offset": ZoningZone.objects.filter(municipality=municipality).count(),
        },
    )
    say(f"zones: {made:,}")
    LayerPassport.touch(municipality.pk, "zoning")
    return made
