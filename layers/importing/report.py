"""What an import found: every problem and warning by row, field and reason, the columns
it used and kept, and a summary per kind of problem for people to read first."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# A reason without the values it quotes: the kind of problem, for the summary.
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»|\d+([.,:]\d+)*")


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based feature number in the file; 0 for the file as a whole
    field: str
    reason: str

    def __str__(self) -> str:
        where = "file" if self.row == 0 else f"row {self.row}"
        return f"{where}, {self.field}: {self.reason}"

    @property
    def kind(self) -> str:
        return QUOTED.sub("…", self.reason)


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # matched rows whose stored feature equals them: nothing written
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Written all the same, but worth a look: a purpose code the cadastre left open...
    warnings: list[RowError] = field(default_factory=list)
    written: bool = False
    columns: dict[str, str] = field(default_factory=dict)  # field -> column used
    kept: list[str] = field(default_factory=list)  # columns kept in the features' attributes
    run_id: int | None = None  # the ImportRun that keeps this report

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors if e.row})

    def summary(self) -> list[tuple[str, str, str, int]]:
        """(severity, field, kind of reason, how many rows), most frequent first."""
        counted = Counter(("error", e.field, e.kind) for e in self.errors)
        counted.update(("warning", w.field, w.kind) for w in self.warnings)
        return [(*key, count) for key, count in counted.most_common()]

    def rows(self) -> list[tuple[str, int, str, str]]:
        """Every problem and warning as (severity, row, field, reason), in row order."""
        found = [("error", e.row, e.field, e.reason) for e in self.errors]
        found += [("warning", w.row, w.field, w.reason) for w in self.warnings]
        return sorted(found, key=lambda item: (item[1], item[0] != "error"))
