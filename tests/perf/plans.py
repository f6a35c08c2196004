"""The query plans of the list, queue and tile queries, as PostgreSQL runs them at scale."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from layers.tiles.sql import BUFFER, EXTENT, tile_sql, tile_tolerance
from tests.perf import land_checks
from tests.perf.cases import CENTRE, _tile_of
from tests.perf.database import MUNICIPALITY


def _explain(sql: str, params: Any = None) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _heaviest_select(client: Client, path: str, token: str = "") -> str:
    """The plan of the slowest SELECT a request runs (the one that matters)."""
    headers = {"Authorization": f"Token {token}"} if token else {}
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(path, headers=headers)
    assert answer.status_code == 200, (path, answer.status_code)
    return _heaviest(captured)


def _heaviest_call(call: Callable[[], Any]) -> str:
    """The plan of the slowest SELECT a function runs (work the worker does)."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return _heaviest(captured)


def _heaviest(captured: CaptureQueriesContext) -> str:
    selects = [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(
        ("SELECT", "WITH"))]  # fmt: skip
    heaviest = max(selects, key=lambda q: float(q["time"]))
    return _explain(heaviest["sql"])


def plans() -> dict[str, str]:
    from rest_framework.authtoken.models import Token

    from geoportal.accounts.models import User
    from geoportal.municipalities.models import Municipality
    from geoportal.reports.statistics import statistics

    municipality = Municipality.objects.get(slug=MUNICIPALITY)
    client = Client()
    tokens = {name: Token.objects.get_or_create(user=User.objects.get(username=name))[0].key
              for name in ("moderator", "worker_zhkg", "coordinator")}  # fmt: skip
    lat, lon = CENTRE
    box = f"{lon - 0.004:.4f},{lat - 0.003:.4f},{lon + 0.004:.4f},{lat + 0.003:.4f}"
    found = {
        "reports list, bbox (GET /api/v1/reports/?in_bbox=…)": _heaviest_select(
            client, f"/api/v1/reports/?in_bbox={box}"),
        "reports on the map, clustered (GET /api/v1/reports/map/?zoom=12)": _heaviest_select(
            client, f"/api/v1/reports/map/?bbox=37.0,48.15,37.35,48.40&zoom=12"
                    f"&municipality={MUNICIPALITY}"),
        "layer list, bbox (GET /api/v1/layers/land/?in_bbox=…)": _heaviest_select(
            client, f"/api/v1/layers/land/?in_bbox={box}&municipality={MUNICIPALITY}"),
        "moderation queue": _heaviest_select(
            client, "/api/v1/reports/queue/moderation/",
            tokens["moderator"]),
        "department queue": _heaviest_select(
            client, "/api/v1/reports/queue/department/",
            tokens["worker_zhkg"]),
        "overdue list": _heaviest_select(
            client, "/api/v1/reports/queue/overdue/",
            tokens["coordinator"]),
        # Served from the cache; this is the query the worker runs to refresh it.
        "statistics of a month (as the worker computes them)": _heaviest_call(
            lambda: statistics(municipality, date.today().replace(day=1), "department")),
    }  # fmt: skip
    x, y = _tile_of(lat, lon, 15)
    found["land checks: overlapping plots (self-join on the GiST index)"] = land_checks.plan()
    found["vector tile land z15"] = _explain(
        tile_sql("land", True),
        {"z": 15, "x": x, "y": y, "layer": "land", "tolerance": tile_tolerance(15),
         "margin": BUFFER / EXTENT, "today": date.today(), "municipality": municipality.pk},
    )  # fmt: skip
    return found
