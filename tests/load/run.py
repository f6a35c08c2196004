"""`make load`: a bounded load test on loopback.

Makes the load database afresh (reference and demo data), serves it with gunicorn on a
free 127.0.0.1 port beside a Procrastinate worker, runs locust headless with residents
browsing the map and residents filing reports (tests/load/locustfile.py) for a fixed
time, then checks the answers and the stored reports and writes tests/load/RESULTS.md
(a run with other than the default duration or users writes RESULTS-trial.md, so the
full run's figures stay). Everything it starts is stopped on the way out, failed or not.

    python -m tests.load.run                                # 5 minutes, 100 + 10 residents
    python -m tests.load.run --duration 30s --browsers 20 --filers 2
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

from tests.perf.server import GUNICORN_CONF, PRODUCTION, free_port

BASE_DIR = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
RESULTS = HERE / "RESULTS.md"
RESULTS_TRIAL = HERE / "RESULTS-trial.md"
WORK = BASE_DIR / ".local" / "load"  # the last run's plan, logs and outcomes
LOAD_DB = "geoportal_load"
DEFAULTS = {"duration": "5m", "browsers": 100, "filers": 10}
SECRET_KEY = "load-only-secret-key-00000000000000000000000000000000"
# Every filer comes from 127.0.0.1, one address, and each files far more often than a
# person: the production limits on filing (RATE_REPORT per device, RATE_REPORT_ADDRESS per
# address) would refuse most reports. The limiter stays on, so its counting in PostgreSQL
# is part of what is measured.
RATE_ENV = {"RATE_LIMITS_ENABLED": "1", "RATE_REPORT": "1000000/hour",
            "RATE_REPORT_ADDRESS": "1000000/hour"}  # fmt: skip
STOP_TIMEOUT = 90  # seconds locust lets each resident finish what it is doing at the end
MAIL_TIMEOUT = 120  # seconds the worker gets after the run to send the e-mails queued


def seconds(duration: str) -> int:
    """locust's --run-time syntax ("300", "30s", "5m", "1h30m") in seconds."""
    if duration.isdigit():
        return int(duration)
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", duration)
    if not parts or not any(parts.groups()):
        raise argparse.ArgumentTypeError(f"{duration!r} is not a duration such as 30s or 5m")
    hours, minutes, secs = (int(part or 0) for part in parts.groups())
    return hours * 3600 + minutes * 60 + secs


def load_url() -> str:
    """The load database, on the project's PostgreSQL server (the embedded one by default)."""
    from geoportal.envconfig import embedded_database_url

    base = os.environ.get("DATABASE_URL") or embedded_database_url(BASE_DIR)
    return urlunsplit(urlsplit(base)._replace(path=f"/{LOAD_DB}"))


def fresh_database(url: str) -> None:
    """Drop and make the load database, so that a run counts only its own reports."""
    from tests.perf.database import ensure_database, libpq

    admin = urlunsplit(urlsplit(libpq(url))._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=30) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{LOAD_DB}" WITH (FORCE)')
    ensure_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DEMO": "1", "DEBUG": "0",
           "SECRET_KEY": SECRET_KEY, "EMAIL_URL": "dummymail://"}  # fmt: skip
    for command in (["migrate", "--noinput", "-v", "0"], ["load_reference"], ["load_demo"],
                    ["load_demo_layers"], ["load_demo_reports"]):  # fmt: skip
        subprocess.run([sys.executable, "manage.py", *command], check=True, timeout=900, env=env)


