"""Measure 10: the web server's set-up, chosen by measurement. Candidate gunicorn set-ups
serve the same bench database at once: sync workers (what production ran until now, each
answer closing its connection), gthread workers with threads (connections kept alive),
and gunicorn's own ASGI worker (geoportal/asgi.py; the views are sync, so Django runs each
in its one thread per process). Each is asked directly and through nginx with an upstream
keepalive pool, as docker/nginx.conf does (without its cache: the server is measured).

Debian's `wrk` (installed with the bench's peer packages) is the client: its connections
are kept alive, 1 and then 20 at once, for a fixed time per cell; the cells follow each
other set-up by set-up for each request (interleaved), in rounds, so that a busy moment of
the machine falls on every set-up alike. Requests: a cached land tile, the land layer's
GeoJSON page of 500 features in a bbox (measure 2's) and the public report list. At the
tiny scale (make test) only production's set-up runs, with one worker, for a few seconds.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

from tests.nginx import standalone_config
from tests.perf.cases import CENTRE, Row, _municipality_id, _tile_of, box_with
from tests.perf.database import MUNICIPALITY, Scale, libpq
from tests.perf.mapserver import NGINX
from tests.perf.server import free_port, serving
from tests.perf.stats import median

WRK = Path("/usr/bin/wrk")


@dataclass(frozen=True)
class SetUp:
    name: str
    options: tuple[str, ...] = ()  # gunicorn flags over docker/gunicorn.conf.py's settings
    app: str = "geoportal.wsgi:application"
    environment: tuple[tuple[str, str], ...] = ()


BEFORE = SetUp("sync ×4 (before)", ("--worker-class", "sync", "--workers", "4", "--threads", "1"))
PRODUCTION = SetUp("gthread 4×4 (docker/gunicorn.conf.py)")
CANDIDATES = [
    BEFORE,
    SetUp("gthread 2×4", ("--workers", "2", "--threads", "4")),
    PRODUCTION,
    # Django runs each request of a sync view in a thread of its own under ASGI: a persistent
    # connection would be left open per request (its documentation says to turn them off).
    SetUp("ASGI ×4 (gunicorn's asgi worker, DB_CONN_MAX_AGE=0)",
          ("--worker-class", "asgi", "--workers", "4", "--threads", "1"),
          "geoportal.asgi:application", (("DB_CONN_MAX_AGE", "0"),)),
]  # fmt: skip
FRONTS = ("direct", "nginx keepalive")
LEVELS = (1, 20)

# wrk's own figures after each run, in microseconds: requests, time, p50, p95, and the
# failures (connect, read, write, timeout, answers other than 2xx/3xx).
SCRIPT = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class Cell:
    requests: int = 0
    seconds: float = 0.0
    p50: list[float] = field(default_factory=list)
    p95: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else float("nan")


def nginx_front(ports: list[int], scratch: Path) -> tuple[str, list[int]]:
    """nginx's configuration with one server per set-up, each proxying to its gunicorn
    through an upstream keepalive pool with docker/nginx.conf's proxy settings."""
    fronts = [free_port() for _port in ports]
    blocks = []
    for number, (port, front) in enumerate(zip(ports, fronts, strict=True)):
        blocks.append(f"""upstream web{number} {{
        server 127.0.0.1:{port};
        keepalive 32;
        keepalive_timeout 60s;
    }}
    server {{
        listen 127.0.0.1:{front};
        location / {{
            proxy_pass http://web{number};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 120s;
        }}
    }}""")
    return standalone_config("\n    ".join(blocks), scratch, connections=1024), fronts


