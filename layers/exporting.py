"""Writing a layer's public data to open formats through GDAL (geopandas/pyogrio).

Only the public fields (public_fields.py) leave the platform; a person's tax number
in an owner or distributor code is blanked.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from geoportal.municipalities.models import Municipality
from layers.public_fields import BUSINESS_CODE_FIELDS, PUBLIC_FIELDS, public_business_code
from layers.registry import get_layer


def download_responses(description: str) -> dict[tuple[int, str], Any]:
    """OpenAPI responses of a download: each format with its own media type."""
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiResponse

    media = {spec.content_type.split(";")[0] for spec in FORMATS.values()}
    return {
        # GeoJSON is JSON: described as an object, the other formats as files.
        (200, kind): OpenApiResponse(
            OpenApiTypes.OBJECT if kind.endswith("json") else OpenApiTypes.BINARY,
            description=description,
        )
        for kind in sorted(media)
    }


@dataclass(frozen=True)
class ExportFormat:
    driver: str
    suffix: str
    content_type: str


FORMATS: dict[str, ExportFormat] = {
    "gpkg": ExportFormat("GPKG", ".gpkg", "application/geopackage+sqlite3"),
    "shp": ExportFormat("ESRI Shapefile", ".zip", "application/zip"),
    "geojson": ExportFormat("GeoJSON", ".geojson", "application/geo+json"),
    "csv": ExportFormat("CSV", ".csv", "text/csv; charset=utf-8"),
}


def layer_frame(layer: str, municipality: Municipality | None = None) -> gpd.GeoDataFrame:
    """The public columns of every feature of the layer (of one hromada, if given)."""
    spec = get_layer(layer)
    queryset = spec.model._default_manager.all()
    fields = list(PUBLIC_FIELDS[layer])
    if spec.has_permit:
        queryset = queryset.with_permit_state()  # type: ignore[attr-defined]
        fields.append("permit_state")
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    rows = list(queryset.order_by("pk").values("pk", "municipality__slug", *fields, "geometry"))
    records = []
    geometries = []
    for row in rows:
        geometries.append(shapely.from_wkb(bytes(row.pop("geometry").wkb)))
        record: dict[str, Any] = {
            "id": row.pop("pk"),
            "municipality": row.pop("municipality__slug"),
        }
        for name, value in row.items():
            if name in BUSINESS_CODE_FIELDS:
                value = public_business_code(value)
            record[name] = _plain(value)
        records.append(record)
    columns = ["id", "municipality", *fields]
    return gpd.GeoDataFrame(records, columns=columns, geometry=geometries, crs="EPSG:4326")


def export_layer(layer: str, path: Path, fmt: str, municipality: Municipality | None = None) -> int:
    """Write the layer to `path` in the format; return the number of features."""
    frame = layer_frame(layer, municipality)
    write_frame(frame, layer, path, fmt)
    return len(frame)


def write_frame(frame: gpd.GeoDataFrame, name: str, path: Path, fmt: str) -> None:
    """Write a frame of public data to `path` in one of FORMATS, through GDAL."""
    spec = FORMATS[fmt]
    if not path.name.lower().endswith(spec.suffix):
        raise ValueError(f"--format {fmt} writes a {spec.suffix} file: name it *{spec.suffix}.")
    if fmt == "shp":
        _write_zipped_shapefiles(frame, name, path)
    elif fmt == "csv":
        # WKT geometry column; a BOM so that spreadsheet programs read UTF-8 correctly.
        frame.to_file(
            path, driver=spec.driver, engine="pyogrio", layer_options={
                "GEOMETRY": "AS_WKT", "WRITE_BOM": "YES",
            },
        )  # fmt: skip
    else:
        frame.to_file(path, driver=spec.driver, engine="pyogrio", layer=name)


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
}


def _write_zipped_shapefiles(frame: gpd.GeoDataFrame, layer: str, path: Path) -> None:
    """A Shapefile holds one geometry type: МАФ points and polygons go to two files."""
    frame = frame.rename(columns=SHAPEFILE_NAMES)
    with tempfile.TemporaryDirectory() as folder:
        kinds = frame.geometry.geom_type.map(
            lambda t: "points" if t in ("Point", "MultiPoint") else "polygons"
        )
        parts = {kind: frame[kinds == kind] for kind in sorted(set(kinds))} or {"polygons": frame}
        for kind, part in parts.items():
            name = layer if len(parts) == 1 else f"{layer}_{kind}"
            part.to_file(Path(folder) / f"{name}.shp", engine="pyogrio", encoding="UTF-8")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member in sorted(Path(folder).iterdir()):
                archive.write(member, member.name)


def _plain(value: object) -> object:
    """Values every driver writes alike: decimals as floats, dates as ISO text."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
