"""A running deadline: which step's clock runs, when it is due, its reminder and its one
escalation. Everything is data on the case, never a timer in memory, so a restart of the
worker loses nothing and repeats nothing. Reports and permit applications both carry these
fields; each names its own clocks (a TextChoices on its `clock` field, "" = none)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from geoportal.municipalities.working_days import WorkingCalendar


class Clocked(models.Model):
    """The clock's fields and the two moves on them. The concrete model adds
    `clock = CharField(choices=<its clocks>, blank=True)` and a `municipality`."""

    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    remind_at = models.DateTimeField(_("reminder due"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    was_overdue = models.BooleanField(_("was ever overdue"), default=False)

    class Meta:
        abstract = True

    clock: Any
    municipality: Any

    def _calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.municipality)

    def start_clock(self, clock: str, due: datetime) -> None:
        """Run `clock` until `due`; its reminder (the hromada's working days before) and
        its escalation are sent once, afresh."""
        self.clock, self.due_at = clock, due
        self.remind_at = self._calendar().reminder_time(
            due, self.municipality.reminder_working_days_before
        )
        self.reminded_at = self.escalated_at = self.overdue_since = None

    def stop_clock(self) -> None:
        self.clock = ""
        self.due_at = self.remind_at = self.reminded_at = None
        self.escalated_at = self.overdue_since = None

    def start_working_clock(self, clock: str, now: datetime, working_days: int) -> None:
        self.start_clock(clock, self._calendar().working_deadline(now, working_days))


def running_overdue(queryset: Any, now: datetime) -> Any:
    """Cases whose running clock has passed."""
    return queryset.exclude(clock="").filter(due_at__lt=now)


def mark_overdue(queryset: Any, now: datetime) -> int:
    """Stamp cases whose running clock has passed; "overdue ever" stays after they move."""
    return (
        running_overdue(queryset, now)
        .filter(overdue_since__isnull=True)
        .update(overdue_since=now, was_overdue=True)
    )


def due_reminders(queryset: Any, now: datetime) -> Any:
    return queryset.exclude(clock="").filter(
        reminded_at__isnull=True, remind_at__lte=now, due_at__gt=now
    )


def due_escalations(queryset: Any, now: datetime) -> Any:
    return running_overdue(queryset, now).filter(escalated_at__isnull=True)


def each_locked(queryset: Any, stamp: str, send: Callable[[Any], object], now: datetime) -> int:
    """Lock each due case in turn (skipping ones another run holds), send, stamp `stamp`."""
    done = 0
    model = queryset.model
    for pk in list(queryset.values_list("pk", flat=True)):
        with transaction.atomic():
            case = (
                queryset.select_for_update(skip_locked=True, of=("self",))
                .select_related("municipality")
                .filter(pk=pk)
                .first()
            )
            if case is None:  # moved on meanwhile, or another run is on it
                continue
            send(case)
            model.objects.filter(pk=pk).update(**{stamp: now})
            done += 1
    return done
