"""The import engine: check every row of a file, then write them all in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.db import transaction

from geoportal.municipalities.models import Municipality
from layers.geometry import check_geometry, grown_area
from layers.importing.columns import convert, importable_fields, is_blank, resolve_columns
from layers.importing.reader import FileReadError, read_frame
from layers.importing.writer import write_features
from layers.models import LayerFeature, LayerPassport
from layers.registry import LayerSpec, get_layer

PROGRESS_EVERY = 1000
_TYPE_IDS = {"Point": 0, "LineString": 1, "Polygon": 3, "MultiPoint": 4,
             "MultiLineString": 5, "MultiPolygon": 6}  # shapely.get_type_id  # fmt: skip


@dataclass
class ImportOptions:
    layer: str
    municipality: Municipality
    srid: int | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # model field -> file column
    dry_run: bool = False
    update_existing: bool = False
    make_valid: bool = False
    skip_bad_rows: bool = False
    is_demo: bool = False
    user: Any = None
    progress: Callable[[int, int], None] | None = None  # (rows done, rows total)
    file_name: str = ""  # what messages call the file: the name it was uploaded under


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based feature number in the file; 0 for the file as a whole
    field: str
    reason: str

    def __str__(self) -> str:
        where = "file" if self.row == 0 else f"row {self.row}"
        return f"{where}, {self.field}: {self.reason}"


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    columns: dict[str, str] = field(default_factory=dict)  # field -> column used

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors if e.row})


def import_file(path: Path, options: ImportOptions) -> ImportReport:
    """Check the whole file; write it (or, with skip_bad_rows, its good rows) at once."""
    spec = get_layer(options.layer)
    report = ImportReport()
    try:
        frame = read_frame(path, options.srid, options.file_name)
        columns = [c for c in frame.columns if c != frame.geometry.name]
        report.columns = resolve_columns(options.layer, spec.model, columns, options.mapping)
    except (FileReadError, ValueError) as exc:
        report.errors.append(RowError(0, "file", str(exc)))
        return report
    if spec.natural_key not in report.columns and spec.kind.value in {"land", "zoning"}:
        report.errors.append(
            RowError(
                0,
                spec.natural_key,
                f"no column for {spec.natural_key}; name it with --map {spec.natural_key}=COLUMN.",
            )
        )
        return report

    report.total = len(frame)
    checker = _RowChecker(spec, options, report.columns)
    good: list[LayerFeature] = []
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    geometries = np.asarray(frame.geometry.array)
    ready = checker.ready_geometries(geometries)
    for number, (record, geometry, hexed) in enumerate(
        zip(records, geometries, ready, strict=True), 1
    ):
        row_errors, instance = checker.check(number, record, hexed or geometry)
        if row_errors:
            report.errors.extend(row_errors)
        elif instance is not None:
            good.append(instance)
        if options.progress and number % PROGRESS_EVERY == 0:
            options.progress(number, report.total)
    report.errors.extend(checker.key_conflicts(good))
    bad = {e.row for e in report.errors}
    good = [g for g in good if checker.row_of[id(g)] not in bad]

    if report.errors and not options.skip_bad_rows:
        return report
    report.skipped = report.total - len(good)
    if options.dry_run:
        report.created = sum(1 for g in good if g.pk is None)
        report.updated = len(good) - report.created
        return report
    _write(spec, options, good, report)
    return report


class _RowChecker:
    """Turns one row into an unsaved model instance, or into the reasons it cannot be one."""

    def __init__(self, spec: LayerSpec, options: ImportOptions, columns: dict[str, str]):
        self.spec = spec
        self.options = options
        self.columns = columns
        self.fields = importable_fields(spec.model)
        municipality = options.municipality
        grown = grown_area(municipality.boundary, municipality.layer_boundary_tolerance_m)
        self.area = grown.prepared
        self.shapely_area = shapely.from_wkb(bytes(grown.wkb))
        shapely.prepare(self.shapely_area)
        self.polygonal = (
            "MultiPolygon" in spec.geometry_types and "Point" not in spec.geometry_types
        )
        self.row_of: dict[int, int] = {}
        self.first_row_of_key: dict[str, int] = {}

    def check(
        self, number: int, record: dict[str, Any], geometry: Any
    ) -> tuple[list[RowError], LayerFeature | None]:
        errors: list[RowError] = []
        values: dict[str, Any] = {}
        for name, column in self.columns.items():
            try:
                values[name] = convert(self.spec.kind.value, self.fields[name], record[column])
            except ValidationError as exc:
                reason = " ".join(exc.messages)
                if column != name:
                    reason += f" (column {column})"
                errors.append(RowError(number, name, reason))
        key = values.get(self.spec.natural_key)
        key_required = self.spec.kind.value in {"land", "zoning"}
        already_named = any(e.field == self.spec.natural_key for e in errors)
        if key_required and is_blank(key) and not already_named:
            errors.append(RowError(number, self.spec.natural_key, "is required."))
        if key:
            first = self.first_row_of_key.setdefault(str(key), number)
            if first != number:
                errors.append(
                    RowError(number, self.spec.natural_key, f"{key} is also on row {first}.")
                )
        try:
            values["geometry"] = self._geometry(geometry)
        except ValidationError as exc:
            errors.append(RowError(number, "geometry", " ".join(exc.messages)))
        if errors:
            return errors, None
        instance = self.spec.model(
            municipality=self.options.municipality, is_demo=self.options.is_demo, **values
        )
        rule_errors = instance.rule_errors()
        if rule_errors:
            return [RowError(number, f, msg) for f, msg in rule_errors.items()], None
        self.row_of[id(instance)] = number
        return [], instance

    def ready_geometries(self, geometries: np.ndarray[Any, Any]) -> list[str | None]:
        """Hex EWKB of every geometry that passes all checks as it is, found for the whole
        file at once by shapely (GEOS in C loops); None for the rest, which the row check
        looks at one by one to say what is wrong or to repair it."""
        flat = shapely.force_2d(geometries)
        names = np.asarray(shapely.get_type_id(flat))
        allowed = [_TYPE_IDS[t] for t in self.spec.geometry_types if t in _TYPE_IDS]
        fine = ~shapely.is_missing(flat) & ~shapely.is_empty(flat) & np.isin(names, allowed)
        fine &= shapely.is_valid(flat) & shapely.covers(self.shapely_area, flat)
        if self.polygonal:  # the layer stores MultiPolygons
            polygons = fine & (names == _TYPE_IDS["Polygon"])
            count = int(polygons.sum())
            flat[polygons] = shapely.multipolygons(flat[polygons], indices=np.arange(count))
        hexed = shapely.to_wkb(shapely.set_srid(flat, 4326), hex=True, include_srid=True)
        return [h if ok else None for h, ok in zip(hexed.tolist(), fine.tolist(), strict=True)]

    def _geometry(self, geometry: Any) -> GEOSGeometry | str:
        if isinstance(geometry, str):
            # Hex EWKB already checked by ready_geometries: the model stores it unparsed,
            # as GeoDjango allows, and the writer copies it as it is.
            return geometry
        if geometry is None or shapely.is_empty(geometry):
            raise ValidationError("The geometry is empty.")
        geos = GEOSGeometry(memoryview(shapely.to_wkb(geometry, output_dimension=2)), srid=4326)
        geos = check_geometry(
            geos, self.spec.geometry_types, self.area, make_valid=self.options.make_valid
        )
        if self.polygonal and isinstance(geos, Polygon):
            geos = MultiPolygon(geos, srid=4326)
        return geos

    def key_conflicts(self, instances: list[LayerFeature]) -> list[RowError]:
        """Match rows to stored features by natural key (one query) and set their pk."""
        key = self.spec.natural_key
        by_key = {getattr(i, key): i for i in instances if getattr(i, key)}
        if not by_key:
            return []
        stored = self.spec.model._default_manager.filter(**{f"{key}__in": list(by_key)})
        if self.spec.key_per_municipality:
            stored = stored.filter(municipality=self.options.municipality)
        errors = []
        for pk, value, municipality_id, created_at in stored.values_list(
            "pk", key, "municipality_id", "created_at"
        ):
            instance = by_key[value]
            row = self.row_of[id(instance)]
            if municipality_id != self.options.municipality.pk:
                errors.append(RowError(row, key, f"{value} belongs to another municipality."))
            elif not self.options.update_existing:
                errors.append(
                    RowError(
                        row, key, f"{value} already exists; use --update-existing to update it."
                    )
                )
            else:
                instance.pk = pk
                instance.created_at = created_at
        return errors


def _write(
    spec: LayerSpec,
    options: ImportOptions,
    good: list[LayerFeature],
    report: ImportReport,
) -> None:
    user_id = getattr(options.user, "pk", None)
    with transaction.atomic():
        fields = [*report.columns, "geometry", "is_demo"]
        created, updated = write_features(spec.model, good, user_id, fields)
        if good:
            LayerPassport.touch(options.municipality.pk, spec.kind.value)
    if options.progress:
        options.progress(len(good), len(good))
    report.created, report.updated, report.written = created, updated, bool(good)
