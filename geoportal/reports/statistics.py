"""Statistics of PROCEDURE.md ("Statistics and the monthly control report").

By hromada, for the reports received in a month (Kyiv time), grouped by department or
by category: received, approved, rejected (by ground), duplicates, outside competence,
routings, returns, resolved, not resolved, overdue now and ever, the share answered
on time, and the median hours to moderation, to acknowledgement and to answer. One
aggregate query per grouping, on columns the life cycle keeps up to date.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce

from geoportal.municipalities.models import Municipality
from geoportal.municipalities.working_days import KYIV
from geoportal.reports import timebase
from geoportal.reports.models import Report
from geoportal.reports.states import RejectionGround, State

GROUPINGS = {"department": "department__code", "category": "category__code"}


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): NULLs (not reached yet) are left out."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _between(later: str, earlier: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


@dataclass
class Row:
    key: str
    name: str
    received: int = 0
    approved: int = 0
    rejected: int = 0
    duplicates: int = 0
    out_of_competence: int = 0
    routed: int = 0
    returned: int = 0
    resolved: int = 0
    not_resolved: int = 0
    overdue_now: int = 0
    overdue_ever: int = 0
    answered: int = 0
    answered_on_time: int = 0
    share_on_time: float | None = None
    median_hours_to_moderation: float | None = None
    median_hours_to_acknowledgement: float | None = None
    median_hours_to_answer: float | None = None
    rejected_by_ground: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=KYIV)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following


def _hours(value: timedelta | None) -> float | None:
    return round(value.total_seconds() / 3600, 1) if value is not None else None


def statistics(municipality: Municipality, month: date | None, by: str = "department") -> list[Row]:
    """One row per department (or category), then the total row (key "total")."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}")
    now = timebase.now()
    reports = Report.objects.filter(municipality=municipality)
    if month is not None:
        start, end = month_bounds(month)
        reports = reports.filter(created_at__gte=start, created_at__lt=end)
    overdue_now = ~Q(clock="") & Q(due_at__lt=now)
    measures = {
        "received": Count("pk"),
        "approved": Count("pk", filter=Q(first_routed_at__isnull=False)),
        "rejected": Count("pk", filter=Q(state=State.REJECTED)),
        "duplicates": Count("pk", filter=Q(state=State.DUPLICATE)),
        "out_of_competence": Count("pk", filter=Q(state=State.OUT_OF_COMPETENCE)),
        "routed": Coalesce(Sum("times_routed"), 0),
        "returned": Coalesce(Sum("times_returned"), 0),
        "resolved": Count("pk", filter=Q(state=State.RESOLVED)),
        "not_resolved": Count("pk", filter=Q(state=State.NOT_RESOLVED)),
        "overdue_now": Count("pk", filter=overdue_now),
        "overdue_ever": Count("pk", filter=overdue_now | Q(was_overdue=True)),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "answered_on_time": Count("pk", filter=Q(answered_on_time=True)),
        "to_moderation": Median(_between("moderated_at", "created_at")),
        "to_acknowledgement": Median(_between("acknowledged_at", "first_routed_at")),
        "to_answer": Median(_between("answered_at", "first_routed_at")),
    }
    group = GROUPINGS[by]
    grouped = reports.values(group).annotate(**measures).order_by(group)
    rows = [_row(values.get(group) or "", "", values) for values in grouped]
    total = reports.aggregate(**measures)
    rows.append(_row("total", "", total))
    _add_grounds(reports, group, rows)
    return _named(rows, municipality, by)


def _named(rows: list[Row], municipality: Municipality, by: str) -> list[Row]:
    """The departments' or categories' names in the active language."""
    from geoportal.municipalities.models import Category, Department

    model = Department if by == "department" else Category
    field = "name_en" if _language() == "en" else "name_uk"
    names = dict(model.objects.filter(municipality=municipality).values_list("code", field))
    for row in rows:
        row.name = names.get(row.key, "")
    return rows


def _cache_key(municipality: Municipality, month: date | None, by: str) -> str:
    return f"statistics:{municipality.pk}:{month.isoformat() if month else 'all'}:{by}"


def current_statistics(
    municipality: Municipality, month: date | None, by: str = "department"
) -> tuple[list[Row], datetime]:
    """The statistics as last computed (by the worker every few minutes, or now when none
    are kept), with the time they were computed: at a million reports they take seconds."""
    lifetime = settings.STATISTICS_CACHE_SECONDS
    if lifetime <= 0:
        return statistics(municipality, month, by), timebase.now()
    kept = cache.get(_cache_key(municipality, month, by))
    if kept is None:
        kept = refresh(municipality, month, by)
    rows, computed = kept
    return _named([replace(row) for row in rows], municipality, by), computed


def refresh(municipality: Municipality, month: date | None, by: str) -> tuple[list[Row], datetime]:
    kept = (statistics(municipality, month, by), timebase.now())
    # Twice the lifetime: a running worker refreshes it long before it goes.
    cache.set(_cache_key(municipality, month, by), kept, 2 * settings.STATISTICS_CACHE_SECONDS)
    return kept


def refresh_all(now: datetime | None = None) -> int:
    """Recompute this month's and all-time statistics of every hromada (the worker does it
    with the clocks, so nobody waits for them)."""
    if settings.STATISTICS_CACHE_SECONDS <= 0:
        return 0
    month = (now or timebase.now()).astimezone(KYIV).date().replace(day=1)
    done = 0
    for municipality in Municipality.objects.active():
        for period in (month, None):
            for by in GROUPINGS:
                refresh(municipality, period, by)
                done += 1
    return done


def _language() -> str:
    from django.utils.translation import get_language

    return (get_language() or "uk")[:2]


def _row(key: str, name: str, values: dict[str, Any]) -> Row:
    row = Row(key=key or "", name=name)
    for counted in ("received", "approved", "rejected", "duplicates", "out_of_competence",
                    "routed", "returned", "resolved", "not_resolved", "overdue_now",
                    "overdue_ever", "answered", "answered_on_time"):  # fmt: skip
        setattr(row, counted, int(values[counted] or 0))
    if row.answered:
        row.share_on_time = round(row.answered_on_time / row.answered, 3)
    row.median_hours_to_moderation = _hours(values["to_moderation"])
    row.median_hours_to_acknowledgement = _hours(values["to_acknowledgement"])
    row.median_hours_to_answer = _hours(values["to_answer"])
    return row


def _add_grounds(reports: Any, group: str, rows: list[Row]) -> None:
    by_key = {row.key: row for row in rows}
    rejected = (
        reports.filter(state=State.REJECTED)
        .values(group, "rejection_ground")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item in rejected:
        ground = str(item["rejection_ground"])
        for key in (item[group] or "", "total"):
            grounds = by_key[key].rejected_by_ground
            grounds[ground] = grounds.get(ground, 0) + int(item["n"])
    for row in rows:
        row.rejected_by_ground = {
            ground: row.rejected_by_ground.get(ground, 0) for ground in RejectionGround.values
        }
