"""The import engine: check every row of a file, then write them all in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.contrib.gis.db.models.functions import AsWKB
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import JSONField
from django.db.models.base import ModelState
from django.db.models.expressions import DatabaseDefault, RawSQL
from django.utils.translation import gettext as _

from geoportal.municipalities.models import Municipality
from layers.geometry import check_geometry, grown_area
from layers.importing import runs, vectors
from layers.importing.columns import (
    cell,
    convert,
    importable_fields,
    is_blank,
    jsonable,
    resolve_columns,
)
from layers.importing.moves import moved_metres
from layers.importing.reader import FileReadError, read_frame
from layers.importing.report import ImportReport, RowError
from layers.importing.writer import write_features
from layers.models import LayerFeature, LayerPassport
from layers.registry import LayerSpec, get_layer
from layers.validation import is_open_purpose_code, normalise_purpose_code

PROGRESS_EVERY = 1000
_TYPE_IDS = {"Point": 0, "LineString": 1, "Polygon": 3, "MultiPoint": 4,
             "MultiLineString": 5, "MultiPolygon": 6}  # shapely.get_type_id  # fmt: skip


@dataclass
class ImportOptions:
    layer: str
    municipality: Municipality
    srid: int | str | None = None  # EPSG code, WKT or PROJ string (overrides the file's)
    mapping: dict[str, str] = field(default_factory=dict)  # model field -> file column
    dry_run: bool = False
    update_existing: bool = False
    confirm_moves: bool = False  # write updates that move a feature beyond the tolerance
    make_valid: bool = False
    skip_bad_rows: bool = False
    is_demo: bool = False
    user: Any = None
    progress: Callable[[int, int], None] | None = None  # (rows done, rows total)
    file_name: str = ""  # what messages call the file: the name it was uploaded under
    entry: str = "command"  # ImportRun.Entry: the command, the upload page, the demo loader


def import_file(path: Path, options: ImportOptions) -> ImportReport:
    """Check the whole file; write it (or, with skip_bad_rows, its good rows) at once.
    Every import is kept as an ImportRun, its number the reason of the history it writes."""
    run = runs.start(path, options)
    report = ImportReport(run_id=run.pk)
    try:
        _import(path, options, report, run.change_reason)
    finally:
        runs.finish(run, report)
    return report


def _import(path: Path, options: ImportOptions, report: ImportReport, reason: str) -> None:
    spec = get_layer(options.layer)
    try:
        frame = read_frame(path, options.srid, options.file_name)
        columns = [c for c in frame.columns if c != frame.geometry.name]
        report.columns = resolve_columns(options.layer, spec.model, columns, options.mapping)
    except (FileReadError, ValueError) as exc:
        report.errors.append(RowError(0, "file", str(exc)))
        return
    if spec.natural_key not in report.columns and spec.kind.value in {"land", "zoning"}:
        report.errors.append(
            RowError(
                0,
                spec.natural_key,
                f"no column for {spec.natural_key}; name it with --map {spec.natural_key}=COLUMN.",
            )
        )
        return

    report.total = len(frame)
    used = set(report.columns.values())
    report.kept = [c for c in columns if c not in used]
    checker = _RowChecker(spec, options, report.columns, report.kept)
    errors, good = checker.check_frame(frame)
    report.errors.extend(errors)
    report.errors.extend(checker.key_conflicts(good))
    report.warnings.extend(checker.warnings)
    bad = {e.row for e in report.errors}
    good = [g for g in good if checker.row_of[id(g)] not in bad]

    if report.errors and not options.skip_bad_rows:
        return
    report.skipped = report.total - len(good)
    if options.dry_run:
        report.created = sum(1 for g in good if g.pk is None)
        report.updated = len(good) - report.created
        return
    _write(spec, options, good, report, reason)


def _default(field: Any) -> Any:
    """The field's default as a value: a database-only default (db_default) by its value."""
    value = field.get_default()
    if isinstance(value, DatabaseDefault):
        return getattr(field.db_default, "value", None)
    return value


