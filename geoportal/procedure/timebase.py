"""The time the life cycle reads: now, or a moment set for generated demo history.

Clocks are data (due times on the case), so the actions only need to know "now".
The demo loaders walk reports and applications through the real actions at moments in the past;
everything else runs on the real time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("procedure_time", default=None)


def now() -> datetime:
    return _frozen.get() or timezone.now()


@contextmanager
def acting_at(moment: datetime) -> Iterator[None]:
    """Run the actions inside as if it were `moment` (for generated history only)."""
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)
