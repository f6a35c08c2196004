"""Backups: the database through pg_dump and the media (photos) through the storage, with
a manifest of row counts and SHA-256 sums; a restore checks every sum before it changes
anything and the row counts after.

A backup folder holds `database.dump` (pg_dump's custom format), `media/` and
`manifest.json`. Restoring runs pg_restore in one transaction: it lands whole or not at
all.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from django.core.files.base import File
from django.core.files.storage import Storage
from psycopg.conninfo import make_conninfo

from geoportal.core.embedded_db import PG_BIN

DUMP = "database.dump"
MEDIA = "media"
MANIFEST = "manifest.json"
CHUNK = 1 << 20

Log = Callable[[str], object]


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says which file and why."""


@dataclass(frozen=True)
class Database:
    """Where a database is, as libpq takes it (from Django's settings or a URL)."""

    conninfo: str
    env: dict[str, str]

    @classmethod
    def from_settings(cls, config: dict[str, Any]) -> Database:
        parts = {
            "dbname": config["NAME"],
            "user": config.get("USER") or "",
            "host": config.get("HOST") or "",
            "port": str(config.get("PORT") or ""),
        }
        conninfo = " ".join(f"{key}={value}" for key, value in parts.items() if value)
        env = {"PGPASSWORD": config.get("PASSWORD") or ""}
        return cls(conninfo, env)

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls("postgresql://" + url.split("://", 1)[1], {})


def _tool(name: str) -> str:
    """pg_dump/pg_restore of the server's major version (Debian's), else the one on PATH."""
    local = PG_BIN / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client).")
    return found


def _run(args: list[str], database: Database) -> None:
    env = {**os.environ, **database.env}
    # The arguments are this module's own: the tool, options and paths, no shell.
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def row_counts(database: Database) -> dict[str, int]:
    """Rows of every table of the public schema."""
    with psycopg.connect(make_conninfo(database.conninfo, **_password(database))) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts = {}
        for table in tables:
            query = psycopg.sql.SQL("SELECT count(*) FROM {}").format(psycopg.sql.Identifier(table))
            row = connection.execute(query).fetchone()
            counts[table] = int(row[0]) if row else 0
    return counts


def _password(database: Database) -> dict[str, str]:
    password = database.env.get("PGPASSWORD")
    return {"password": password} if password else {}


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


def backup(target: Path, database: Database, storage: Storage, log: Log = print) -> dict[str, Any]:
    """Write database.dump, media/ and manifest.json into `target` (new or empty)."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target}: the folder is not empty; give a new one.")
    (target / MEDIA).mkdir(parents=True, exist_ok=True)
    log("database: pg_dump …")
    _run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            f"--file={target / DUMP}",
            f"--dbname={database.conninfo}",
        ],
        database,
    )
    counts = row_counts(database)
    files: dict[str, str] = {}
    names = list(_walk(storage)) if _has_root(storage) else []
    for number, name in enumerate(names, 1):
        copy = target / MEDIA / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, copy.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        files[name] = sha256(copy)
        if number % 500 == 0 or number == len(names):
            log(f"media: {number:,}/{len(names):,} files")
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "database": {"file": DUMP, "sha256": sha256(target / DUMP), "rows": counts},
        "media": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    log(
        f"Backed up {sum(counts.values()):,} rows in {len(counts)} tables and "
        f"{len(files):,} media files to {target}."
    )
    return manifest


def _has_root(storage: Storage) -> bool:
    try:
        storage.listdir("")
    except FileNotFoundError:
        return False
    return True


def check(source: Path) -> dict[str, Any]:
    """The manifest, once every file it names is present with its sum; else BackupError."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source / MANIFEST}: missing; is this a backup folder?") from None
    except ValueError as exc:
        raise BackupError(f"{source / MANIFEST}: not valid JSON ({exc}).") from None
    wanted = {DUMP: manifest["database"]["sha256"]}
    wanted.update({f"{MEDIA}/{name}": digest for name, digest in manifest["media"].items()})
    for name, digest in wanted.items():
        path = source / name
        if not path.is_file():
            raise BackupError(f"{path}: missing from the backup.")
        if sha256(path) != digest:
            raise BackupError(f"{path}: its SHA-256 differs from the manifest; damaged.")
    return manifest


def restore(source: Path, database: Database, storage: Storage, log: Log = print) -> None:
    """Check everything, then replace the database's contents and put the media back."""
    manifest = check(source)
    log("database: pg_restore in one transaction …")
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={database.conninfo}",
            str(source / DUMP),
        ],
        database,
    )
    counts = row_counts(database)
    expected = manifest["database"]["rows"]
    differ = {t: (n, counts.get(t)) for t, n in expected.items() if counts.get(t) != n}
    if differ:
        raise BackupError(f"row counts differ after the restore (table: expected, found): {differ}")
    media = manifest["media"]
    for number, name in enumerate(media, 1):
        if storage.exists(name):
            storage.delete(name)
        with (source / MEDIA / name).open("rb") as data:
            stored = storage.save(name, File(data))
        if stored != name:
            raise BackupError(f"{name}: the storage saved it as {stored}.")
        if number % 500 == 0 or number == len(media):
            log(f"media: {number:,}/{len(media):,} files")
    log(
        f"Restored {sum(counts.values()):,} rows in {len(counts)} tables and "
        f"{len(media):,} media files from {source}."
    )
