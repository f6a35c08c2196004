"""Writers of a Source in each format, a chunk of rows at a time.

CSV (UTF-8 with a byte-order mark, WKT geometry in the first column) goes through the
platform's spreadsheet rule (geoportal.core.spreadsheet): text that a spreadsheet
program would run as a formula is neutralised, numbers stay numbers. GeoJSON,
GeoPackage and Shapefile are GIS formats, not spreadsheets: their text is left as stored.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Protocol

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geoportal.core.spreadsheet import csv_text
from layers.exporting.formats import FORMATS
from layers.exporting.source import Chunk, Source

CRS84 = "urn:ogc:def:crs:OGC:1.3:CRS84"
# pandas types GDAL writes each kind of column with, the same in every chunk: a column
# empty in the first chunk must not decide the field's type for the rest.
DTYPES = {"text": "object", "integer": "Int64", "real": "float64", "boolean": "boolean"}

# Shapefile column names are at most 10 characters: readable short names, not truncation.
SHAPEFILE_NAMES = {
    "municipality": "hromada",
    "passport_number": "passport",
    "permit_valid_from": "valid_from",
    "permit_valid_to": "valid_to",
    "land_use_basis": "land_basis",
    "cancellation_decision": "cancel_dec",
    "permit_number": "permit",
    "decision_number": "decision",
    "decision_date": "dec_date",
    "distributor_name": "distrib",
    "distributor_code": "distr_code",
    "illuminated": "lit",
    "communal_site_contract": "contract",
    "cadastral_number": "cadnum",
    "purpose_code": "kvcpz",
    "purpose_text": "purpose",
    "lease_until": "lease_to",
    "normative_valuation": "valuation",
    "investor_status": "investor",
    "predominant_uses": "main_uses",
    "accompanying_uses": "side_uses",
    "permitted_uses": "allowed",
    "restrictions": "restrict",
    "document_url": "doc_url",
    "allows_temporary_structures": "allows_maf",
    "allows_advertising": "allows_adv",
    "permit_state": "permit_st",
    # The public reports' columns (geoportal.reports.open_data).
    "answer_due_at": "answer_due",
    "answered_at": "answered",
    "support_count": "supporters",
    "created_at": "created",
    # The register of permit applications' columns (geoportal.permits.register).
    "structure_type": "structure",
    "holder_kind": "holder_is",
    "holder_code": "holder_cd",
    "registered_on": "registered",
    "refusal_reason": "refusal",
}


class Text(Protocol):
    """A text format: its beginning, the text of each chunk, its end."""

    def head(self) -> str: ...
    def body(self, chunk: Chunk) -> str: ...
    def tail(self) -> str: ...


class CsvText:
    def __init__(self, source: Source) -> None:
        self.source = source

    def head(self) -> str:
        return csv_text([["WKT", *self.source.names]])

    def body(self, chunk: Chunk) -> str:
        wkt = shapely.to_wkt(shapely.from_wkb(chunk.wkb), rounding_precision=-1)
        rows = ((text, *row) for text, row in zip(wkt, chunk.rows, strict=True))
        return csv_text(rows, bom=False)

    def tail(self) -> str:
        return ""


class GeoJsonText:
    """A FeatureCollection as GDAL writes one (CRS84), one feature per line."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.first = True

    def head(self) -> str:
        name = json.dumps(self.source.name)
        crs = f'{{ "type": "name", "properties": {{ "name": "{CRS84}" }} }}'
        return f'{{\n"type": "FeatureCollection",\n"name": {name},\n"crs": {crs},\n"features": [\n'

    def body(self, chunk: Chunk) -> str:
        if not chunk.rows:
            return ""
        names = self.source.names
        geometries = shapely.to_geojson(shapely.from_wkb(chunk.wkb))
        features = [
            '{ "type": "Feature", "properties": '
            + json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False)
            + ', "geometry": ' + str(geometry) + " }"
            for row, geometry in zip(chunk.rows, geometries, strict=True)
        ]  # fmt: skip
        text = ",\n".join(features)
        if not self.first:
            text = ",\n" + text
        self.first = False
        return text

    def tail(self) -> str:
        return "\n]\n}\n"


TEXTS: dict[str, type[CsvText] | type[GeoJsonText]] = {"csv": CsvText, "geojson": GeoJsonText}


def stream(source: Source, fmt: str) -> Iterator[bytes]:
    """A text format as bytes, a chunk at a time (for a StreamingHttpResponse)."""
    text = TEXTS[fmt](source)
    yield text.head().encode()
    for chunk in source.chunks():
        yield text.body(chunk).encode()
    yield text.tail().encode()


