"""Reads that may come from a PostgreSQL read replica (DATABASE_REPLICA_URL).

Only anonymous GET and HEAD requests to the read-only endpoints use the replica: vector
tiles, layer GeoJSON, the public report list and map, the OGC API and Open311's GET
requests. Staff, every write and everything else read the primary, so nobody acting
on a report sees it a moment out of date. The middleware marks the request; the router
reads the mark.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
READ_ONLY_PATHS = ("/tiles/", "/api/v1/layers/", "/api/v1/reports/", "/ogc/", "/open311/")
# Under /api/v1/reports/ only the public list and map read from the replica.
PRIMARY_UNDER_REPORTS = ("/api/v1/reports/queue/", "/api/v1/reports/statistics/")

_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


def replica_enabled() -> bool:
    return REPLICA in settings.DATABASES and settings.READ_FROM_REPLICA


def may_use_replica(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not request.path.startswith(READ_ONLY_PATHS):
        return False
    if request.path.startswith(PRIMARY_UNDER_REPORTS):
        return False
    if request.headers.get("Authorization"):  # a token: staff, who read the primary
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if _use_replica.get() and replica_enabled() else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # A streaming replica gets its schema from the primary; migrate runs on "default".
        # (The test suite migrates its own replica database too.)
        return True


class ReplicaMiddleware:
    """Mark anonymous reads of the read-only endpoints for the replica (after auth)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _use_replica.set(replica_enabled() and may_use_replica(request))
        try:
            return self.get_response(request)
        finally:
            _use_replica.reset(token)
