"""A profile of the uncached tile path, in process: the bench's land tiles requested through
Django's WSGI handler (what gunicorn calls: every middleware, the view, the cache), each
tile once with the tile cache empty, against the benchmark database.

Two passes over the same tiles, each with the cache emptied first:

- timed, without a profiler: each request's wall time and the time its SQL statements
  took (connection.execute_wrapper: execute and fetch, as Django's client-side cursor
  reads the whole result in execute), by statement;
- profiled with cProfile on a clock that stops while a statement runs, so that every
  function's cumulative time is its time outside the database.

    summary(tiles, slug)  # Markdown: the shares, per zoom, the top functions

The bench (tests/perf/bench.py) writes it to RESULTS.md under "Profile of the uncached tile
path"; `python -m tests.perf.tile_profile` prints it for the small-scale bench database.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

Tile = tuple[int, int, int]
# Statements by what they are for, matched on their SQL in this order.
KINDS = (("ST_AsMVT", "tile query"), ("layers_layerpassport", "hromada and layer version"),
         ("municipalities_municipality", "hromada"))  # fmt: skip
TOP = 12  # functions listed


@dataclass
class Pass:
    """Per request: wall time until the body is out, time in each kind of statement,
    statements, body size; and the time after (close(): a new tile goes into the cache)."""

    total: list[float] = field(default_factory=list)
    after: list[float] = field(default_factory=list)
    database: list[dict[str, float]] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    size: list[int] = field(default_factory=list)
    zoom: list[int] = field(default_factory=list)


class OutsideDatabaseClock:
    """A clock for cProfile that stands still while an SQL statement runs; also Django's
    execute wrapper that stops and restarts it, and counts what it stood still for."""

    def __init__(self) -> None:
        self.paused = 0.0
        self.since: float | None = None
        self.by_kind: dict[str, float] = {}
        self.statements = 0

    def __call__(self) -> float:
        return (self.since if self.since is not None else time.perf_counter()) - self.paused

    def wrapper(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                context: dict[str, Any]) -> Any:  # fmt: skip
        started = self.since = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.paused += spent
            self.since = None
            kind = next((name for mark, name in KINDS if mark in sql), "other statements")
            self.by_kind[kind] = self.by_kind.get(kind, 0.0) + spent
            self.statements += 1


def _environ(path: str, query: str) -> dict[str, Any]:
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
            "SCRIPT_NAME": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
            "wsgi.multithread": False, "wsgi.multiprocess": True,
            "wsgi.run_once": False}  # fmt: skip


@contextmanager
def _own_caches() -> Iterator[Callable[[], None]]:
    """Every cache alias in a temporary folder of its own (the developer's cache is left
    alone), and persistent database connections as the bench's gunicorn has them."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connections
    from django.test import override_settings

    with tempfile.TemporaryDirectory(prefix="tile-profile-") as folder:
        own = {alias: {**conf, "LOCATION": str(Path(folder) / alias)}
               for alias, conf in settings.CACHES.items()}  # fmt: skip
        connection = connections["default"]
        kept_age = connection.settings_dict["CONN_MAX_AGE"]
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = 60

        def clear() -> None:
            for alias in own:
                caches[alias].clear()

        try:
            with override_settings(CACHES=own):
                yield clear
        finally:
            connection.close()
            connection.settings_dict["CONN_MAX_AGE"] = kept_age


def _run(tiles: list[Tile], slug: str, profiler: cProfile.Profile | None,
         clock: OutsideDatabaseClock) -> Pass:  # fmt: skip
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler, measured = WSGIHandler(), Pass()
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None, /) -> Any:
        statuses.append(status)
        return lambda data: None  # the write() of WSGI, which Django does not use

    with connection.execute_wrapper(clock.wrapper):
        for z, x, y in tiles:
            environ = _environ(f"/tiles/land/{z}/{x}/{y}.mvt", f"municipality={slug}")
            before, statements = dict(clock.by_kind), clock.statements
            started = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            answer = handler(environ, start_response)
            body = b"".join(answer)
            sent = time.perf_counter()
            answer.close()  # as the server does once the body is written
            if profiler is not None:
                profiler.disable()
            measured.total.append(sent - started)
            measured.after.append(time.perf_counter() - sent)
            assert statuses[-1].startswith(("200", "204")), (statuses[-1], body[:200])
            measured.database.append({kind: spent - before.get(kind, 0.0)
                                      for kind, spent in clock.by_kind.items()})  # fmt: skip
            measured.statements.append(clock.statements - statements)
            measured.size.append(len(body))
            measured.zoom.append(z)
    return measured


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def _cumulative(stats: pstats.Stats, where: str, name: str) -> float:
    """Cumulative seconds of the functions `name` in files ending with `where`."""
    found = stats.stats  # type: ignore[attr-defined]  # (file, line, name) → (…, cumulative, …)
    return sum(row[3] for (path, _line, function), row in found.items()
               if path.endswith(where) and function == name)  # fmt: skip


def summary(tiles: list[Tile], slug: str) -> str:
    """Markdown: where an uncached tile request spends its time, in and outside the
    database, per zoom, and the functions that take the most outside it."""
    with _own_caches() as clear:
        _run(tiles, slug, None, OutsideDatabaseClock())  # warm: buffers, connection, imports
        clear()
        timed = _run(tiles, slug, None, OutsideDatabaseClock())
        clear()
        clock = OutsideDatabaseClock()
        profiler = cProfile.Profile(clock)
        _run(tiles, slug, profiler, clock)
        clear()
    return _markdown(timed, pstats.Stats(profiler), len(tiles))


