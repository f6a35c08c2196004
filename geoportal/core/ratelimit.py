"""Rate limits counted in PostgreSQL: shared by every process and replica, exact under
concurrency (one upsert statement per request, no read-then-write race). The usual
libraries (django-ratelimit, DRF's throttles) count in Django's cache, which here is a
file cache per machine: each replica would count on its own, and a cache's get-then-set
lets simultaneous requests through.

An address is not a person (a mobile carrier's CGNAT, an office's Wi-Fi), so a scope
(filing, support, a photo's location, sign-in) has two limits (settings.RATE_LIMITS): one
per client, against which the request's device, session and account are each counted
(geoportal/core/clients.py), and a generous ceiling per address. A request over any of
them is refused with 429 and Retry-After, in the client's language, saying what was
counted and when to try again, before anything is read or written. Open311 counts its
API key alone, against the key's own limit (`check_key`).

DRF views use `DatabaseRateThrottle` with a `throttle_scope`, or call `enforce`; plain
views call `check` and answer the `Wait` themselves.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import APIException, Throttled
from rest_framework.throttling import BaseThrottle

from geoportal.core.clients import Identity, Kind, identities

# "window" is a reserved word in SQL: quoted. Rows are sent in key order, so two requests
# counting the same keys lock them in the same order (no deadlock).
UPSERT = """
INSERT INTO core_ratecounter (key, "window", hits, expires_at) VALUES {rows}
ON CONFLICT (key, "window") DO UPDATE SET hits = core_ratecounter.hits + 1
RETURNING key, hits
"""
PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}

# What was done too often, per scope, and where it was counted: the refusal joins them.
DONE = {
    "report": gettext_lazy("Too many reports were sent"),
    "support": gettext_lazy("Too many supports were given"),
    "photo_location": gettext_lazy("Too many photos were checked for their location"),
    "login": gettext_lazy("Too many sign-in attempts were made"),
    "resident_link": gettext_lazy("Too many sign-in links were asked for"),
    "open311": gettext_lazy("Too many reports were filed"),
    "permit_precheck": gettext_lazy("Too many sites were checked"),
    "permit_application": gettext_lazy("Too many permit applications were sent"),
}
COUNTED = {
    Kind.DEVICE: gettext_lazy("from this device"),
    Kind.SESSION: gettext_lazy("in this browser session"),
    Kind.ACCOUNT: gettext_lazy("from this account"),
    Kind.ADDRESS: gettext_lazy("from your network address (shared by everyone on it)"),
    Kind.KEY: gettext_lazy("with this API key"),
}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'10/hour', '5/minute', '100/day', '3/second'."""
        count, _slash, period = text.partition("/")
        if not count.strip().isdigit() or period.strip() not in PERIODS:
            raise ValueError(f"{text!r} is not a rate such as 10/hour (second, minute, hour, day).")
        return cls(int(count), PERIODS[period.strip()])

    @classmethod
    def hourly(cls, count: int) -> Rate:
        return cls(count, PERIODS["hour"])


def retry_at(seconds: int) -> datetime:
    return timezone.localtime(timezone.now() + timedelta(seconds=seconds))


def when(seconds: int) -> str:
    """'in 40 s', 'in 12 min (at 14:35)' within the hour, else 'at 14:35' (the site's time
    zone)."""
    if seconds < 60:
        return _("in %(seconds)s s") % {"seconds": seconds}
    at = retry_at(seconds).strftime("%H:%M")
    minutes = math.ceil(seconds / 60)
    if minutes <= 60:
        return _("in %(minutes)s min (at %(time)s)") % {"minutes": minutes, "time": at}
    return _("at %(time)s") % {"time": at}


@dataclass(frozen=True)
class Wait:
    """A refusal: what was done too often, what was counted, and how long to wait."""

    scope: str
    counted: Kind
    seconds: int

    def message(self) -> str:
        return _("%(done)s %(counted)s; try again %(when)s.") % {
            "done": DONE[self.scope],
            "counted": COUNTED[self.counted],
            "when": when(self.seconds),
        }


Counts = dict[str, tuple[int, float]]


