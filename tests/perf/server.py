"""gunicorn serving the benchmark database on a free loopback port, as in production."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests


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
def serving(url: str, workers: int = 4) -> Iterator[str]:
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
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "geoportal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "300", "--log-level", "warning"],
        env=env,
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
        process.wait(timeout=30)
