"""The national-scale harness (tests/perf/national.py) run whole at a tiny scale: three
synthetic hromadas of a few hundred plots and reports, the per-hromada reads of the middle
one against their bare queries, and their plans. The figures say nothing at this scale;
that every row is measured and that no plan scans a big table whole is the point."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.perf.harness import assert_rows_measured, run_bench

ROWS = [
    "N1. tiles /tiles/land z14–16 (27) of the hromada, uncached",
    "N1. the same tiles, cached",
    *[f"N1. tile z{z} (9), uncached" for z in (14, 15, 16)],
    "N2. /api/v1/layers/land/ bbox of the hromada",
    "N5. moderation queue",
    "N5. department queue",
    "N5. statistics (this month)",
    "N5. monthly report XLSX",
    "N5. statistics of a month, computed",
    "N5. statistics of every hromada recomputed",
]
PLANS = ["moderation queue", "department queue", "statistics (this month)",
         "vector tile land z14 of the hromada", "layer GeoJSON bbox (the bare query)"]  # fmt: skip


@pytest.mark.slow
def test_the_national_harness_runs_at_a_tiny_scale(tmp_path: Path) -> None:
    written = run_bench(tmp_path / "RESULTS-national-tiny.md", "--national", "--tiny")
    assert_rows_measured([line for line in written.splitlines() if line.startswith("| N")], ROWS)
    section = written.split("| query | indexes read | whole-table scans |", 1)[1]
    plans = {}
    for line in section.split("\n\n", 1)[0].splitlines()[2:]:  # the plan table's rows
        name, used, whole = (cell.strip() for cell in line.strip("|").split("|"))
        plans[name] = (used, whole)
    for name in PLANS:
        assert name in plans, f"no plan of {name!r}"
        used, whole = plans[name]
        assert used != "none", (name, used)  # reads an index
        assert whole == "none", (name, whole)  # scans no big table whole
    assert "Whole-table scans: none." in written
    assert "Seq Scan on layers_landplot" not in written
    assert "Seq Scan on reports_report" not in written
