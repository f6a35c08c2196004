"""Restoring a backup: check the folder against its manifest, load and verify a copy of
the database beside the target and stage the media, then switch both at once. Until the
switch nothing of the target (database or media) changes; on any failure or interruption
before it, the copies are removed and the message says which step failed."""

from __future__ import annotations

from pathlib import Path

from geoportal.core.backup.database import Database
from geoportal.core.backup.in_place import InPlaceSwitch
from geoportal.core.backup.manifest import Manifest, check
from geoportal.core.backup.media import MediaTarget
from geoportal.core.backup.progress import BackupError, Log
from geoportal.core.backup.renaming import RenameSwitch
from geoportal.core.backup.switching import Switch


def restore(
    source: Path, database: Database, media: MediaTarget, *, replace: bool, log: Log = print
) -> Manifest:
    """Put the backup in `source` in place of `database` and `media`. A target that holds
    anything is refused unless `replace` (the command's --yes)."""
    switch = open_switch(database, log)
    try:
        held, files = switch.contents(), media.count()
        if (held or files) and not replace:
            raise BackupError(_not_empty(database, held, media, files))
        manifest = check(source, log)
        switch.clear_leftovers(log)
        media.clear_leftovers(log)
        try:
            switch.load(source, manifest, log)
            media.stage(manifest, source, log)
            switch.commit(media.swap, media.unswap, log)
        except BaseException:
            media.discard()
            switch.abandon(log)
            raise
        media.finish()
        switch.finish(log)
    finally:
        switch.close()
    missing = manifest.missing_media
    if missing:
        log(f"media: {len(missing):,} files the database refers to were already missing "
            f"when the backup was taken: {', '.join(missing[:5])}")  # fmt: skip
    rows = sum(table.rows for table in manifest.tables.values())
    log(f"Restored {rows:,} rows in {len(manifest.tables)} tables and "
        f"{len(manifest.media):,} media files from {source}; every table's rows and sum "
        "match the manifest.")  # fmt: skip
    return manifest


def _not_empty(database: Database, held: list[str], media: MediaTarget, files: int) -> str:
    parts = []
    if held:
        named = ", ".join(held[:3]) + (", ..." if len(held) > 3 else "")
        parts.append(f"{database.describe()} holds {len(held):,} tables, views or sequences "
                     f"({named})")  # fmt: skip
    if files:
        parts.append(f"the {media.describe()} holds {files:,} files")
    return (
        f"The target is not empty: {' and '.join(parts)}. A restore replaces them; add --yes "
        "to go on."
    )


def open_switch(database: Database, log: Log) -> Switch:
    """The rename switch when this user may use it, else the one-transaction one."""
    renaming = RenameSwitch.open(database)
    if isinstance(renaming, RenameSwitch):
        return renaming
    log(f"database: {renaming}; {database.name} is replaced in one transaction instead, "
        "verified before it commits")  # fmt: skip
    return InPlaceSwitch.open(database)
