"""The open formats of the downloads and how each is written.

CSV and GeoJSON are text written here, a chunk of rows at a time, so a request may stream
them; GeoPackage and zipped Shapefile are written through GDAL (pyogrio) into a file, a
chunk at a time too. Either way the memory a download takes does not grow with the layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExportFormat:
    suffix: str
    content_type: str
    # The GDAL driver of a binary format; None: text written here, that a response streams.
    driver: str | None = None

    @property
    def streams(self) -> bool:
        return self.driver is None


FORMATS: dict[str, ExportFormat] = {
    "gpkg": ExportFormat(".gpkg", "application/geopackage+sqlite3", "GPKG"),
    "shp": ExportFormat(".zip", "application/zip", "ESRI Shapefile"),
    "geojson": ExportFormat(".geojson", "application/geo+json"),
    "csv": ExportFormat(".csv", "text/csv; charset=utf-8"),
}


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