class _RowChecker:
    """Turns one row into an unsaved model instance, or into the reasons it cannot be one."""

    def __init__(
        self, spec: LayerSpec, options: ImportOptions, columns: dict[str, str], kept: list[str]
    ):
        self.spec = spec
        self.options = options
        self.columns = columns
        self.kept = kept
        self.fields = importable_fields(spec.model)
        self.warnings: list[RowError] = []
        concrete = [f for f in spec.model._meta.concrete_fields if f.attname]
        self.fresh_defaults = {f.attname: f for f in concrete if isinstance(f, JSONField)}
        self.defaults = {f.attname: _default(f) for f in concrete
                         if f.attname not in self.fresh_defaults}  # fmt: skip
        self.defaults.update({"id": None, "municipality_id": options.municipality.pk,
                              "is_demo": options.is_demo})  # fmt: skip
        municipality = options.municipality
        grown = grown_area(municipality.boundary, municipality.layer_boundary_tolerance_m)
        self.area = grown.prepared
        self.shapely_area = shapely.from_wkb(bytes(grown.wkb))
        shapely.prepare(self.shapely_area)
        self.polygonal = (
            "MultiPolygon" in spec.geometry_types and "Point" not in spec.geometry_types
        )
        self.row_of: dict[int, int] = {}

    def check_frame(self, frame: Any) -> tuple[list[RowError], list[LayerFeature]]:
        """Every row of the frame checked, column by column: the errors in row order (a
        row's own in the order of its fields, its key, its geometry, its rules), and an
        unsaved feature of each row without one."""
        problems: dict[int, list[RowError]] = {}  # row number → its errors, in that order
        values: dict[str, list[Any]] = {}
        for name, column in self.columns.items():
            if name == "purpose_code" and self.spec.kind.value == "land":
                self._purpose_column(frame[column], values)
                continue
            converted = self._column(name, frame[column])
            values[name] = converted.values
            for position, exc in converted.failed.items():
                reason = " ".join(exc.messages)
                if column != name:
                    reason += f" (column {column})"
                problems.setdefault(position + 1, []).append(RowError(position + 1, name, reason))
        self._check_keys(values.get(self.spec.natural_key), len(frame), problems)
        values["geometry"] = self._geometries(frame, problems)
        if self.kept:  # columns no field takes: kept as the file gave them
            values["attributes"] = self._attributes(frame)
        return self._instances(values, problems)

    def _column(self, name: str, series: Any) -> vectors.Column:
        kind, model_field = self.spec.kind.value, self.fields[name]

        def one(value: Any) -> Any:
            return convert(kind, model_field, value)

        if kind == "land" and name == "cadastral_number":
            return vectors.convert_cadastral_column(series, one)
        return vectors.convert_column(series, one)

    def _check_keys(
        self, keys: list[Any] | None, total: int, problems: dict[int, list[RowError]]
    ) -> None:
        """The natural key: required for land and zoning, once per file."""
        key_name = self.spec.natural_key
        required = self.spec.kind.value in {"land", "zoning"}
        first_row_of_key: dict[str, int] = {}
        for position in range(total):
            number = position + 1
            key = keys[position] if keys is not None else None
            named = any(e.field == key_name for e in problems.get(number, ()))
            if required and is_blank(key) and not named:
                problems.setdefault(number, []).append(RowError(number, key_name, "is required."))
            if key:
                first = first_row_of_key.setdefault(str(key), number)
                if first != number:
                    problems.setdefault(number, []).append(
                        RowError(number, key_name, f"{key} is also on row {first}.")
                    )

    def _geometries(self, frame: Any, problems: dict[int, list[RowError]]) -> list[Any]:
        """Each row's geometry as hex EWKB (checked for the whole file at once) or GEOS
        (the rest, checked one by one to say what is wrong or to repair it)."""
        geometries = np.asarray(frame.geometry.array)
        ready: list[Any] = list(self.ready_geometries(geometries))
        for position in [p for p, hexed in enumerate(ready) if hexed is None]:
            try:
                ready[position] = self._geometry(geometries[position])
            except ValidationError as exc:
                number = position + 1
                problems.setdefault(number, []).append(
                    RowError(number, "geometry", " ".join(exc.messages))
                )
        return ready

    def _attributes(self, frame: Any) -> list[dict[str, Any]]:
        columns = [vectors.convert_column(frame[c], jsonable).values for c in self.kept]
        return [{c: v for c, v in zip(self.kept, row, strict=True) if v is not None}
                for row in zip(*columns, strict=True)]  # fmt: skip

    def _instances(
        self, values: dict[str, list[Any]], problems: dict[int, list[RowError]]
    ) -> tuple[list[RowError], list[LayerFeature]]:
        good: list[LayerFeature] = []
        names = list(values)
        progress, total = self.options.progress, len(values["geometry"])
        for position, row in enumerate(zip(*values.values(), strict=True)):
            number = position + 1
            if progress and number % PROGRESS_EVERY == 0:
                progress(number, total)
            if number in problems:
                continue
            instance = self._instance(dict(zip(names, row, strict=True)))
            rule_errors = instance.rule_errors()
            if rule_errors:
                problems[number] = [RowError(number, f, msg) for f, msg in rule_errors.items()]
                continue
            self.row_of[id(instance)] = number
            good.append(instance)
        errors = [error for number in sorted(problems) for error in problems[number]]
        return errors, good

    def _instance(self, values: dict[str, Any]) -> LayerFeature:
        """An unsaved feature of the row, made without Model.__init__: its per-field work
        (descriptors, signals, defaults looked up anew) was a fifth of an import's time.
        The defaults are the fields' own, looked up once; JSON ones afresh per row."""
        instance = self.spec.model.__new__(self.spec.model)
        instance._state = ModelState()
        instance.__dict__.update(self.defaults)
        for attname, json_field in self.fresh_defaults.items():
            instance.__dict__[attname] = json_field.get_default()
        instance.__dict__.update(values)
        return instance

    def _purpose_column(self, series: Any, values: dict[str, list[Any]]) -> None:
        """Land purpose codes: each distinct cell read once (_purpose), its warning given
        for every row holding it."""
        read = vectors.convert_column(series, self._purpose).values
        values["purpose_code"] = [code for code, _source, _reason in read]
        values["purpose_code_source"] = [source for _code, source, _reason in read]
        self.warnings.extend(
            RowError(position + 1, "purpose_code", reason)
            for position, (_code, _source, reason) in enumerate(read)
            if reason
        )

    @staticmethod
    def _purpose(raw: object) -> tuple[str, str, str]:
        """(code, source, warning) of a purpose code cell. A code the cadastre left open
        ("Код не виокремлено", "-", empty) or wrote in no form of a КВЦПЗ code (32208): the
        plot is stored as not classified, what the file said is kept, and a warning says
        so. A real delivery is not refused for it."""
        problem = ""
        if not (is_blank(raw) or is_open_purpose_code(raw)):
            try:
                return normalise_purpose_code(raw), "", ""
            except ValidationError as exc:
                problem = " ".join(exc.messages)
        source = "" if is_blank(raw) else " ".join(str(raw).split())[:200]
        if not source:
            reason = _("is empty; the plot is stored as not classified.")
        elif problem:
            reason = _("%(problem)s The plot is stored as not classified, with this text "
                       "kept.") % {"problem": problem}  # fmt: skip
        else:
            reason = _("%(value)s: the cadastre gives no code; the plot is stored as not "
                       "classified, with this text kept.") % {"value": cell(source)}  # fmt: skip
        return "", source, reason

    def ready_geometries(self, geometries: np.ndarray[Any, Any]) -> list[str | None]:
        """Hex EWKB of every geometry that passes all checks as it is, found for the whole
        file at once by shapely (GEOS in C loops); None for the rest, which the row check
        looks at one by one to say what is wrong or to repair it."""
        has_z = bool(shapely.has_z(geometries).any())
        flat = shapely.force_2d(geometries) if has_z else geometries.copy()
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
        # One array parameter, not 100,000: building and sending an IN list of that many
        # took a second and a half of an import.
        keys = RawSQL("SELECT unnest(%s::text[])", [[str(k) for k in by_key]])
        stored = self.spec.model._default_manager.filter(**{f"{key}__in": keys})
        if self.spec.key_per_municipality:
            stored = stored.filter(municipality=self.options.municipality)
        errors: list[RowError] = []
        updates: list[tuple[LayerFeature, bytes]] = []
        rows = stored.annotate(stored_wkb=AsWKB("geometry")).values_list(
            "pk", key, "municipality_id", "created_at", "stored_wkb"
        )
        for pk, value, municipality_id, created_at, stored_wkb in rows:
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
                updates.append((instance, stored_wkb))
        return errors + self._moves(updates)

    def _moves(self, updates: list[tuple[LayerFeature, bytes]]) -> list[RowError]:
        """An update that moves a feature more than LAYER_IMPORT_MOVE_TOLERANCE_CM is an
        error until the move is confirmed, then a warning: either way it is reported."""
        limit = settings.LAYER_IMPORT_MOVE_TOLERANCE_CM / 100
        new = [i.geometry for i, _s in updates]  # type: ignore[attr-defined]
        distances = moved_metres([s for _i, s in updates], new)
        errors = []
        for (instance, _stored), metres in zip(updates, distances, strict=True):
            if metres <= limit:
                continue
            row = self.row_of[id(instance)]
            if self.options.confirm_moves:
                self.warnings.append(RowError(row, "geometry", _(
                    "moves %(metres).1f m from the stored boundary (confirmed).")
                    % {"metres": metres}))  # fmt: skip
            else:
                errors.append(RowError(row, "geometry", _(
                    "moves %(metres).1f m from the stored boundary (more than %(limit)s m): "
                    "check the file's coordinate system, or confirm the move.")
                    % {"metres": metres, "limit": f"{limit:g}"}))  # fmt: skip
        return errors


def _write(
    spec: LayerSpec,
    options: ImportOptions,
    good: list[LayerFeature],
    report: ImportReport,
    reason: str,
) -> None:
    user_id = getattr(options.user, "pk", None)
    fields = [*report.columns, "geometry", "is_demo"]
    if report.kept:
        fields.append("attributes")
    if "purpose_code" in report.columns and spec.kind.value == "land":
        fields.append("purpose_code_source")
    with transaction.atomic():
        created, updated = write_features(spec.model, good, user_id, fields, reason)
        if created or updated:
            LayerPassport.touch(options.municipality.pk, spec.kind.value)
    if options.progress:
        options.progress(len(good), len(good))
    report.created, report.updated = created, updated
    report.unchanged = sum(1 for g in good if g.pk is not None) - updated
    report.written = bool(created or updated)
