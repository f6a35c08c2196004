"""The benchmark harness itself, run whole at a tiny scale (a few hundred rows) so that it
cannot rot between full runs: every measure runs against the platform, the bare database,
GDAL and MapServer, and prints its row. What the figures are at this scale says nothing;
that the harness still measures is the point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# Every measure's rows by their start (tests/perf/bench.py, cases.py, …).
ROWS = [
    "1. tiles /tiles/land z12–17 (54), uncached",
    "1. tiles, cached, against MapServer 8 FastCGI",
    *[f"1. tile z{z} (9), uncached, against MapServer 8 FastCGI" for z in range(12, 18)],
    "2. /api/v1/layers/land/",
    "3. import_layer of",
    "4. POST /api/v1/reports/ with a 2560×1920 photo",
    "4. POST /api/v1/reports/ with a 4000×3000 camera photo",
    "5. moderation queue",
    "6. public map of",
    "7. land checks of",
    "8. OGC API /ogc/collections/land/items",
    "9. report with one 4000×3000 camera photo",
    "10. serving gthread 2×4",
]


@pytest.mark.slow
@pytest.mark.peer
@pytest.mark.browser
def test_the_whole_harness_runs_at_a_tiny_scale(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS-tiny.md"
    run = subprocess.run(
        [sys.executable, "-m", "tests.perf.bench", "--tiny", "--results", str(results)],
        cwd=BASE_DIR, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert run.returncode == 0, (run.stdout[-3000:], run.stderr[-6000:])
    written = results.read_text(encoding="utf-8")
    head = written.split("\n## ", 1)[0]  # the measures' table; sections with theirs follow
    table = [line for line in head.splitlines() if line.startswith("| ")]
    for start in ROWS:
        assert any(line.startswith(f"| {start}") for line in table), f"no row {start!r}"
    for line in table[2:]:  # each row has its figures: no empty cell, no "nan"
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == 6 and all(cells[:2]) and "nan" not in line, line
    profile = written.split("## Profile of the uncached tile path", 1)[1]  # tile_profile.py
    assert "| outside the database |" in profile and "| z17 | 9 |" in profile, profile[:2000]
