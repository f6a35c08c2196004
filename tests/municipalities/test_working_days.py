"""Deadline arithmetic of PROCEDURE.md ("Deadlines"): working and calendar days in Kyiv.

Expected dates come from the calendar: 23.11.2026 is a Monday; in 2021 (before martial
law) 23.08 was a day off moved from Saturday 28.08 and 24.08 is Independence Day;
under martial law (2026) public holidays are working days.
"""

from datetime import UTC, date, datetime, time

import pytest

from geoportal.municipalities.models import NonWorkingDay
from geoportal.municipalities.working_days import KYIV, WorkingCalendar


def kyiv(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=KYIV)


@pytest.fixture
def calendar(pokrovsk) -> WorkingCalendar:
    return WorkingCalendar(pokrovsk)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (kyiv(2026, 11, 23), 1, kyiv(2026, 11, 24, 18)),  # Monday → Tuesday 18:00
        (kyiv(2026, 11, 27, 15), 1, kyiv(2026, 11, 30, 18)),  # Friday → Monday
        (kyiv(2026, 11, 28), 1, kyiv(2026, 11, 30, 18)),  # Saturday → Monday
        (kyiv(2026, 11, 26), 2, kyiv(2026, 11, 30, 18)),  # acknowledgement: Thu → Mon
        (kyiv(2026, 12, 24), 1, kyiv(2026, 12, 25, 18)),  # Christmas works in 2026
        (kyiv(2021, 8, 20), 1, kyiv(2021, 8, 25, 18)),  # 23.08 moved day off, 24.08 holiday
    ],
)
def test_working_day_deadlines_end_at_18(calendar, start, days, due):
    assert calendar.working_deadline(start, days) == due


def test_days_entered_by_the_hromada_are_skipped(calendar, pokrovsk):
    NonWorkingDay.objects.create(municipality=pokrovsk, date=date(2026, 11, 30), reason="Демо")
    calendar = WorkingCalendar(pokrovsk)
    assert calendar.working_deadline(kyiv(2026, 11, 27), 1) == kyiv(2026, 12, 1, 18)
    assert not calendar.is_working_day(date(2026, 11, 30))


def test_another_hromadas_days_off_do_not_count(pokrovsk, pokrov):
    NonWorkingDay.objects.create(municipality=pokrov, date=date(2026, 11, 30))
    assert WorkingCalendar(pokrovsk).is_working_day(date(2026, 11, 30))


@pytest.mark.parametrize(
    ("days", "due"),
    [
        (15, kyiv(2026, 12, 8, 23, 59)),  # answer
        (30, kyiv(2026, 12, 23, 23, 59)),  # answer when study is needed
        (45, kyiv(2027, 1, 7, 23, 59)),  # extension ceiling
    ],
)
def test_calendar_day_deadlines_end_at_23_59(calendar, days, due):
    assert calendar.calendar_deadline(kyiv(2026, 11, 23), days) == due


def test_the_day_is_the_day_in_kyiv_not_in_utc(calendar):
    late_evening = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 00:30 on Tuesday in Kyiv
    assert calendar.working_deadline(late_evening, 1) == kyiv(2026, 11, 25, 18)


def test_deadlines_keep_local_time_across_the_clock_change(calendar):
    # Summer time starts on 28.03.2027: 18:00 is UTC+2 before and UTC+3 after.
    before = calendar.working_deadline(kyiv(2027, 3, 25), 1)
    after = calendar.working_deadline(kyiv(2027, 3, 26), 1)
    assert (before.hour, after.hour) == (18, 18)
    assert before.utcoffset() != after.utcoffset()


@pytest.mark.parametrize(
    ("due", "reminder"),
    [
        (kyiv(2026, 11, 24, 18), kyiv(2026, 11, 23, 18)),
        (kyiv(2026, 11, 30, 18), kyiv(2026, 11, 27, 18)),  # Monday's deadline: Friday
        (kyiv(2026, 12, 13, 23, 59), kyiv(2026, 12, 11, 23, 59)),  # a Sunday deadline
    ],
)
def test_reminder_one_working_day_before(calendar, due, reminder):
    assert calendar.reminder_time(due, 1) == reminder


def test_deadline_times_are_municipality_settings(pokrovsk):
    pokrovsk.working_day_deadline_time = time(17, 0)
    pokrovsk.calendar_day_deadline_time = time(18, 0)
    calendar = WorkingCalendar(pokrovsk)
    assert calendar.working_deadline(kyiv(2026, 11, 23), 1) == kyiv(2026, 11, 24, 17)
    assert calendar.calendar_deadline(kyiv(2026, 11, 23), 1) == kyiv(2026, 11, 24, 18)
