"""The permit procedure's clocks at work (run with the reports' clocks, every few minutes,
by the worker's reports.run_clocks task; or by hand): overdue marks, one reminder and one
escalation per running deadline, the expiry notice before a permit's end of validity, and
the expiry of permits past it. All of it is data on the applications, so a restart loses
and repeats nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from geoportal.municipalities.working_days import KYIV
from geoportal.permits import notify
from geoportal.permits.models import Application, PermitSettings
from geoportal.permits.states import IN_FORCE
from geoportal.procedure import clock, timebase
from geoportal.procedure.errors import ProcedureError


@dataclass
class PermitClockRun:
    marked_overdue: int = 0
    escalated: int = 0
    reminded: int = 0
    expiry_notices: int = 0
    expired: int = 0


def mark_overdue(now: datetime) -> int:
    return clock.mark_overdue(Application.objects.all(), now)


def escalate(now: datetime) -> int:
    due = clock.due_escalations(Application.objects.all(), now)
    return clock.each_locked(due, "escalated_at", notify.escalate, now)


def remind(now: datetime) -> int:
    due = clock.due_reminders(Application.objects.all(), now)
    return clock.each_locked(due, "reminded_at", notify.remind, now)


def send_expiry_notices(now: datetime) -> int:
    """Each permit in force is announced its end once, `expiry_notice_days` before it."""
    today = now.astimezone(KYIV).date()
    sent = 0
    for settings in PermitSettings.objects.all():
        last_day = today + timedelta(days=settings.expiry_notice_days)
        due = Application.objects.filter(
            municipality_id=settings.municipality_id,
            kind=settings.kind,
            state__in=IN_FORCE,
            expiry_noticed_at__isnull=True,
            valid_to__gte=today,
            valid_to__lte=last_day,
        )
        sent += clock.each_locked(due, "expiry_noticed_at", notify.expiry_notice, now)
    return sent


def expire_due(now: datetime) -> int:
    """Permits in force whose last valid day has passed expire (and their features)."""
    today = now.astimezone(KYIV).date()
    expired = 0
    due = Application.objects.filter(state__in=IN_FORCE, valid_to__lt=today)
    for application in due.select_related("municipality").order_by("valid_to", "pk"):
        try:
            with timebase.acting_at(now):
                application.expire()
        except ProcedureError:  # moved on meanwhile (annulled, extended by another run)
            continue
        expired += 1
    return expired


def run_clocks(now: datetime | None = None) -> PermitClockRun:
    now = now or timebase.now()
    return PermitClockRun(
        marked_overdue=mark_overdue(now),
        escalated=escalate(now),
        reminded=remind(now),
        expiry_notices=send_expiry_notices(now),
        expired=expire_due(now),
    )
