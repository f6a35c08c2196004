"""Timing helpers: medians, percentiles and runs of a callable."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any


def percentile(samples: Sequence[float], share: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def repeat(call: Callable[[], Any], times: int) -> list[float]:
    return [timed(call)[0] for _ in range(times)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"