def hit_all(counts: list[tuple[str, Rate]], now: float | None = None) -> Counts:
    """Count one request under each key, in one statement: key → (requests in its window
    so far, seconds until the window ends)."""
    moment = time.time() if now is None else now
    rows: list[str] = []
    params: list[str | int | datetime] = []
    ends: dict[str, int] = {}
    for key, rate in sorted(dict(counts).items(), key=lambda item: item[0]):
        window = int(moment // rate.seconds)
        ends[key] = (window + 1) * rate.seconds
        expires = datetime.fromtimestamp(ends[key], tz=UTC) + timedelta(seconds=1)
        rows.append("(%s, %s, 1, %s)")
        params += [key, window, expires]
    with connection.cursor() as cursor:
        cursor.execute(UPSERT.format(rows=", ".join(rows)), params)
        hits = {str(key): int(count) for key, count in cursor.fetchall()}
    return {key: (hits[key], end - moment) for key, end in ends.items()}


def hit(key: str, rate: Rate, now: float | None = None) -> tuple[int, float]:
    """Count one request under one key; (requests in this window, seconds until it ends)."""
    return hit_all([(key, rate)], now)[key]


def _over(scope: str, counted: list[tuple[Identity, Rate]]) -> Wait | None:
    hits = hit_all([(f"{scope}:{identity.key}", rate) for identity, rate in counted])
    waits = []
    for identity, rate in counted:
        count, remaining = hits[f"{scope}:{identity.key}"]
        if count > rate.count:
            waits.append((remaining, identity.kind))
    if not waits:
        return None
    remaining, kind = max(waits, key=lambda wait: wait[0])
    return Wait(scope, kind, max(1, math.ceil(remaining)))


def check(request: HttpRequest, scope: str) -> Wait | None:
    """Count the request under its device, session, account and address; None when it is
    within the scope's limits, else the longest wait."""
    if not settings.RATE_LIMITS_ENABLED or scope not in settings.RATE_LIMITS:
        return None
    limits = settings.RATE_LIMITS[scope]
    client, address = Rate.parse(limits["client"]), Rate.parse(limits["address"])
    counted = [(identity, address if identity.kind is Kind.ADDRESS else client)
               for identity in identities(request)]  # fmt: skip
    return _over(scope, counted)


def check_key(scope: str, key_id: int, rate: Rate) -> Wait | None:
    """Count a request under an API key alone (whatever address it comes from)."""
    if not settings.RATE_LIMITS_ENABLED:
        return None
    return _over(scope, [(Identity(Kind.KEY, str(key_id)), rate)])


class TooManyRequests(Throttled):
    """A DRF view's 429: Retry-After and the message in the client's language (without the
    English "Expected available in N seconds" DRF's Throttled appends); geoportal.api_errors
    answers it with `body()`."""

    def __init__(self, message: str, seconds: int, counted: Kind | None = None) -> None:
        APIException.__init__(self, message)
        self.wait: int = seconds
        self.counted = counted

    def body(self) -> dict[str, Any]:
        """The reason in words, what was counted (for a rate limit), and when to retry."""
        found: dict[str, Any] = {"detail": str(self.detail)}
        if self.counted is not None:
            found["counted"] = self.counted.value
        found["retry_after"] = self.wait
        found["retry_at"] = retry_at(self.wait).isoformat(timespec="seconds")
        return found


class RateLimited(TooManyRequests):
    """Over a rate limit (`check`)."""

    def __init__(self, refusal: Wait) -> None:
        super().__init__(refusal.message(), refusal.seconds, refusal.counted)
        self.refusal = refusal


def enforce(request: Any, scope: str) -> None:
    """Raise RateLimited when the request is over the scope's limits."""
    if (refusal := check(request, scope)) is not None:
        raise RateLimited(refusal)


def forget_expired() -> int:
    """Delete the counters of windows that have ended (the clocks task does it)."""
    from geoportal.core.models import RateCounter

    deleted, _by_model = RateCounter.objects.filter(expires_at__lt=datetime.now(UTC)).delete()
    return deleted


class DatabaseRateThrottle(BaseThrottle):
    """DRF's throttle interface over `check`, for views with a `throttle_scope`; reading
    (GET, HEAD, OPTIONS) is not counted."""

    def allow_request(self, request: Any, view: Any) -> bool:
        scope = getattr(view, "throttle_scope", "")
        if scope and request.method not in ("GET", "HEAD", "OPTIONS"):
            enforce(request, scope)
        return True
