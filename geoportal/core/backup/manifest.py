"""What a backup folder claims (manifest.json) and the check that it holds exactly that.

A backup folder holds `database.dump` (pg_dump's custom format), `media/` and
`manifest.json`, written last: a folder without one is an unfinished backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from geoportal.core.backup.database import TableSum
from geoportal.core.backup.progress import BackupError, Log, Progress

FORMAT = 2
DUMP = "database.dump"
MEDIA = "media"
MANIFEST = "manifest.json"
CHUNK = 1 << 20
SHA256 = re.compile(r"[0-9a-f]{64}")
DECIMAL = re.compile(r"-?[0-9]+")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def safe_name(name: str) -> bool:
    """A media name that stays inside the media folder: relative, no `..`, no backslash."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = PurePosixPath(name).parts
    return all(part not in ("", ".", "..") for part in parts) and "/".join(parts) == name


@dataclass
class Manifest:
    tables: dict[str, TableSum]
    media: dict[str, str]  # name -> SHA-256
    dump_sha256: str = ""
    dump_bytes: int = 0
    # Files the database refers to that the storage no longer held at backup time.
    missing_media: list[str] = field(default_factory=list)
    created_at: str = ""
    snapshot: str = ""
    server: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> str:
        data = {
            "format": FORMAT,
            "created_at": self.created_at,
            "server": self.server,
            "snapshot": self.snapshot,
            "database": {
                "file": DUMP,
                "sha256": self.dump_sha256,
                "bytes": self.dump_bytes,
                "tables": {
                    name: {"rows": table.rows, "sum": table.sum}
                    for name, table in sorted(self.tables.items())
                },
            },
            "media": {"files": dict(sorted(self.media.items())), "missing": self.missing_media},
        }
        return json.dumps(data, indent=1, ensure_ascii=False)

    def write(self, folder: Path) -> None:
        """Written last and whole (a rename), so a manifest means a finished backup."""
        partial = folder / f".{MANIFEST}.partial"
        with partial.open("w") as out:
            out.write(self.as_json())
            out.flush()
            os.fsync(out.fileno())
        partial.replace(folder / MANIFEST)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise BackupError(
                f"{path}: missing; this is not a backup folder, or its backup did not finish."
            ) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise BackupError(f"{path}: not valid JSON ({exc}).") from None
        return _parse(data, path)


def _parse(data: Any, path: Path) -> Manifest:
    def bad(where: str, why: str) -> BackupError:
        return BackupError(f"{path}: {where} {why}.")

    if not isinstance(data, dict):
        raise bad("the top level", "is not an object")
    if data.get("format") != FORMAT:
        raise bad(
            "format",
            f"is {data.get('format')!r}, this version reads {FORMAT}; a backup written "
            "before format 2 took its row counts apart from its dump: restore it by hand "
            "with pg_restore",
        )
    database, media = data.get("database"), data.get("media")
    if not isinstance(database, dict) or not isinstance(media, dict):
        raise bad("database/media", "are missing")
    if database.get("file") != DUMP:
        raise bad("database.file", f"must be {DUMP}")
    if not isinstance(database.get("sha256"), str) or not SHA256.fullmatch(database["sha256"]):
        raise bad("database.sha256", "is not a SHA-256")
    tables: dict[str, TableSum] = {}
    raw_tables = database.get("tables")
    if not isinstance(raw_tables, dict):
        raise bad("database.tables", "is missing")
    for name, entry in raw_tables.items():
        rows = entry.get("rows") if isinstance(entry, dict) else None
        total = entry.get("sum") if isinstance(entry, dict) else None
        if "." not in name or not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
            raise bad(f"database.tables[{name!r}]", "needs a schema.table name and rows ≥ 0")
        if not isinstance(total, str) or not DECIMAL.fullmatch(total):
            raise bad(f"database.tables[{name!r}].sum", "is not a whole number")
        tables[name] = TableSum(rows, total)
    files, missing = media.get("files"), media.get("missing")
    if not isinstance(files, dict) or not isinstance(missing, list):
        raise bad("media.files/missing", "are missing")
    for name, digest in files.items():
        if not safe_name(name):
            raise bad(f"media.files[{name!r}]", "is not a plain relative path inside media/")
        if not isinstance(digest, str) or not SHA256.fullmatch(digest):
            raise bad(f"media.files[{name!r}]", "is not a SHA-256")
    if not all(isinstance(name, str) for name in missing):
        raise bad("media.missing", "must list names")
    return Manifest(
        tables=tables,
        media=files,
        dump_sha256=database["sha256"],
        dump_bytes=int(database.get("bytes") or 0),
        missing_media=missing,
        created_at=str(data.get("created_at", "")),
        snapshot=str(data.get("snapshot", "")),
        server={str(k): str(v) for k, v in (data.get("server") or {}).items()},
    )


def check(source: Path, log: Log = print) -> Manifest:
    """The manifest, once the folder holds every file it names with its SHA-256 and no
    file it does not name; else BackupError naming the first file that differs."""
    manifest = Manifest.read(source)
    dump = source / DUMP
    if not dump.is_file():
        raise BackupError(f"{dump}: missing from the backup.")
    log(f"check: {DUMP} ({dump.stat().st_size:,} bytes) …")
    if sha256(dump) != manifest.dump_sha256:
        raise BackupError(f"{dump}: its SHA-256 differs from the manifest; damaged.")
    media = source / MEDIA
    present = {
        path.relative_to(media).as_posix()
        for path in (media.rglob("*") if media.is_dir() else [])
        if not path.is_dir()
    }
    extra = sorted(present - set(manifest.media))
    if extra:
        raise BackupError(f"{media / extra[0]}: not in the manifest ({len(extra)} such files).")
    progress = Progress(log, "check: media files", len(manifest.media))
    for number, (name, digest) in enumerate(sorted(manifest.media.items()), 1):
        path = media / name
        if not path.is_file() or path.is_symlink():
            raise BackupError(f"{path}: missing from the backup.")
        if sha256(path) != digest:
            raise BackupError(f"{path}: its SHA-256 differs from the manifest; damaged.")
        progress.step(number)
    return manifest


def differences(expected: dict[str, TableSum], found: dict[str, TableSum]) -> list[str]:
    """Each table whose rows or sum differ, as `table: expected …, found …`."""
    lines = []
    for table in sorted(set(expected) | set(found)):
        want, got = expected.get(table), found.get(table)
        if want == got:
            continue
        said = "absent" if want is None else f"{want.rows:,} rows"
        seen = "absent" if got is None else f"{got.rows:,} rows"
        if want and got and want.rows == got.rows:
            said, seen = f"sum {want.sum}", f"sum {got.sum}"
        lines.append(f"{table}: manifest {said}, restored {seen}")
    return lines