@contextmanager
def nginx(ports: list[int]) -> Iterator[list[str]]:
    """nginx in front of every set-up; yields the fronts' base URLs in the same order."""
    scratch = Path(tempfile.mkdtemp(prefix="geoportal-serving-"))
    try:
        yield from _nginx_in(ports, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _nginx_in(ports: list[int], scratch: Path) -> Iterator[list[str]]:
    config, fronts = nginx_front(ports, scratch)
    (scratch / "nginx.conf").write_text(config)
    command = [str(NGINX), "-p", str(scratch), "-c", str(scratch / "nginx.conf"), "-e", "stderr"]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    if check.returncode != 0:
        raise RuntimeError(f"nginx refuses the serving measure's configuration: {check.stderr}")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        yield [f"http://127.0.0.1:{front}" for front in fronts]
    finally:
        process.terminate()
        process.wait(timeout=30)


def wrk(address: str, clients: int, seconds: int, script: Path) -> tuple[int, float, float, float]:
    """(requests, seconds, p50 s, p95 s) of `clients` keep-alive connections for `seconds`."""
    run = subprocess.run(
        [str(WRK), f"-t{min(clients, 2)}", f"-c{clients}", f"-d{seconds}s", "--timeout", "60s",
         "-s", str(script), address],
        capture_output=True, text=True, timeout=seconds + 90,
    )  # fmt: skip
    found = re.search(r"^RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", run.stdout, re.MULTILINE)
    assert run.returncode == 0 and found, (run.stdout[-1500:], run.stderr[-1500:])
    done, micros, p50, p95, failed, refused = (int(part) for part in found.groups())
    assert failed == 0 and refused == 0, (address, run.stdout[-1500:])
    if done < clients and seconds < 30:  # every answer slower than the cell: a longer one
        return wrk(address, clients, seconds * 2, script)
    return done, micros / 1e6, p50 / 1e6, p95 / 1e6


def paths(url: str) -> dict[str, str]:
    x, y = _tile_of(*CENTRE, 15)
    with psycopg.connect(libpq(url)) as db:
        box = box_with(db, _municipality_id(db), 500)
    bbox = f"{box['w']:.6f},{box['s']:.6f},{box['e']:.6f},{box['n']:.6f}"
    return {
        "tile": f"/tiles/land/15/{x}/{y}.mvt?municipality={MUNICIPALITY}",
        "layer": f"/api/v1/layers/land/?in_bbox={bbox}&page_size=500&municipality={MUNICIPALITY}",
        "reports": f"/api/v1/reports/?municipality={MUNICIPALITY}",
    }


def _row(
    name: str, cells: dict[str, Cell], before: tuple[str, dict[str, Cell]], target: str
) -> Row:
    baseline, before_cells = before
    app = " · ".join(f"{kind} p50 {median(c.p50) * 1000:.1f} / p95 {median(c.p95) * 1000:.1f} ms, "
                     f"{c.rate:.0f}/s" for kind, c in cells.items())  # fmt: skip
    bare = " · ".join(f"{kind} {c.rate:.0f}/s" for kind, c in before_cells.items())
    # A cell with no answer within its time (a request slower than the cell) has no ratio,
    # and the mean is of the others.
    ratios = {kind: cells[kind].rate / before_cells[kind].rate for kind in cells
              if cells[kind].rate > 0 and before_cells[kind].rate > 0}  # fmt: skip
    each = ", ".join(f"{kind} {ratios[kind]:.2f}" if kind in ratios else f"{kind} no answer"
                     for kind in cells)  # fmt: skip
    if not ratios:
        return Row(name, app, f"{baseline}: {bare}", f"— ({each})", target, None)
    mean = math.exp(sum(math.log(r) for r in ratios.values()) / len(ratios))
    return Row(name, app, f"{baseline}: {bare}", f"{mean:.2f}× req/s ({each})",
               target, None)  # fmt: skip


def measure(url: str, scale: Scale) -> list[Row]:
    for tool in (WRK, NGINX):
        if not tool.exists():
            raise RuntimeError(f"{tool} is missing: `make bench` (make peer, make nginx) adds it")
    chosen = paths(url)
    candidates, seconds, rounds = CANDIDATES, 2 if scale.name == "small" else 4, 2
    levels: tuple[int, ...] = LEVELS
    if scale.name == "tiny":  # the harness's own check, in seconds: production's set-up alone,
        # with one worker process, one short cell each way
        candidates = [SetUp(f"{PRODUCTION.name}, 1 worker", ("--workers", "1"))]
        chosen, levels, seconds, rounds = {"tile": chosen["tile"]}, (20,), 1, 1
    with ExitStack() as stack:
        script = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "figures.lua"
        script.write_text(SCRIPT)
        direct = [stack.enter_context(serving(url, s.options, s.app, dict(s.environment)))
                  for s in candidates]  # fmt: skip
        ports = [int(base.rsplit(":", 1)[1]) for base in direct]
        proxied = stack.enter_context(nginx(ports))
        bases = {(s.name, front): base for s, d, p in zip(candidates, direct, proxied, strict=True)
                 for front, base in zip(FRONTS, (d, p), strict=True)}  # fmt: skip
        for base in bases.values():  # the tile cached, every path answering
            for path in chosen.values():
                for _time in range(2):
                    answer = requests.get(base + path, timeout=120)
                    assert answer.status_code == 200, (base + path, answer.text[:300])
        cells: dict[tuple[str, str, int, str], Cell] = {}
        for _round in range(rounds):
            for kind, path in chosen.items():
                for clients in levels:
                    for (name, front), base in bases.items():
                        # The report list is slower: a longer cell, for its p95.
                        longer = 3 if kind == "reports" else 1
                        done, took, p50, p95 = wrk(base + path, clients, seconds * longer, script)
                        print(f"  {name}, {front}, {kind}, {clients} client(s): "
                              f"{done / took:.1f}/s, p50 {p50 * 1000:.1f} ms, "
                              f"p95 {p95 * 1000:.1f} ms", flush=True)  # fmt: skip
                        cell = cells.setdefault((name, front, clients, kind), Cell())
                        cell.requests += done
                        cell.seconds += took
                        cell.p50.append(p50)
                        cell.p95.append(p95)
    rows = []
    for clients in levels:
        first = candidates[0].name
        before = (f"{first}, {FRONTS[0]}",
                  {kind: cells[(first, FRONTS[0], clients, kind)] for kind in chosen})  # fmt: skip
        for (name, front), _base in bases.items():
            target = ("(production)" if name.startswith(PRODUCTION.name)
                      else "(before)" if name == BEFORE.name else "")  # fmt: skip
            mine = {kind: cells[(name, front, clients, kind)] for kind in chosen}
            rows.append(_row(f"10. serving {name}, {front}, {clients} client(s) kept alive",
                             mine, before, target))  # fmt: skip
    return rows