def _markdown(timed: Pass, stats: pstats.Stats, requests: int) -> str:
    total = sum(timed.total)
    kinds = sorted({kind for spent in timed.database for kind in spent})
    in_kind = {kind: sum(spent.get(kind, 0.0) for spent in timed.database) for kind in kinds}
    outside = total - sum(in_kind.values())
    lines = [f"{requests} uncached land tiles (the bench's tiles, z12–z17) through Django's "
             "WSGI handler in the bench process; milliseconds per request (mean), "
             f"{median(timed.statements):.0f} SQL statements per request (median).", "",
             "| part | ms per request | share |", "|---|---|---|"]  # fmt: skip
    for kind in kinds:
        lines.append(f"| in the database: {kind} | {_ms(in_kind[kind] / requests)} "
                     f"| {in_kind[kind] / total:.0%} |")  # fmt: skip
    lines.append(f"| outside the database | {_ms(outside / requests)} | {outside / total:.0%} |")
    after = sum(timed.after)
    lines.append(f"| after the body is sent (close(): a new tile into the cache), not waited "
                 f"for | {_ms(after / requests)} | — |")  # fmt: skip
    # The profiled pass, on the clock that stands still in the database: outside time only.
    handler = _cumulative(stats, "django/core/handlers/wsgi.py", "__call__")
    view = _cumulative(stats, "layers/tiles/views.py", "tile")
    closing = max(_cumulative(stats, "layers/tiles/views.py", "close"),
                  _cumulative(stats, "django/http/response.py", "close"))  # fmt: skip
    cache = (_cumulative(stats, "django/core/cache/backends/filebased.py", "get")
             + _cumulative(stats, "django/core/cache/backends/filebased.py", "set")
             + _cumulative(stats, "geoportal/core/filecache.py", "get"))  # fmt: skip
    whole = handler + closing
    parts = [("Django's handler and the middlewares (sessions, auth, CSP, locale…)",
              handler - view), ("the tile cache: read, then write", cache),
             ("the view's own Python (parameters, ETag, query building, response) and "
              "closing the response", view + closing - cache)]  # fmt: skip
    lines += ["", "Outside the database, under cProfile (a clock stopped during each SQL "
              "statement; the profiler's overhead inflates these, so read them as shares):",
              "", "| outside the database | share |", "|---|---|"]  # fmt: skip
    lines += [f"| {name} | {spent / whole:.0%} |" for name, spent in parts]
    lines += ["", "| zoom | tiles | median ms | in the database | outside | median KB |",
              "|---|---|---|---|---|---|"]  # fmt: skip
    for z in sorted(set(timed.zoom)):
        chosen = [i for i, zoom in enumerate(timed.zoom) if zoom == z]
        whole = median(timed.total[i] for i in chosen)
        inside = median(sum(timed.database[i].values()) for i in chosen)
        outside_z = median(timed.total[i] - sum(timed.database[i].values()) for i in chosen)
        size = median(timed.size[i] for i in chosen) / 1024
        lines.append(f"| z{z} | {len(chosen)} | {_ms(whole)} | {_ms(inside)} "
                     f"| {_ms(outside_z)} | {size:.1f} |")  # fmt: skip
    lines += ["", "Top functions by cumulative time outside the database (but the handler, "
              "the middlewares' chain and the view, whose times are above; ms per request):",
              "", "| function | ms | calls |", "|---|---|---|"]  # fmt: skip
    found = stats.stats  # type: ignore[attr-defined]
    chain = _dispatch(found)
    ranked = sorted(((row[3], row[1], path, line, name) for (path, line, name), row
                     in found.items() if (path, line, name) not in chain),
                    reverse=True)  # fmt: skip
    for cumulative, calls, path, line, name in ranked[:TOP]:
        where = _where(path, line, name)
        lines.append(f"| `{where}` | {_ms(cumulative / requests)} | {calls} |")
    return "\n".join(lines)


def _dispatch(found: dict[Any, Any]) -> set[Any]:
    """The view and every function that called it, at any depth: the request's dispatch."""
    chain = {key for key in found if key[0].endswith("layers/tiles/views.py") and key[2] == "tile"}
    waiting = list(chain)
    while waiting:
        for caller in found[waiting.pop()][4]:  # row[4]: the callers
            if caller not in chain and caller in found:
                chain.add(caller)
                waiting.append(caller)
    return chain


def _where(path: str, line: int, name: str) -> str:
    """A function as `package/module.py:line name`, short."""
    if path == "~":  # a built-in: cProfile names it in full
        return name
    if "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    elif "/lib/python3" in path:
        path = path.rsplit("/", 1)[1]  # the standard library
    else:
        path = path.removeprefix(str(Path(__file__).resolve().parents[2]) + "/")
    return f"{path}:{line} {name}"


def main() -> int:
    """Print the profile for the small-scale bench database (or --tiny's)."""
    import os

    base_dir = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(base_dir))
    from tests.perf.database import MUNICIPALITY, SMALL, TINY, bench_url

    url = bench_url(base_dir, TINY if "--tiny" in sys.argv else SMALL)
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "geoportal.settings",
                       "DEBUG": "0", "DEMO": "0", "ALLOWED_HOSTS": "127.0.0.1",
                       "SECRET_KEY": "bench-only-secret-key-0000000000000000000000000000",
                       "SECURE_SSL_REDIRECT": "0"})  # fmt: skip
    import django

    django.setup()
    from tests.perf.cases import tile_set

    print(summary(tile_set(), MUNICIPALITY))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
