"""Statistics of the e-permit procedures (#19), per hromada and date range.

For the applications submitted in the range (Kyiv dates, both ends included; all time
when left open), per kind of permit and in total:

- how many are in each state now (kind × state);
- the processing time from registration to the decision (grant or refusal) in working
  days of the hromada's calendar (weekends, public holidays and its own days off; the
  day of registration is day 0, as the clocks count), against the deadline of the steps
  after registration: the check and the decision (PermitSettings.check_working_days +
  issue_working_days of the kind). A decision within that many working days is on time.
  Withdrawals are no decision, and a refusal before registration has no processing time;
- refusals by their ground (RefusalReason), every ground listed.

Permit applications are counted in hundreds a year, not millions: the figures are computed
on each request from three small queries (kind × state counts, refusals, and the decided
applications' two dates), without the reports' cache.
"""

from __future__ import annotations

import statistics as stats
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, QuerySet

from geoportal.municipalities.models import Municipality
from geoportal.municipalities.working_days import KYIV, WorkingCalendar
from geoportal.permits.models import Application, PermitSettings
from geoportal.permits.models.permit_settings import defaults_for
from geoportal.permits.states import Kind, RefusalReason, State

TOTAL = "total"


@dataclass
class KindFigures:
    """The figures of one kind of permit, or of all of them (kind "total")."""

    kind: str
    name: str  # the kind's name in the reader's language ("" for the total)
    total: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    decided: int = 0  # granted or refused after registration
    decided_on_time: int = 0
    share_on_time: float | None = None
    # The deadline of registration → decision; None in the total row (it differs by kind).
    deadline_working_days: int | None = None
    median_working_days: float | None = None
    mean_working_days: float | None = None
    max_working_days: int | None = None
    refused_by_reason: dict[str, int] = field(default_factory=dict)
    # Working days each decided application took (for the total's median; not sent).
    took: list[int] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self)
        del found["took"]
        return found

    def finish(self) -> None:
        """The shares and averages, once every application is counted."""
        if self.decided:
            self.share_on_time = round(self.decided_on_time / self.decided, 3)
        if self.took:
            self.median_working_days = float(stats.median(self.took))
            self.mean_working_days = round(stats.fmean(self.took), 1)
            self.max_working_days = max(self.took)


@dataclass
class PermitStatistics:
    municipality: str
    start: date | None
    end: date | None
    kinds: list[KindFigures]
    total: KindFigures


def _empty(kind: str, name: str) -> KindFigures:
    return KindFigures(
        kind=kind,
        name=name,
        by_state={state.value: 0 for state in State},
        refused_by_reason={reason.value: 0 for reason in RefusalReason},
    )


def deadlines(municipality: Municipality) -> dict[str, int]:
    """Working days from registration to the decision, per kind: the hromada's settings,
    or the defaults for a kind it has not set (a statistic creates no settings)."""
    found = {}
    kept = {s.kind: s for s in PermitSettings.objects.filter(municipality=municipality)}
    for kind in Kind:
        if kind.value in kept:
            setting = kept[kind.value]
            found[kind.value] = setting.check_working_days + setting.issue_working_days
        else:
            values, _sources = defaults_for(kind)
            found[kind.value] = values["check_working_days"] + values["issue_working_days"]
    return found


class WorkingDayCounter:
    """Working days between two dates, from one pass over the calendar of their span."""

    def __init__(self, calendar: WorkingCalendar, first: date, last: date) -> None:
        span = (last - first).days + 1
        self.working = [
            day
            for day in (first + timedelta(days=n) for n in range(max(span, 0)))
            if calendar.is_working_day(day)
        ]

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (start is day 0)."""
        return max(bisect_right(self.working, end) - bisect_right(self.working, start), 0)


def submitted_in(
    municipality: Municipality, start: date | None, end: date | None, kinds: list[str]
) -> QuerySet[Application]:
    found = Application.objects.filter(municipality=municipality, kind__in=kinds)
    if start is not None:
        found = found.filter(created_at__gte=datetime.combine(start, time.min, tzinfo=KYIV))
    if end is not None:
        following = datetime.combine(end + timedelta(days=1), time.min, tzinfo=KYIV)
        found = found.filter(created_at__lt=following)
    return found


def permit_statistics(
    municipality: Municipality,
    start: date | None = None,
    end: date | None = None,
    kinds: list[str] | None = None,
) -> PermitStatistics:
    """The figures of the hromada's applications submitted from `start` to `end`, of the
    `kinds` given (every kind when None), one row per kind and a total."""
    chosen = [kind for kind in Kind if kinds is None or kind.value in kinds]
    applications = submitted_in(municipality, start, end, [k.value for k in chosen])
    rows = {kind.value: _empty(kind.value, str(kind.label)) for kind in chosen}
    limits = deadlines(municipality)
    for kind, row in rows.items():
        row.deadline_working_days = limits[kind]

    counted = applications.values_list("kind", "state").annotate(n=Count("pk")).order_by()
    for kind, state, n in counted:
        rows[kind].by_state[state] += n
        rows[kind].total += n

    refused = (
        applications.filter(state=State.REFUSED)
        .values_list("kind", "refusal_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for kind, reason, n in refused:
        reasons = rows[kind].refused_by_reason
        reasons[reason] = reasons.get(reason, 0) + n

    _add_processing_times(municipality, applications, rows, limits)
    total = _empty(TOTAL, "")
    for row in rows.values():
        row.finish()
        total.total += row.total
        total.decided += row.decided
        total.decided_on_time += row.decided_on_time
        total.took += row.took
        for state, n in row.by_state.items():
            total.by_state[state] += n
        for reason, n in row.refused_by_reason.items():
            total.refused_by_reason[reason] = total.refused_by_reason.get(reason, 0) + n
    total.finish()
    return PermitStatistics(municipality.slug, start, end, list(rows.values()), total)


def _add_processing_times(
    municipality: Municipality,
    applications: QuerySet[Application],
    rows: dict[str, KindFigures],
    limits: dict[str, int],
) -> None:
    decided = (
        applications.filter(registered_at__isnull=False, decided_at__isnull=False)
        .exclude(state=State.WITHDRAWN)
        .values_list("kind", "registered_at", "decided_at")
    )
    spans = [
        (kind, registered.astimezone(KYIV).date(), at.astimezone(KYIV).date())
        for kind, registered, at in decided
        if registered is not None and at is not None  # the query's filter; for the types
    ]
    if not spans:
        return
    first = min(registered for _kind, registered, _at in spans)
    last = max(at for _kind, _registered, at in spans)
    counter = WorkingDayCounter(WorkingCalendar(municipality), first, last)
    for kind, registered, at in spans:
        took = counter.between(registered, at)
        row = rows[kind]
        row.decided += 1
        row.decided_on_time += took <= limits[kind]
        row.took.append(took)
