"""Writing a layer's public data to open formats: GeoPackage, zipped Shapefile, GeoJSON and
CSV (UTF-8, WKT), a chunk of rows at a time (formats.py, source.py, writers.py)."""

from __future__ import annotations

from pathlib import Path

from geoportal.municipalities.models import Municipality
from layers.exporting.formats import FORMATS, ExportFormat, download_responses
from layers.exporting.source import Chunk, Column, Source, layer_source
from layers.exporting.writers import SHAPEFILE_NAMES, stream, write_file, write_files


def export_layer(layer: str, path: Path, fmt: str, municipality: Municipality | None = None) -> int:
    """Write the layer to `path` in the format; return the number of features."""
    return write_file(layer_source(layer, municipality), path, fmt)


__all__ = [
    "FORMATS", "SHAPEFILE_NAMES", "Chunk", "Column", "ExportFormat", "Source",
    "download_responses", "export_layer", "layer_source", "stream", "write_file", "write_files",
]  # fmt: skip
