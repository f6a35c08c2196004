"""Rate limits counted in PostgreSQL: shared by every process and replica, exact under
concurrency (one upsert per request, no read-then-write race).

A limit such as "10/hour" is counted per client address and, when signed in, per
account; a request over either answers 429 with Retry-After, before anything is read or
written. The limits are settings (RATE_LIMITS, from RATE_REPORT, RATE_SUPPORT,
RATE_LOGIN and RATE_OPEN311). DRF views use `DatabaseRateThrottle` with a
`throttle_scope`; plain views call `retry_after`.
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
from rest_framework.throttling import BaseThrottle

from geoportal.core.clientip import client_ip

# "window" is a reserved word in SQL: quoted.
UPSERT = """
INSERT INTO core_ratecounter (key, "window", hits, expires_at) VALUES (%s, %s, 1, %s)
ON CONFLICT (key, "window") DO UPDATE SET hits = core_ratecounter.hits + 1
RETURNING hits
"""
PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


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


def identities(request: HttpRequest) -> list[str]:
    found = [f"ip:{client_ip(request)}"]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        found.append(f"user:{user.pk}")
    return found


def hit(key: str, rate: Rate, now: float | None = None) -> tuple[int, float]:
    """Count one request; (requests in this window so far, seconds until the window ends)."""
    moment = time.time() if now is None else now
    window = int(moment // rate.seconds)
    ends = (window + 1) * rate.seconds
    expires = datetime.fromtimestamp(ends, tz=UTC) + timedelta(seconds=1)
    with connection.cursor() as cursor:
        cursor.execute(
            UPSERT,
            [key, window, expires],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 1, ends - moment


def retry_after(request: HttpRequest, scope: str, *others: str) -> int | None:
    """None when the request is within the scope's limit for its address, its account and
    any `others` (such as an API key); else seconds to wait."""
    if not settings.RATE_LIMITS_ENABLED or scope not in settings.RATE_LIMITS:
        return None
    rate = Rate.parse(settings.RATE_LIMITS[scope])
    waits = []
    for identity in [*identities(request), *others]:
        hits, remaining = hit(f"{scope}:{identity}", rate)
        if hits > rate.count:
            waits.append(remaining)
    return max(1, math.ceil(max(waits))) if waits else None


def forget_expired() -> int:
    """Delete the counters of windows that have ended (the clocks task does it)."""
    from geoportal.core.models import RateCounter

    deleted, _by_model = RateCounter.objects.filter(expires_at__lt=datetime.now(UTC)).delete()
    return deleted


class DatabaseRateThrottle(BaseThrottle):
    """DRF's throttle interface over `retry_after`, for views with a `throttle_scope`."""

    def __init__(self) -> None:
        self.wait_seconds: int | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        scope = getattr(view, "throttle_scope", "")
        if not scope or request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        self.wait_seconds = retry_after(request, scope)
        return self.wait_seconds is None

    def wait(self) -> float | None:
        return self.wait_seconds
