"""What a download holds: typed columns, a geometry type and the rows in chunks.

The rows come from a server-side cursor (QuerySet.iterator) a chunk at a time, each with
its geometry as WKB made by PostGIS: a writer holds one chunk, never the whole layer.
Only the public fields (public_fields.py) leave the platform; a person's tax number in
an owner or distributor code is blanked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import Any

from django.contrib.gis.db.models.functions import AsWKB
from django.db import models
from django.db.models import QuerySet

from geoportal.municipalities.models import Municipality
from layers.public_fields import BUSINESS_CODE_FIELDS, PUBLIC_FIELDS, public_business_code
from layers.registry import get_layer

# Rows a writer holds at once: a few megabytes even for detailed land plots.
CHUNK_ROWS = 5000


@dataclass(frozen=True)
class Column:
    name: str
    # text, integer, real, boolean; dates are written as ISO text (every driver alike).
    kind: str


@dataclass(frozen=True)
class Chunk:
    rows: list[tuple[Any, ...]]  # values in the order of the columns
    wkb: list[bytes]  # the geometry of each row


@dataclass(frozen=True)
class Source:
    name: str  # the layer's name inside the files
    columns: tuple[Column, ...]
    geometry_type: str  # as GDAL names it: Point, MultiPolygon, Unknown (mixed)
    chunks: Callable[[], Iterator[Chunk]]

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]


GEOMETRY_TYPES = {"POINT": "Point", "MULTIPOLYGON": "MultiPolygon", "POLYGON": "Polygon"}


def column_kind(field: object) -> str:
    if isinstance(field, models.BooleanField):
        return "boolean"
    if isinstance(field, models.IntegerField):
        return "integer"
    if isinstance(field, models.DecimalField | models.FloatField):
        return "real"
    return "text"


def chunked(
    rows: QuerySet[Any, Any], convert: Callable[[Sequence[Any]], tuple[Any, ...]]
) -> Iterator[Chunk]:
    """Rows (values_list) whose last value is the WKB geometry, read from a server-side
    cursor CHUNK_ROWS at a time, converted."""
    iterator = rows.iterator(chunk_size=CHUNK_ROWS)
    while batch := list(islice(iterator, CHUNK_ROWS)):
        yield Chunk([convert(row[:-1]) for row in batch], [bytes(row[-1]) for row in batch])


def plain(value: object) -> object:
    """Values every format writes alike: decimals as floats, dates as ISO text."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def layer_source(layer: str, municipality: Municipality | None = None) -> Source:
    """The public columns of every feature of the layer (of one hromada, if given)."""
    spec = get_layer(layer)
    model = spec.model
    fields = list(PUBLIC_FIELDS[layer])
    columns = [Column("id", "integer"), Column("municipality", "text")]
    columns += [Column(name, column_kind(model._meta.get_field(name))) for name in fields]
    if spec.has_permit:
        fields.append("permit_state")
        columns.append(Column("permit_state", "text"))
    blank = [index + 2 for index, name in enumerate(fields) if name in BUSINESS_CODE_FIELDS]

    def convert(row: Sequence[Any]) -> tuple[Any, ...]:
        values = [plain(value) for value in row]
        for index in blank:
            values[index] = public_business_code(row[index])
        return tuple(values)

    def chunks() -> Iterator[Chunk]:
        queryset = model._default_manager.all()
        if spec.has_permit:
            queryset = queryset.with_permit_state()  # type: ignore[attr-defined]
        if municipality is not None:
            queryset = queryset.filter(municipality=municipality)
        rows = (
            queryset.annotate(wkb=AsWKB("geometry"))
            .order_by("pk")
            .values_list("pk", "municipality__slug", *fields, "wkb")
        )
        return chunked(rows, convert)

    geometry_field: str = "geometry"  # every layer's; a variable for the stubs' field check
    geometry = getattr(model._meta.get_field(geometry_field), "geom_type", "")
    return Source(layer, tuple(columns), GEOMETRY_TYPES.get(geometry, "Unknown"), chunks)