def server_env(url: str) -> dict[str, str]:
    """The environment of gunicorn and the worker, as `make bench` sets gunicorn's."""
    return {"DATABASE_URL": url, "DEBUG": "0", "DEMO": "0", "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0",
            "EMAIL_URL": "dummymail://", "DB_CONN_MAX_AGE": "60", "LOG_LEVEL": "WARNING",
            "CACHE_DIR": str(WORK / "cache"), "MEDIA_ROOT": str(WORK / "media"),
            **RATE_ENV}  # fmt: skip


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def serving(log: Path) -> Iterator[str]:
    """gunicorn on a free loopback port as production and `make bench` run it
    (docker/gunicorn.conf.py), but with its log kept and a start-up probe that waits out a
    busy machine: tests/perf/server.py's gives up when the first answer takes over 2 s,
    which booting the workers on two shared cores can."""
    base = f"http://127.0.0.1:{free_port()}"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(gunicorn), "--config", str(GUNICORN_CONF), "--bind",
             base.removeprefix("http://"), "--log-level", "warning",
             "geoportal.wsgi:application"],
            stdout=output, stderr=subprocess.STDOUT, env=dict(os.environ), cwd=BASE_DIR,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while not _answers(f"{base}/health/"):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; its log: {log}")
                time.sleep(0.5)
            yield base
        finally:
            stop(process)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=10).status_code < 500
    except requests.RequestException:
        return False


@contextmanager
def working(log: Path) -> Iterator[None]:
    """The Procrastinate worker, as `make run` starts it, until the block ends."""
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker"],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=dict(os.environ),
        )
        try:
            yield
        finally:
            stop(process)


def wait_for_worker(base: str, timeout: float = 60) -> None:
    """Until /health/ counts a live worker."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/health/", timeout=5).json().get("workers", 0) > 0:
                return
        except requests.RequestException:
            pass  # busy starting; ask again
        time.sleep(1)
    raise RuntimeError(f"no worker reported to /health/ within {timeout:.0f} s")


def run_locust(base: str, options: argparse.Namespace, prefix: str) -> int:
    """locust's exit code: 0, or 1 when any request failed; the outcomes are in WORK."""
    env = {**os.environ, "PYTHONPATH": str(BASE_DIR), "LOAD_PLAN": str(WORK / "plan.json"),
           "LOAD_OUTCOMES": str(WORK / "outcomes.json"), "LOAD_KEY_PREFIX": prefix,
           "LOAD_BROWSERS": str(options.browsers), "LOAD_FILERS": str(options.filers)}  # fmt: skip
    command = [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
               "--host", base, "--users", str(options.browsers + options.filers),
               "--spawn-rate", str(options.spawn_rate), "--run-time", options.duration,
               "--stop-timeout", str(STOP_TIMEOUT), "--only-summary"]  # fmt: skip
    limit = seconds(options.duration) + STOP_TIMEOUT + 120
    with (WORK / "locust.log").open("w") as log:
        done = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, env=env, timeout=limit)
    return done.returncode


def mail_of_run(prefix: str, timeout: float) -> tuple[int, int]:
    """(e-mails the run's reports queued, of which still unsent) once the worker has sent
    them all or `timeout` seconds have passed."""
    from geoportal.reports.models import Notification

    queued = Notification.objects.filter(report__idempotency_key__startswith=prefix)
    deadline = time.monotonic() + timeout
    while queued.pending().exists() and time.monotonic() < deadline:
        time.sleep(2)
    return queued.count(), queued.pending().count()


def stored_reports(prefix: str) -> list[tuple[str, int, str]]:
    """(key, id, description) of the reports the run filed: by key, or by the tag the
    description carries (plan.filing_form), should one be stored without its key."""
    from django.db.models import Q

    from geoportal.reports.models import Report

    found = Report.objects.filter(
        Q(idempotency_key__startswith=prefix) | Q(description__contains=prefix)
    ).values_list("idempotency_key", "pk", "description")
    return [(key or "", pk, description) for key, pk, description in found]


@dataclass
class Run:
    """What the results page says about the run besides the figures."""

    options: argparse.Namespace
    full: bool
    started: datetime
    loads: tuple[float, float]  # 1-minute load average before and after
    plots: int
    demo_reports: int
    photo_kb: int
    cpu_warning: bool


