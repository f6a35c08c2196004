"""The benchmark harness itself, run whole at a tiny scale (a few hundred rows) so that it
cannot rot between full runs: every measure runs against the platform, the bare database,
GDAL and MapServer, and prints its row. What the figures are at this scale says nothing;
that the harness still measures is the point."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.perf.harness import assert_rows_measured, run_bench

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
    "10. serving gthread 4×4",
]


@pytest.mark.slow
@pytest.mark.peer
@pytest.mark.browser
def test_the_whole_harness_runs_at_a_tiny_scale(tmp_path: Path) -> None:
    written = run_bench(tmp_path / "RESULTS-tiny.md", "--tiny")
    head = written.split("\n## ", 1)[0]  # the measures' table; sections with theirs follow
    table = [line for line in head.splitlines() if line.startswith("| ")]
    assert_rows_measured(table[1:], ROWS)  # after the header (its rule starts "|-")
    profile = written.split("## Profile of the uncached tile path", 1)[1]  # tile_profile.py
    assert "| outside the database |" in profile and "| z17 | 9 |" in profile, profile[:2000]
