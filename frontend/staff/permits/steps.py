"""The clock of each step of an application, as the console lists it: registration, the
check and the decision, each with its term in working days (the hromada's PermitSettings),
when it started, when it was done, and for the running one its due time and whether it is
overdue. Only the running step's due time is stored (Clocked); the others are history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from geoportal.permits.models import PermitClock, PermitSettings


@dataclass(frozen=True)
class Step:
    name: str
    working_days: int
    started_at: datetime | None
    done_at: datetime | None
    due_at: datetime | None  # the running step's only
    is_overdue: bool

    @property
    def is_running(self) -> bool:
        return self.due_at is not None


def steps_of(application: Any, settings: PermitSettings, now: datetime) -> list[Step]:
    rows = [
        (PermitClock.REGISTRATION, settings.registration_working_days,
         application.created_at, application.registered_at),
        (PermitClock.CHECK, settings.check_working_days,
         application.registered_at, application.checked_at),
        (PermitClock.ISSUE, settings.issue_working_days,
         application.checked_at, application.decided_at),
    ]  # fmt: skip
    steps = []
    for clock, days, started, done in rows:
        running = application.clock == clock and application.due_at is not None
        due = application.due_at if running else None
        overdue = bool(running and due and due < now)
        steps.append(Step(str(clock.label), days, started, done, due, overdue))
    return steps
