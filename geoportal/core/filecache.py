"""Django's file cache, culled now and then rather than on every write.

FileBasedCache lists the whole cache directory before each `set` to decide whether to
cull. With vector tiles kept there (up to CACHE_MAX_ENTRIES, 200,000 by default) that
listing costs more than making the tile. Here the directory is looked at on the first
write and then at most once every CULL_INTERVAL seconds per process; between two looks
the cache may grow past MAX_ENTRIES by what one process writes in that time.
"""

from __future__ import annotations

import time

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
