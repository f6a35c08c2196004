"""The error every backup step raises, and progress lines for the long steps."""

from __future__ import annotations

import time
from collections.abc import Callable

Log = Callable[[str], object]


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says which step or file and why."""


class Progress:
    """`what: n/total (detail)` lines, at most one every `interval` seconds, and the last."""

    def __init__(self, log: Log, what: str, total: int, interval: float = 2.0) -> None:
        self.log, self.what, self.total, self.interval = log, what, total, interval
        self.last = float("-inf")

    def step(self, done: int, detail: str = "") -> None:
        now = time.monotonic()
        if done < self.total and now - self.last < self.interval:
            return
        self.last = now
        suffix = f" ({detail})" if detail else ""
        self.log(f"{self.what}: {done:,}/{self.total:,}{suffix}")
