"""gunicorn's settings in production (docker/Dockerfile's CMD) and in `make bench`
(tests/perf/server.py), so that the bench measures what production runs.

Chosen by measure 10 of the bench (tests/perf/serving.py, figures in docker/README.md):
gthread workers keep connections alive (nginx's upstream keepalive reuses them) and answer
several requests at once per process; the sync workers used before closed the connection
after every answer. Each thread holds its own database connection (DB_CONN_MAX_AGE), so a
web container opens up to WEB_CONCURRENCY × WEB_THREADS of them.
"""

from __future__ import annotations

import os


def _count(name: str, default: int) -> int:
    value = int(os.environ.get(name) or default)
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {value}")
    return value


wsgi_app = "geoportal.wsgi:application"
bind = "0.0.0.0:8000"
worker_class = "gthread"
# Processes (default 4: two per core of a 2-core machine, so that CPU-bound requests are not
# queued behind one process's GIL) and threads in each (default 4: a kept-alive connection
# or a request waiting on the database holds a thread, not a process). At full scale and 20
# clients behind nginx, 2 processes × 4 threads served 0.70× the requests of 4 sync workers
# (the kept-alive connections from nginx piled on one process), 4 × 4 0.89× (and 1.14× at
# one client, where keep-alive pays); docker/README.md and tests/perf/RESULTS.md measure 10.
workers = _count("WEB_CONCURRENCY", 4)
threads = _count("WEB_THREADS", 4)
# An idle connection from nginx stays open longer than nginx keeps it (its upstream
# keepalive_timeout, 60 s by default), so nginx never reuses one gunicorn has just closed.
keepalive = _count("WEB_KEEPALIVE_SECONDS", 75)
# gthread workers report to the master between requests, so this does not cut a long
# request (a 100,000-plot import on the admin page); nginx gives up after 120 s anyway
# (proxy_read_timeout). It bounds a worker that hangs as a whole.
timeout = _count("WEB_TIMEOUT_SECONDS", 120)
graceful_timeout = 30
accesslog = "-"
