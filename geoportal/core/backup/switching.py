"""What both ways of putting a verified database in place of the target share: the
steps a restore drives (`Switch`), one restore per target at a time, pg_restore's progress.

`RenameSwitch` (renaming.py) is used whenever the user may create and rename databases,
`InPlaceSwitch` (in_place.py) for a target that cannot be renamed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import psycopg

from geoportal.core.backup.database import Database
from geoportal.core.backup.manifest import Manifest
from geoportal.core.backup.progress import BackupError, Log, Progress

Step = Callable[[], None]
LOCK_KEY = "geoportal-restore:"


class Switch(Protocol):
    database: Database

    def contents(self) -> list[str]: ...
    def clear_leftovers(self, log: Log) -> None: ...
    def load(self, source: Path, manifest: Manifest, log: Log) -> None: ...
    def commit(self, swap: Step, unswap: Step, log: Log) -> None: ...
    def abandon(self, log: Log) -> None: ...
    def finish(self, log: Log) -> None: ...
    def close(self) -> None: ...


def take_lock(connection: psycopg.Connection[Any], database: Database) -> None:
    row = connection.execute(
        "SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", [LOCK_KEY + database.name]
    ).fetchone()
    if not row or not row[0]:
        raise BackupError(f"Another restore into {database.describe()} is running.")


def restore_progress(log: Log, manifest: Manifest) -> Callable[[str], None]:
    progress = Progress(log, "database: restoring table", len(manifest.tables))
    loaded = 0

    def on_line(line: str) -> None:
        nonlocal loaded
        if "processing data for table" in line and loaded < len(manifest.tables):
            loaded += 1
            progress.step(loaded, line.rsplit(" ", 1)[-1].strip('"'))

    return on_line
