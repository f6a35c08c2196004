"""The import engine (to be built)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoportal.municipalities.models import Municipality


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


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based feature number in the file
    field: str
    reason: str


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False


def import_file(path: Path, options: ImportOptions) -> ImportReport:
    raise NotImplementedError
