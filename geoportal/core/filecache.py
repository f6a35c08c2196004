"""Django's file cache, culled now and then rather than on every write.

FileBasedCache lists the whole cache directory before each `set` to decide whether to
cull. With vector tiles kept there (up to CACHE_MAX_ENTRIES, 200,000 by default) that
listing costs more than making the tile. Here the directory is looked at on the first
write and then at most once every CULL_INTERVAL seconds per process; between two looks
the cache may grow past MAX_ENTRIES by what one process writes in that time.
"""

from __future__ import annotations

import pickle
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

CULL_INTERVAL = 60.0


class OccasionallyCulledFileCache(FileBasedCache):
    _next_cull = 0.0

    def _cull(self) -> None:
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + CULL_INTERVAL
        super()._cull()  # type: ignore[misc]  # private in the stubs, stable in Django


class BytesFileCache(OccasionallyCulledFileCache):
    """The file cache of ready-made response bodies (vector tiles): each file holds the
    expiry, as FileBasedCache writes it, then the bytes as they are, neither pickled nor
    zlib-compressed. FileBasedCache compresses every value at zlib's default level: for a
    128 KB tile that cost more than the rest of the request outside the database (the
    profile of tests/perf/tile_profile.py), and a hit paid the decompression back. A tile is
    kept about four times larger on disk than compressed; the cache's size is bounded by
    MAX_ENTRIES, not bytes."""

    def _write_content(self, file: Any, timeout: Any, value: Any) -> None:
        if not isinstance(value, bytes):
            raise TypeError(f"{type(self).__name__} keeps bytes, not {type(value).__name__}.")
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(value)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        try:
            # Private in the stubs, stable in Django (as _cull above).
            with open(self._key_to_file(key, version), "rb") as file:  # type: ignore[attr-defined]
                if not self._is_expired(file):  # type: ignore[attr-defined]
                    return file.read()
        except FileNotFoundError:
            pass
        return default

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        value = self.get(key, version=version)
        if value is None:
            return False
        self.set(key, value, timeout, version)
        return True
