"""The simulated residents of `make load`; tests/load/run.py starts locust with this file.

Residents browsing the map ask for what the map page's scripts fetch as they pan and zoom;
residents filing reports open the form, look for the same problem nearby, then send a
report with a photo under an Idempotency-Key, retrying with the same key when the answer
does not arrive, as frontend/static/frontend/js/report_form.js does. Every answer's status
and every filing's outcome are written to LOAD_OUTCOMES when locust quits, for run.py to
reconcile with the database.

This module runs inside locust's gevent-patched process: it imports no Django.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from locust import FastHttpUser, HttpUser, between, events, task
from locust.env import Environment

from tests.load import plan as p

PLAN = p.Plan.load(Path(os.environ["LOAD_PLAN"]))
OUTCOMES = Path(os.environ["LOAD_OUTCOMES"])
KEY_PREFIX = os.environ["LOAD_KEY_PREFIX"]
PHOTO = p.photo_jpeg()
TIMEOUT = 60.0  # seconds for any one request
# A filing is sent at most this many times under its key (the first try and the retries).
ATTEMPTS = 4

# Per kind of request: every response time (ms), the status of every answer (0 when none
# came: a timeout or a reset), and the failures (answers other than those expected).
times: defaultdict[str, list[float]] = defaultdict(list)
statuses: defaultdict[str, Counter[int]] = defaultdict(Counter)
failures: Counter[str] = Counter()
window = [math.inf, -math.inf]  # the first request's start, the last answer's end (epoch s)
filings: dict[str, dict[str, Any]] = {}


@events.request.add_listener
def tally(
    name: str,
    response_time: float,
    response: Any,
    exception: BaseException | None,
    start_time: float | None = None,
    **_kwargs: Any,
) -> None:
    times[name].append(response_time)
    statuses[name][int(getattr(response, "status_code", 0) or 0)] += 1
    if exception is not None:
        failures[name] += 1
    if start_time is not None:
        window[0] = min(window[0], start_time)
        window[1] = max(window[1], start_time + response_time / 1000)


@events.quitting.add_listener
def write_outcomes(environment: Environment, **_kwargs: Any) -> None:
    """Runs after the users have stopped (locust's --stop-timeout lets each finish its task)."""
    body = {
        "requests": {
            name: {"times": times[name], "statuses": statuses[name], "failures": failures[name]}
            for name in times
        },
        "window": window if math.isfinite(window[0]) else [0, 0],
        "filings": filings,
    }
    OUTCOMES.write_text(json.dumps(body), encoding="utf-8")


class BrowsingResident(FastHttpUser):
    """Opens the map, pans and zooms over the hromada, opens reports."""

    fixed_count = int(os.environ.get("LOAD_BROWSERS", "100"))
    wait_time = between(1, 3)
    connection_timeout = TIMEOUT
    network_timeout = TIMEOUT

    def on_start(self) -> None:
        self.rng = random.Random()  # noqa: S311  (simulated behaviour, not a secret)
        self.view = p.View.at(*PLAN.points[0], p.MIN_ZOOM)
        self.focus = PLAN.points[0]
        self.seen: dict[tuple[str, int, int, int], float] = {}
        self.arrive()

    def fetch(self, name: str, path: str, expected: tuple[int, ...] = (200,)) -> None:
        with self.client.get(path, name=name, catch_response=True) as answer:
            if answer.status_code not in expected:
                answer.failure(f"status {answer.status_code}")

    @task(1)
    def arrive(self) -> None:
        """A new visit: the page, the boundary, the reports of the whole hromada."""
        self.seen.clear()
        self.fetch("map page", p.map_page(self.rng.choice(["uk", "uk", "en"])))
        self.fetch("boundary", p.boundary_path(PLAN))
        self.fetch("reports map (clusters)", p.clusters_path(PLAN, PLAN.bbox, p.MIN_ZOOM))
        # Most look at something in town (a plot, a structure, a report), some anywhere.
        self.focus = self.rng.choice(PLAN.places if self.rng.random() < 0.7 else PLAN.points)
        self.show(p.View.at(*self.focus, self.rng.randint(p.MIN_ZOOM + 1, p.LAND_MIN_ZOOM + 1)))

    @task(12)
    def pan(self) -> None:
        self.show(self.view.panned(PLAN, self.rng))

    @task(5)
    def zoom(self) -> None:
        self.show(self.view.zoomed(self.rng, self.focus))

    @task(2)
    def open_report(self) -> None:
        if PLAN.reports:
            report = self.rng.choice(PLAN.reports)
            self.fetch("report page", p.report_page(report))
            self.fetch("report API", p.report_api(report))

    @task(1)
    def list_reports(self) -> None:
        self.fetch("reports list (bbox)", p.list_path(PLAN, self.view.bbox()))

    def show(self, view: p.View) -> None:
        """What the map asks for after a move: the tiles it has not kept, the reports and
        the structures in view."""
        self.view = view
        now = time.monotonic()
        for layer in p.tile_layers(view.z):
            for z, x, y in view.tiles():
                if now - self.seen.get((layer, z, x, y), -p.TILE_MAX_AGE) < p.TILE_MAX_AGE:
                    continue
                self.seen[(layer, z, x, y)] = now
                self.fetch(f"tile {layer}", p.tile_path(PLAN, layer, z, x, y), (200, 204))
        box = view.bbox()
        self.fetch("reports map (clusters)", p.clusters_path(PLAN, box, view.z))
        for layer in p.structure_layers(view.z):
            self.fetch(f"layer {layer} (GeoJSON)", p.layer_path(PLAN, layer, box))


class FilingResident(HttpUser):
    """Files a report with a photo every few seconds (far more often than a person does:
    the point is to load the intake)."""

    fixed_count = int(os.environ.get("LOAD_FILERS", "10"))
    wait_time = between(3, 10)

    def on_start(self) -> None:
        self.rng = random.Random()  # noqa: S311  (simulated behaviour, not a secret)

    @task
    def file_report(self) -> None:
        point = self.rng.choice(PLAN.points)
        category = self.rng.choice(PLAN.categories)
        self.client.get(p.FORM_PAGE, name="report form page", timeout=TIMEOUT)
        self.client.get(p.nearby_path(point, category), name="nearby reports", timeout=TIMEOUT)
        key = f"{KEY_PREFIX}{uuid.uuid4()}"
        outcome: dict[str, Any] = {"answers": [], "id": None}
        filings[key] = outcome
        form = p.filing_form(point, category, key)
        for attempt in range(ATTEMPTS):
            with self.client.post(
                p.FILING_PATH,
                data=form,
                files={"photos": ("photo.jpg", PHOTO, "image/jpeg")},
                headers={"Idempotency-Key": key, "Accept": "application/json"},
                name="file report",
                timeout=TIMEOUT,
                catch_response=True,
            ) as answer:
                outcome["answers"].append(answer.status_code)
                if answer.status_code in (200, 201):
                    outcome["id"] = answer.json()["id"]
                    return
                answer.failure(f"status {answer.status_code}: {answer.text[:200]}")
                # Only a missing answer, a server error or a 429 is worth sending again.
                if answer.status_code not in (0, 429) and answer.status_code < 500:
                    return
                wait = float(answer.headers.get("Retry-After") or 2**attempt)
            if attempt + 1 < ATTEMPTS:
                time.sleep(min(wait, 30.0))
