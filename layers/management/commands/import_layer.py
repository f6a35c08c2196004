"""Import a GIS file into a layer of a hromada."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from geoportal.core.spreadsheet import csv_text
from geoportal.municipalities.models import Municipality
from layers.importing import ImportOptions, ImportReport, import_file
from layers.registry import LAYERS


class Command(BaseCommand):
    help = (
        "Import features into a layer (maf, advertising, land, zoning) from any file GDAL reads: "
        "GeoPackage, Shapefile (also zipped), GeoJSON, KML, CSV with a WKT column or lon/lat "
        "columns. The whole file is checked first; nothing is written if any row is bad, unless "
        "--skip-bad-rows. Rows are matched to stored features by their natural key (cadastral, "
        "permit or passport number, zone code)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("layer", choices=sorted(LAYERS), help="The layer to import into.")
        parser.add_argument("path", type=Path, help="The file to import.")
        parser.add_argument(
            "--municipality", required=True, help="Slug of the hromada, e.g. pokrovsk."
        )
        parser.add_argument(
            "--srid",
            help="The coordinates' coordinate system when the file declares none, a wrong one "
            "or one without a datum shift: an EPSG code (6385 UCS-2000 / Ukraine TM zone 11, "
            "28406 Pulkovo 1942 / GK zone 6), a WKT or a PROJ string (with +towgs84=... for "
            "SK-63 and other local systems).",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="Take FIELD from COLUMN of the file; repeat for more fields.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report only.")
        parser.add_argument(
            "--update-existing",
            action="store_true",
            help="Update features whose key is already stored (otherwise that is an error).",
        )
        parser.add_argument(
            "--confirm-moves",
            action="store_true",
            help="Write updates that move a stored feature by more than "
            "LAYER_IMPORT_MOVE_TOLERANCE_CM (otherwise each such row is an error).",
        )
        parser.add_argument(
            "--make-valid", action="store_true", help="Repair invalid geometry instead of refusing."
        )
        parser.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="Write the good rows and report the bad ones (otherwise nothing is written).",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="The person who imports: their name goes into the import run and every "
            "history row it writes. Required unless --dry-run; they must be allowed to edit "
            "the layer in this hromada.",
        )
        parser.add_argument(
            "--report",
            type=Path,
            metavar="FILE.csv",
            help="Also write every problem and warning (row, field, reason) to this CSV.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with slug {options['municipality']!r}.")
        user = _importer(options["user"], options["layer"], municipality, options["dry_run"])
        mapping = {}
        for item in options["map"]:
            field, sep, column = item.partition("=")
            if not sep or not field or not column:
                raise CommandError(f"--map {item!r}: write it as FIELD=COLUMN.")
            mapping[field.strip()] = column.strip()

        started = time.monotonic()
        report = import_file(
            options["path"],
            ImportOptions(
                layer=options["layer"],
                municipality=municipality,
                srid=options["srid"],
                mapping=mapping,
                dry_run=options["dry_run"],
                update_existing=options["update_existing"],
                confirm_moves=options["confirm_moves"],
                make_valid=options["make_valid"],
                skip_bad_rows=options["skip_bad_rows"],
                progress=_Progress(self.stderr),
                user=user,
                entry="command",
            ),
        )
        elapsed = time.monotonic() - started
        self._columns(report)
        for severity, row, field, reason in report.rows():
            where = "file" if row == 0 else f"row {row}"
            self.stderr.write(f"{where}, {field}: {reason}" + (
                "" if severity == "error" else " (warning)"))  # fmt: skip
        for severity, field, kind, count in report.summary():
            self.stderr.write(f"  {count} × {severity}, {field}: {kind}")
        if options["report"] is not None:
            header: list[tuple[str, str | int, str, str]] = [("severity", "row", "field", "reason")]
            options["report"].write_text(csv_text([*header, *report.rows()]), encoding="utf-8")
            self.stderr.write(f"The full list is in {options['report']}.")
        summary = _summary(report, elapsed, options["dry_run"])
        if (
            report.errors
            and not report.written
            and not (options["dry_run"] and options["skip_bad_rows"])
        ):
            raise CommandError(f"Nothing was written. {summary}")
        self.stdout.write(summary)

    def _columns(self, report: ImportReport) -> None:
        """Which column fed which field, and which columns were kept as attributes."""
        if report.columns:
            used = ", ".join(f"{name} ← {column}" for name, column in report.columns.items())
            self.stdout.write(f"Columns: {used}.")
        if report.kept:
            self.stdout.write(
                f"Kept in each feature's attributes (no field takes them): "
                f"{', '.join(report.kept)}."
            )


def _importer(username: str | None, layer: str, municipality: Municipality, dry_run: bool) -> Any:
    """The person --user names, allowed to edit the layer in the hromada; None for a check."""
    if not username:
        if dry_run:
            return None
        raise CommandError(
            "--user: name the person who imports (their name goes into the history of every "
            "feature written); it is required unless --dry-run."
        )
    user = get_user_model()._default_manager.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"--user {username!r}: no active user of that name.")
    model = LAYERS[layer].model._meta.model_name
    allowed = user.has_perm(f"layers.change_{model}") and user.has_perm(f"layers.add_{model}")
    theirs = Municipality.objects.staffed_by(user).filter(pk=municipality.pk).exists()
    if not (allowed and theirs):
        raise CommandError(
            f"--user {username!r} may not edit the {layer} layer of {municipality.slug}."
        )
    return user


def _summary(report: ImportReport, elapsed: float, dry_run: bool) -> str:
    verb = "would be" if dry_run else "were"
    text = (
        f"{report.total} rows: {report.created} {verb} created, {report.updated} {verb} updated, "
        f"{report.unchanged} unchanged, {report.skipped} skipped"
    )
    if report.errors:
        text += f"; {len(report.errors)} problem(s) in {report.bad_rows or 'the'} row(s)"
    if report.warnings:
        text += f"; {len(report.warnings)} warning(s)"
    return f"{text} ({elapsed:.1f} s)."


class _Progress:
    """Prints every 10 % of a large file, so a long import shows it is alive."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        if total < 5000:
            return
        tenth = done * 10 // total
        if tenth != self.shown:
            self.shown = tenth
            self.stream.write(f"  {done}/{total} rows ({tenth * 10} %)")
            if hasattr(self.stream, "flush"):
                self.stream.flush()
            else:  # pragma: no cover
                sys.stderr.flush()
