"""gunicorn serving the benchmark database on a free loopback port, as in production: with
production's settings file (docker/gunicorn.conf.py: gthread workers and threads, keep-alive,
timeouts), its defaults unless a caller overrides some (measure 10, tests/perf/serving.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN_CONF = BASE_DIR / "docker" / "gunicorn.conf.py"
# What docker/gunicorn.conf.py's defaults give, for the results' text.
PRODUCTION = "gunicorn gthread, 4 workers × 4 threads, keep-alive"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The bench files dozens of reports and asks for tokens from one address (127.0.0.1) within
# a minute: its own limits, high, with the limiter on so that its counting is measured.
BENCH_RATES = {"RATE_LIMITS_ENABLED": "1", "RATE_REPORT": "100000/hour",
               "RATE_REPORT_ADDRESS": "100000/hour", "RATE_LOGIN": "100000/hour",
               "RATE_LOGIN_ADDRESS": "100000/hour"}  # fmt: skip


@contextmanager
def serving(
    url: str,
    options: Sequence[str] = (),
    app: str = "geoportal.wsgi:application",
    environment: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """gunicorn as production runs it; `options` (gunicorn's command-line flags, such as
    --workers) override docker/gunicorn.conf.py's settings, `environment` the bench's."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="geoportal-bench-"))
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "DEMO": "0",
           "SECRET_KEY": "bench-only-secret-key-0000000000000000000000000000",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0",
           "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "SITE_URL": base,
           "CACHE_DIR": str(folder / "cache"), "MEDIA_ROOT": str(folder / "media"),
           "EMAIL_URL": "dummymail://", "DB_CONN_MAX_AGE": "60",
           "LOG_LEVEL": "WARNING", **BENCH_RATES}  # fmt: skip
    for name in ("WEB_CONCURRENCY", "WEB_THREADS", "WEB_KEEPALIVE_SECONDS", "WEB_TIMEOUT_SECONDS"):
        env.pop(name, None)  # production's defaults, whatever this shell says
    env.update(environment or {})
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "--config", str(GUNICORN_CONF), "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", "--log-level", "warning",
         *options, app],
        env=env, cwd=BASE_DIR,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/health/", timeout=2).status_code < 500:
                    break
            except (requests.ConnectionError, requests.Timeout):
                # Not listening yet, or still booting its workers on a busy machine.
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not start within 60 s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # workers still finishing aborted requests (ASGI)
            process.kill()
            process.wait(timeout=10)
