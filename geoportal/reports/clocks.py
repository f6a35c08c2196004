"""The procedure's clocks at work: overdue marks, one escalation, one reminder, the digest.

Everything here reads and writes data (due times and what was sent), never timers in
memory, so a restart loses nothing and repeats nothing. The worker runs `run_clocks`
every few minutes (tasks.py); it may also be run by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.db import IntegrityError, transaction

from geoportal.municipalities.models import Municipality
from geoportal.municipalities.working_days import KYIV
from geoportal.procedure import clock
from geoportal.reports import notify, timebase
from geoportal.reports.models import DigestRun, Report


@dataclass
class ClockRun:
    marked_overdue: int = 0
    escalated: int = 0
    reminded: int = 0
    digests: int = 0


def mark_overdue(now: datetime) -> int:
    """Stamp reports whose running clock has passed; "overdue ever" stays after they move."""
    return clock.mark_overdue(Report.objects.all(), now)


def escalate(now: datetime) -> int:
    return clock.each_locked(
        clock.due_escalations(Report.objects.all(), now), "escalated_at", notify.escalate, now
    )


def remind(now: datetime) -> int:
    return clock.each_locked(
        clock.due_reminders(Report.objects.all(), now), "reminded_at", notify.remind, now
    )


def send_digests(now: datetime) -> int:
    """Each hromada's digest once a day, from DIGEST_HOUR local time on."""
    local = now.astimezone(KYIV)
    if local.time() < time(settings.DIGEST_HOUR):
        return 0
    sent = 0
    for municipality in Municipality.objects.active():
        try:
            with transaction.atomic():
                DigestRun.objects.create(municipality=municipality, day=local.date())
                overdue = Report.objects.overdue(now).filter(municipality=municipality)
                if notify.digest(municipality, overdue):
                    sent += 1
        except IntegrityError:  # already sent today
            continue
    return sent


def run_clocks(now: datetime | None = None) -> ClockRun:
    now = now or timebase.now()
    return ClockRun(
        marked_overdue=mark_overdue(now),
        escalated=escalate(now),
        reminded=remind(now),
        digests=send_digests(now),
    )
