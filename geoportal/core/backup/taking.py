"""Taking a backup: the row counts, row sums, list of referenced files and pg_dump's dump
all come from one exported snapshot, so the manifest describes exactly what was dumped
even while the site keeps writing."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from django.core.files.storage import FileSystemStorage, Storage

from geoportal.core.backup.database import (
    Database,
    census,
    file_references,
    run_tool,
    server_versions,
    tool,
)
from geoportal.core.backup.manifest import DUMP, MEDIA, Manifest, sha256
from geoportal.core.backup.media import copy_out
from geoportal.core.backup.progress import BackupError, Log, Progress


def backup(target: Path, database: Database, storage: Storage, log: Log = print) -> Manifest:
    """Write database.dump, media/ and manifest.json into `target` (new or empty); on any
    failure or interruption remove what was written, so no half backup is left."""
    created = _prepare(target, storage)
    try:
        return _take(target, database, storage, log)
    except BaseException:
        _remove(target, created)
        raise


def _prepare(target: Path, storage: Storage) -> bool:
    if isinstance(storage, FileSystemStorage):
        media = Path(storage.location).resolve()
        if target.resolve().is_relative_to(media):
            raise BackupError(f"{target}: inside the media folder {media}, the backup would "
                              "copy itself; give a folder outside it.")  # fmt: skip
    if target.exists():
        if not target.is_dir():
            raise BackupError(f"{target}: not a folder.")
        if any(target.iterdir()):
            raise BackupError(f"{target}: the folder is not empty; give a new one.")
        return False
    target.mkdir(parents=True)
    return True


def _remove(target: Path, created: bool) -> None:
    if created:
        shutil.rmtree(target, ignore_errors=True)
        return
    for entry in target.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _take(target: Path, database: Database, storage: Storage, log: Log) -> Manifest:
    (target / MEDIA).mkdir()
    dump = target / DUMP
    with database.connect() as connection:
        # SERIALIZABLE READ ONLY DEFERRABLE waits for a snapshot that no running
        # serializable writer can still invalidate; the transaction stays open until
        # pg_dump has read everything through that same exported snapshot.
        connection.isolation_level = psycopg.IsolationLevel.SERIALIZABLE
        connection.read_only = True
        connection.deferrable = True
        row = connection.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        snapshot = str(row[0])
        log(f"database: snapshot {snapshot} of {database.describe()}")
        server = server_versions(connection)
        tables = census(connection, log)
        referenced = file_references(connection)
        log(f"database: pg_dump through snapshot {snapshot} …")
        progress = Progress(log, "database: dumping table", len(tables))
        dumped = 0

        def on_line(line: str) -> None:
            nonlocal dumped
            if "dumping contents of table" in line and dumped < len(tables):
                dumped += 1
                progress.step(dumped, line.rsplit(" ", 1)[-1].strip('"'))

        run_tool(
            [tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", "--verbose",
             f"--file={dump}", f"--dbname={database.conninfo}"],
            database, on_line,
        )  # fmt: skip
        connection.rollback()
    # After the snapshot: a photo is stored before the row naming it commits, so every
    # file the snapshot refers to is already in the storage (unless deleted since).
    files = copy_out(storage, target / MEDIA, log)
    missing = sorted(referenced - set(files))
    if missing:
        log(f"media: warning: {len(missing):,} files the database refers to are not in the "
            f"storage (listed in the manifest): {', '.join(missing[:5])}")  # fmt: skip
    os.sync()  # the copies on disk before the manifest says they are there
    manifest = Manifest(
        tables=tables,
        media=files,
        dump_sha256=sha256(dump),
        dump_bytes=dump.stat().st_size,
        missing_media=missing,
        created_at=datetime.now(UTC).isoformat(),
        snapshot=snapshot,
        server=server,
    )
    manifest.write(target)
    rows = sum(table.rows for table in tables.values())
    log(f"Backed up {rows:,} rows in {len(tables)} tables and {len(files):,} media files "
        f"to {target}.")  # fmt: skip
    return manifest
