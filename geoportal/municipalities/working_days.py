"""Deadline arithmetic of PROCEDURE.md: working and calendar days in Europe/Kyiv.

Working days are Monday to Friday, less Ukraine's official public holidays (the
`holidays` package; under martial law it lists none) and less the extra
non-working dates a hromada enters. A clock counts from the day after the event
(the event's own day is day 0); a working-day deadline ends at 18:00 local time
of its last day, a calendar-day deadline at 23:59 — both per-hromada settings.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays

from geoportal.municipalities.models import Municipality, NonWorkingDay

KYIV = ZoneInfo("Europe/Kyiv")


class WorkingCalendar:
    """The working days of one hromada, and the deadlines counted on them."""

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality
        self._public: dict[int, holidays.HolidayBase] = {}

    @cached_property
    def extra_days_off(self) -> frozenset[date]:
        days = NonWorkingDay.objects.filter(municipality=self.municipality)
        return frozenset(days.values_list("date", flat=True))

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= 5 or day in self.extra_days_off:
            return False
        if day.year not in self._public:
            self._public[day.year] = holidays.country_holidays("UA", years=day.year)
        return day not in self._public[day.year]

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def previous_working_day(self, day: date) -> date:
        """The last working day before `day`."""
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_deadline(self, start: datetime, days: int) -> datetime:
        """End of the `days`-th working day after `start` (18:00 Kyiv by default)."""
        day = start.astimezone(KYIV).date()
        for _ in range(days):
            day = self.next_working_day(day)
        return self._at(day, self.municipality.working_day_deadline_time)

    def calendar_deadline(self, start: datetime, days: int) -> datetime:
        """End of the `days`-th calendar day after `start` (23:59 Kyiv by default)."""
        day = start.astimezone(KYIV).date() + timedelta(days=days)
        return self._at(day, self.municipality.calendar_day_deadline_time)

    def reminder_time(self, due: datetime, working_days: int) -> datetime:
        """`working_days` working days before the deadline, at the deadline's time of day."""
        local = due.astimezone(KYIV)
        day = local.date()
        for _ in range(working_days):
            day = self.previous_working_day(day)
        return self._at(day, local.timetz().replace(tzinfo=None))

    @staticmethod
    def _at(day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=KYIV)