class Writer(Protocol):
    def add(self, chunk: Chunk) -> None: ...
    def close(self) -> None: ...


class TextFile:
    def __init__(self, source: Source, path: Path, fmt: str) -> None:
        self.text = TEXTS[fmt](source)
        self.file: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.file.write(self.text.head())

    def add(self, chunk: Chunk) -> None:
        self.file.write(self.text.body(chunk))

    def close(self) -> None:
        self.file.write(self.text.tail())
        self.file.close()


def frame(source: Source, chunk: Chunk, names: Mapping[str, str] | None = None) -> gpd.GeoDataFrame:
    """A chunk as a GeoDataFrame with the same column types whatever its values."""
    names = names or {}
    columns = {
        names.get(column.name, column.name): pd.array(
            [row[index] for row in chunk.rows], dtype=DTYPES[column.kind]
        )
        for index, column in enumerate(source.columns)
    }
    return gpd.GeoDataFrame(columns, geometry=shapely.from_wkb(chunk.wkb), crs="EPSG:4326")


class GeoPackage:
    def __init__(self, source: Source, path: Path) -> None:
        self.source, self.path, self.written = source, path, False

    def add(self, chunk: Chunk) -> None:
        if not chunk.rows and self.written:
            return
        pyogrio.write_dataframe(
            frame(self.source, chunk), self.path, driver="GPKG", layer=self.source.name,
            geometry_type=self.source.geometry_type, append=self.written,
        )  # fmt: skip
        self.written = True

    def close(self) -> None:
        if not self.written:  # no feature at all: still a layer with its columns
            self.add(Chunk([], []))


class ZippedShapefiles:
    """A Shapefile holds one kind of geometry: МАФ points and polygons go to two files
    (name_points, name_polygons); a layer of one kind is one file with the layer's name."""

    def __init__(self, source: Source, path: Path) -> None:
        self.source, self.path = source, path
        self.folder = tempfile.TemporaryDirectory()
        self.parts: set[str] = set()

    def add(self, chunk: Chunk) -> None:
        if not chunk.rows:
            return
        data = frame(self.source, chunk, SHAPEFILE_NAMES)
        kinds = data.geometry.geom_type.map(
            lambda t: "points" if t in ("Point", "MultiPoint") else "polygons"
        )
        for kind in sorted(set(kinds)):
            pyogrio.write_dataframe(
                data[kinds == kind], Path(self.folder.name) / f"{kind}.shp",
                driver="ESRI Shapefile", encoding="UTF-8", append=kind in self.parts,
            )  # fmt: skip
            self.parts.add(kind)

    def close(self) -> None:
        folder = Path(self.folder.name)
        if not self.parts:  # no feature: an empty layer with its columns
            pyogrio.write_dataframe(
                frame(self.source, Chunk([], []), SHAPEFILE_NAMES), folder / "polygons.shp",
                driver="ESRI Shapefile", encoding="UTF-8",
            )  # fmt: skip
            self.parts.add("polygons")
        name = self.source.name
        with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member in sorted(folder.iterdir()):
                stem = name if len(self.parts) == 1 else f"{name}_{member.stem}"
                archive.write(member, f"{stem}{member.suffix}")
        self.folder.cleanup()


def writer(source: Source, path: Path, fmt: str) -> Writer:
    if fmt in TEXTS:
        return TextFile(source, path, fmt)
    if fmt == "gpkg":
        return GeoPackage(source, path)
    return ZippedShapefiles(source, path)


def write_files(source: Source, paths: Mapping[str, Path]) -> int:
    """Write the source in each format to its path in one pass; the number of features."""
    for fmt, path in paths.items():
        suffix = FORMATS[fmt].suffix
        if not path.name.lower().endswith(suffix):
            raise ValueError(f"--format {fmt} writes a {suffix} file: name it *{suffix}.")
    writers: list[Writer] = []
    count = 0
    try:
        for fmt, path in paths.items():
            writers.append(writer(source, path, fmt))
        for chunk in source.chunks():
            for each in writers:
                each.add(chunk)
            count += len(chunk.rows)
    except BaseException:
        for each in writers:
            _abandon(each)
        raise
    for each in writers:
        each.close()
    return count


def write_file(source: Source, path: Path, fmt: str) -> int:
    return write_files(source, {fmt: path})


def _abandon(each: Any) -> None:
    """Free what a writer holds open after a failure (its files are the caller's to drop)."""
    if isinstance(each, TextFile):
        each.file.close()
    elif isinstance(each, ZippedShapefiles):
        each.folder.cleanup()
