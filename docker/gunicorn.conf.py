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
# Processes (default 2) and threads in each (default 4): about 2 × the cores' count of
# threads in all (see docker/README.md for the measured alternatives).
workers = _count("WEB_CONCURRENCY", 2)
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