def revision() -> str:
    """The commit the code was at, and whether files differed from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True, timeout=30)
        return done.stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "an unknown commit"
    if not head:
        return "an unknown commit"
    return f"commit {head}" + (" with uncommitted changes" if changed else "")


def setting(run: Run) -> list[str]:
    from tests.load.plan import MUNICIPALITY
    from tests.perf.bench import machine

    o = run.options
    return [
        "# Load test results" + ("" if run.full else " (trial run)"),
        "",
        f"`make load`{'' if run.full else ' with other settings'}, started "
        f"{run.started:%Y-%m-%d %H:%M %Z} on {machine()}, code at {revision()}.",
        "",
        f"- **Load:** for {o.duration}, {o.browsers} simulated residents browse the map, "
        "1–3 s between moves (map page, boundary, report clusters for the view, vector tiles "
        "of zoning from z10 and of land plots from z14 that the browser does not hold yet, "
        "МАФ and advertising GeoJSON from z13, report pages and API, the report list of the "
        f"view), and {o.filers} file reports, 3–10 s between filings (form page, nearby "
        f"reports, then a POST with a {run.photo_kb} KB JPEG under an Idempotency-Key, sent "
        "again with the same key on no answer or a 5xx); started at "
        f"{o.spawn_rate:g} residents/s. locust headless, one process, on the same machine.",
        f"- **Server:** {PRODUCTION} (docker/gunicorn.conf.py, DB_CONN_MAX_AGE=60) and one "
        "Procrastinate worker (e-mails to a dummy backend), on 127.0.0.1 only; database "
        f"`{LOAD_DB}` on the embedded PostGIS, made afresh with the reference and demo data "
        f"({run.plots:,} land plots and {run.demo_reports:,} demo reports in {MUNICIPALITY}).",
        f"- **Rate limits:** on, with `RATE_REPORT={RATE_ENV['RATE_REPORT']}` and "
        f"`RATE_REPORT_ADDRESS={RATE_ENV['RATE_REPORT_ADDRESS']}` in the server's "
        "environment: every filer comes from one address (127.0.0.1) and files every few "
        "seconds, where the production limits (10/hour per device, 200/hour per address) "
        "would refuse most reports; the counters are still kept in PostgreSQL, so their "
        "cost is in the figures.",
        f"- **Machine load:** 1-minute load average {run.loads[0]:.1f} before the run and "
        f"{run.loads[1]:.1f} at its end, on {os.cpu_count()} cores shared by the server, "
        "PostgreSQL and the load generator; a load above what the run makes is other work"
        + (". locust warned that its own CPU use was above 90 %." if run.cpu_warning else "."),
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default=DEFAULTS["duration"], help="e.g. 30s, 5m")
    parser.add_argument("--browsers", type=int, default=DEFAULTS["browsers"])
    parser.add_argument("--filers", type=int, default=DEFAULTS["filers"])
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="residents started per s")
    options = parser.parse_args()
    seconds(options.duration)  # refuse a bad duration before anything starts
    full = all(getattr(options, name) == value for name, value in DEFAULTS.items())
    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    shutil.rmtree(WORK, ignore_errors=True)  # the last run's tiles, photos and logs
    WORK.mkdir(parents=True)

    url = load_url()
    print(f"Load database: {url.rsplit('@', 1)[-1]}, made afresh", flush=True)
    fresh_database(url)
    os.environ.update(server_env(url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "geoportal.settings"
    import django

    django.setup()
    from geoportal.reports.models import Report
    from tests.load import results as r
    from tests.load.plan import MUNICIPALITY, build_plan, photo_jpeg
    from tests.perf.database import counts

    build_plan().dump(WORK / "plan.json")
    plots, demo_reports = counts(url, MUNICIPALITY)
    prefix = f"load-{datetime.now():%Y%m%d%H%M%S}-"
    reports_before = Report.objects.count()
    load_before = os.getloadavg()[0]
    started = datetime.now().astimezone()
    print(f"{options.browsers} residents browsing and {options.filers} filing for "
          f"{options.duration}; locust's log: {WORK / 'locust.log'}", flush=True)  # fmt: skip
    with serving(WORK / "gunicorn.log") as base, working(WORK / "worker.log"):
        wait_for_worker(base)
        print(f"Serving {base} with {PRODUCTION} and the worker", flush=True)
        code = run_locust(base, options, prefix)
        mail, unsent = mail_of_run(prefix, MAIL_TIMEOUT)
    log = (WORK / "locust.log").read_text()
    if code not in (0, 1) or not (WORK / "outcomes.json").exists():
        print(log[-3000:], file=sys.stderr)
        print(f"locust failed (exit {code}); its log: {WORK / 'locust.log'}", file=sys.stderr)
        return 2

    outcomes = json.loads((WORK / "outcomes.json").read_text())
    made: dict[str, dict[str, Any]] = outcomes["requests"]
    kinds = r.summarise(made, outcomes["window"])
    found = r.reconcile(outcomes["filings"], stored_reports(prefix))
    new_reports = Report.objects.count() - reports_before
    errors, silent = r.answered(made, 500, 599), r.answered(made, 0, 0)
    other = kinds[-1].failures - errors - silent
    checks: list[tuple[str, object, bool | None]] = [
        ("server errors (5xx)", errors, errors == 0),
        ("requests without an answer (timeout or reset)", silent, silent == 0),
        ("other unexpected answers", other, other == 0),
        ("filings answered 201 Created", found.created, None),
        ("filings first answered by a replay (200, same Idempotency-Key)", found.replayed, None),
        ("filings never answered 200 or 201", found.unanswered, found.unanswered == 0),
        ("reports of the run counted in the database", found.stored,
         found.stored == found.created + found.replayed),
        ("new reports in the database, all told", new_reports, new_reports == found.stored),
        ("lost (answered, not stored under the id answered)", len(found.lost), not found.lost),
        ("duplicated (one filing stored more than once)", len(found.duplicated),
         not found.duplicated),
        ("stored, but the filer was never told", len(found.unconfirmed), not found.unconfirmed),
        ("stored under a key no filer sent", len(found.strangers), not found.strangers),
        ("e-mails the filings queued", mail, None),
        (f"of which unsent by the worker {MAIL_TIMEOUT} s after the end", unsent, unsent == 0),
    ]  # fmt: skip
    passed = all(ok is not False for _name, _value, ok in checks)
    run = Run(options, full, started, (load_before, os.getloadavg()[0]), plots, demo_reports,
              len(photo_jpeg()) // 1024, "CPU usage above" in log)  # fmt: skip
    span = outcomes["window"][1] - outcomes["window"][0]
    body = [
        *setting(run),
        f"## Verdict: {'passed' if passed else '**failed**'}",
        "",
        "| check | found | ok |",
        "|---|---|---|",
        *(f"| {name} | {value} | {'—' if ok is None else 'yes' if ok else '**no**'} |"
          for name, value, ok in checks),
        "",
        "## Requests",
        "",
        f"{kinds[-1].requests:,} requests, {kinds[-1].per_second:.1f}/s over {span:.0f} s "
        "(from the first request to the last answer, the residents' start included). Times "
        "in ms, from sending the request to the last byte of the answer as the load "
        "generator saw them.",
        "",
        *r.kinds_table(kinds),
        "",
        "Answers by status:",
        "",
        *r.status_table(made),
        "",
    ]  # fmt: skip
    named = [("Lost", found.lost), ("Duplicated", found.duplicated),
             ("Never told", found.unconfirmed), ("Unknown keys", found.strangers)]  # fmt: skip
    for label, keys in named:
        if keys:
            body += [f"{label}: {', '.join(keys[:20])}", ""]
    results = RESULTS if full else RESULTS_TRIAL
    results.write_text("\n".join(body), encoding="utf-8")
    print("\n".join(body))
    print(f"Written to {results.relative_to(BASE_DIR)}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
