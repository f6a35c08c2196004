"""An ImportRun for every import: opened before the file is read (its number is the change
reason of every history row the import writes), closed with the counts and the report."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone

from layers.models import ImportRun

if TYPE_CHECKING:
    from layers.importing.engine import ImportOptions
    from layers.importing.report import ImportReport


def start(path: Path, options: ImportOptions) -> ImportRun:
    digest, size = hashlib.sha256(), 0
    if path.is_file():
        with path.open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
                size += len(chunk)
    return ImportRun.objects.create(
        municipality=options.municipality,
        layer=options.layer,
        user=options.user if getattr(options.user, "pk", None) else None,
        entry=options.entry,
        file_name=(options.file_name or path.name)[:255],
        file_sha256=digest.hexdigest(),
        file_size=size,
        options={
            "srid": options.srid,
            "mapping": options.mapping,
            "dry_run": options.dry_run,
            "update_existing": options.update_existing,
            "confirm_moves": options.confirm_moves,
            "make_valid": options.make_valid,
            "skip_bad_rows": options.skip_bad_rows,
        },
        status=ImportRun.Status.CHECKED,
    )


def finish(run: ImportRun, report: ImportReport) -> None:
    if report.written:
        run.status = ImportRun.Status.WRITTEN
    elif report.errors:
        run.status = ImportRun.Status.REFUSED
    else:
        run.status = ImportRun.Status.CHECKED
    run.finished_at = timezone.now()
    run.total, run.created, run.updated = report.total, report.created, report.updated
    run.unchanged, run.skipped = report.unchanged, report.skipped
    run.error_count, run.warning_count = len(report.errors), len(report.warnings)
    run.report = {"columns": report.columns, "kept": report.kept,
                  "rows": [list(row) for row in report.rows()]}  # fmt: skip
    run.save()
