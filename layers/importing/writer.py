"""Writing checked rows with COPY, and their history in the same statements.

Django's bulk_create and simple-history's bulk helpers build two Python objects per
row; for an import of 100,000 plots that dominated the run (about 80 s against
ogr2ogr's 1 s). Here the rows are copied into a temporary table and moved into the
layer with INSERT ... SELECT / UPDATE ... FROM, each RETURNING the written rows
straight into the historical table: the same history records, made by PostgreSQL.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from layers.models import LayerFeature

STAGING = "layers_import_staging"
# 1 cm as degrees of latitude: a boundary that moved less than this (a round trip through
# another coordinate system moves it by fractions of a millimetre) has not changed.
SAME_GEOMETRY_DEGREES = 0.01 / 111_320
AUTO_TIMESTAMPS = ("created_at", "updated_at")


def write_features(
    model: type[LayerFeature],
    features: list[LayerFeature],
    user_id: int | None,
    update_fields: list[str],
    reason: str | None = None,
) -> tuple[int, int]:
    """Insert features without a pk, update those with one; return (created, updated).

    An update sets only `update_fields` (what the file carried): a photo or any other
    column the file did not have is kept. Runs inside the caller's transaction; history
    rows get the user, '+' or '~' and the change reason (the import run's number).
    """
    if not features:
        return 0, 0
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in AUTO_TIMESTAMPS
    ]
    columns = [f.column for f in fields if f.column]
    history = model.history.model  # type: ignore[attr-defined]
    history_columns = [
        f.column
        for f in history._meta.concrete_fields
        if f.column and not f.column.startswith("history_")
    ]
    cols = ", ".join(quote(c) for c in columns)
    # The application's clock, as simple-history uses (now() is the transaction's start).
    moment = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
        cursor.execute(
            f"CREATE TEMP TABLE {STAGING} ON COMMIT DROP AS "  # noqa: S608 (names from the model)
            f"SELECT id, {cols} FROM {table} WITH NO DATA"
        )
        # Most values go as they are (psycopg adapts text, numbers, dates); only geometry
        # and JSON need work, done at their positions: per-field calls were a sixth of a run.
        attnames = ["id", *(f.attname for f in fields)]
        special = [(n + 1, f, hasattr(f, "geom_type")) for n, f in enumerate(fields)
                   if hasattr(f, "geom_type") or isinstance(f, models.JSONField)]  # fmt: skip
        with cursor.cursor.copy(f"COPY {STAGING} (id, {cols}) FROM STDIN") as copy:
            for feature in features:
                data = feature.__dict__
                row = [data.get(name) for name in attnames]
                for position, field, spatial in special:
                    value = row[position]
                    if spatial and isinstance(value, str):
                        continue  # hex EWKB checked by the import engine: sent as it is
                    # Most rows keep no extra columns: their empty JSON needs no encoder.
                    row[position] = "{}" if value == {} else _value(feature, field)
                copy.write_row(row)
        history_select = ", ".join(f"written.{quote(c)}" for c in history_columns)
        history_insert = (
            f"INSERT INTO {quote(history._meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(c) for c in history_columns)}, history_date, "
            "history_change_reason, history_type, history_user_id) "
            f"SELECT {history_select}, %s, %s, %s, %s FROM written"
        )
        cursor.execute(
            f"WITH written AS (INSERT INTO {table} ({cols}, created_at, updated_at) "  # noqa: S608
            f"SELECT {cols}, %s, %s FROM {STAGING} WHERE id IS NULL RETURNING *) " + history_insert,
            [moment, moment, moment, reason, "+", user_id],
        )
        created = cursor.rowcount
        changed = {quote(f.column): hasattr(f, "geom_type") for f in fields
                   if f.column and f.name in update_fields}  # fmt: skip
        assignments = ", ".join(f"{c} = s.{c}" for c in changed)
        # Only rows that differ are written (and get a history row): a re-import of the same
        # data writes nothing. A boundary within SAME_GEOMETRY_DEGREES is the same one.
        differs = " OR ".join(
            f"(t.{c} IS DISTINCT FROM s.{c} AND ST_HausdorffDistance(t.{c}, s.{c}) > %s)"
            if spatial
            else f"t.{c} IS DISTINCT FROM s.{c}"
            for c, spatial in changed.items()
        )
        tolerance = [SAME_GEOMETRY_DEGREES for spatial in changed.values() if spatial]
        cursor.execute(
            f"WITH written AS (UPDATE {table} t SET {assignments}, updated_at = %s "  # noqa: S608
            f"FROM {STAGING} s WHERE s.id IS NOT NULL AND t.id = s.id AND ({differs}) "
            "RETURNING t.*) " + history_insert,
            [moment, *tolerance, moment, reason, "~", user_id],
        )
        updated = cursor.rowcount
        cursor.execute(f"DROP TABLE {STAGING}")
    return created, updated


def _value(feature: LayerFeature, field: models.Field[Any, Any]) -> Any:
    value = getattr(feature, field.attname)
    if value is not None and hasattr(value, "hexewkb"):
        return value.hexewkb.decode()  # PostGIS reads hex EWKB as geometry input
    if isinstance(field, models.JSONField):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return field.get_prep_value(value)
