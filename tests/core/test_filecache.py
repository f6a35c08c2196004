"""The file cache lists its directory to cull at most once per interval, not on every write;
the tiles' cache keeps bytes as they are."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from geoportal.core import filecache
from geoportal.core.filecache import BytesFileCache, OccasionallyCulledFileCache


def _files(folder: Path) -> int:
    return len(list(folder.glob("*.djcache")))


def test_culls_on_the_first_write_and_then_once_per_interval(tmp_path, monkeypatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(filecache.time, "monotonic", lambda: clock[0])
    options = {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}}
    cache = OccasionallyCulledFileCache(str(tmp_path), options)
    for number in range(30):
        cache.set(f"tile-{number}", b"x" * 100)
    # Culled before the first write only: the other 29 writes did not list the directory.
    assert _files(tmp_path) == 30
    clock[0] += filecache.CULL_INTERVAL + 1
    cache.set("one-more", b"x")
    assert _files(tmp_path) == 30 - 15 + 1  # half of the 30 removed, then the new one
    assert cache.get("one-more") == b"x"


@pytest.mark.parametrize("interval_passed", [False, True])
def test_values_are_kept_and_read_back(tmp_path, interval_passed, monkeypatch) -> None:
    clock = [5.0]
    monkeypatch.setattr(filecache.time, "monotonic", lambda: clock[0])
    cache = OccasionallyCulledFileCache(str(tmp_path), {})
    cache.set("a", {"tile": b"\x1a\x00"})
    if interval_passed:
        clock[0] += filecache.CULL_INTERVAL * 2
    cache.set("b", [1, 2])
    assert cache.get("a") == {"tile": b"\x1a\x00"} and cache.get("b") == [1, 2]


def test_the_bytes_cache_keeps_bytes_unpickled_and_uncompressed(tmp_path) -> None:
    cache = BytesFileCache(str(tmp_path), {})
    tile = bytes(range(256)) * 40
    cache.set("tile", tile)
    cache.set("empty", b"")  # an empty tile is kept too: it is answered with 204
    [kept] = [path for path in tmp_path.glob("*.djcache") if path.read_bytes().endswith(tile)]
    # The expiry (a pickled float, as FileBasedCache writes it), then the tile: nothing more.
    expiry = len(pickle.dumps(1.0, pickle.HIGHEST_PROTOCOL))
    assert kept.stat().st_size == expiry + len(tile)
    assert cache.get("tile") == tile and cache.get("empty") == b""
    assert cache.get("missing") is None and cache.get("missing", b"-") == b"-"
    assert cache.touch("tile", 60) and cache.get("tile") == tile
    assert not cache.touch("missing")


def test_the_bytes_cache_refuses_other_values_and_forgets_expired_ones(tmp_path) -> None:
    cache = BytesFileCache(str(tmp_path), {})
    with pytest.raises(TypeError, match="keeps bytes, not dict"):
        cache.set("tile", {"tile": b"x"})
    assert _files(tmp_path) == 0  # nothing half-written is left behind
    cache.set("tile", b"x", timeout=-1)
    assert cache.get("tile") is None and _files(tmp_path) == 0
