"""What the harness's own tests share: run `python -m tests.perf.bench` at a tiny scale and
check the table it wrote (tests/perf/test_bench.py, test_national.py)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def run_bench(results: Path, *flags: str) -> str:
    """The Markdown the bench wrote, run with `flags` and --results; fails with its output."""
    run = subprocess.run(
        [sys.executable, "-m", "tests.perf.bench", *flags, "--results", str(results)],
        cwd=BASE_DIR, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert run.returncode == 0, (run.stdout[-3000:], run.stderr[-6000:])
    return results.read_text(encoding="utf-8")


def assert_rows_measured(table: Sequence[str], starts: Sequence[str]) -> None:
    """Each wanted row is there, and every row has its figures: no empty cell, no "nan"."""
    for start in starts:
        assert any(line.startswith(f"| {start}") for line in table), f"no row {start!r}"
    for line in table:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == 6 and all(cells[:2]) and "nan" not in line, line
