"""The procedure's clocks over real dates (time-machine): working and calendar days,
reminders and escalations exactly once, overdue counted, the daily digest."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine

from geoportal.municipalities.models import NonWorkingDay
from geoportal.municipalities.working_days import KYIV
from geoportal.reports.clocks import run_clocks
from geoportal.reports.models import Notification, Report
from geoportal.reports.statistics import statistics
from tests.reports.conftest import file_report, run_worker


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 in Kyiv (the 20th is a Friday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=KYIV)


def kinds(**filters: object) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(**filters).values_list("kind", "to_email"))


@pytest.fixture
def staff(moderator, coordinator, worker_zhkg, head_zhkg):
    return {"moderator": moderator, "coordinator": coordinator, "worker": worker_zhkg,
            "head": head_zhkg}  # fmt: skip


def test_moderation_deadline_skips_the_weekend(pokrovsk):
    with time_machine.travel(at(20, 17), tick=False):  # Friday 17:00
        report = file_report()
    assert report.due_at == at(23, 18)  # Monday 18:00


def test_a_day_off_entered_by_the_hromada_moves_the_deadline(pokrovsk):
    NonWorkingDay.objects.create(municipality=pokrovsk, date=date(2026, 11, 23), reason="Test")
    with time_machine.travel(at(20, 17), tick=False):
        report = file_report()
    assert report.due_at == at(24, 18)  # Tuesday: Monday is the hromada's day off


def test_answer_deadline_is_in_calendar_days_and_acknowledgement_in_working_days(pokrovsk, staff):
    with time_machine.travel(at(20, 10), tick=False):
        report = file_report()
        report.approve(staff["moderator"])
    # Acknowledgement: 2 working days from Friday → Tuesday 18:00; answer: 15 calendar days.
    assert (report.clock, report.due_at) == ("acknowledgement", at(24, 18))
    assert report.answer_due_at == datetime(2026, 12, 5, 23, 59, tzinfo=KYIV)  # a Saturday
    assert report.ceiling_at == datetime(2027, 1, 4, 23, 59, tzinfo=KYIV)  # 45 days


def test_deadlines_follow_the_hromadas_own_settings(pokrovsk, staff):
    pokrovsk.answer_calendar_days = 10
    pokrovsk.acknowledgement_working_days = 1
    pokrovsk.save()
    with time_machine.travel(at(20, 10), tick=False):
        report = file_report()
        report.approve(staff["moderator"])
    assert report.due_at == at(23, 18)
    assert report.answer_due_at == datetime(2026, 11, 30, 23, 59, tzinfo=KYIV)


def test_reminder_then_escalation_each_sent_exactly_once(pokrovsk, staff):
    with time_machine.travel(at(20, 17), tick=False):
        report = file_report()  # moderation due Monday 18:00; reminder Friday 18:00
    with time_machine.travel(at(20, 17, 30), tick=False):
        assert run_clocks().reminded == 0
    with time_machine.travel(at(20, 18, 5), tick=False):
        assert run_clocks().reminded == 1
        assert run_clocks().reminded == 0
    with time_machine.travel(at(23, 17, 59), tick=False):
        assert run_clocks().escalated == 0
    with time_machine.travel(at(23, 18, 1), tick=False):
        first = run_clocks()
        again = run_clocks()
    with time_machine.travel(at(24, 9), tick=False):
        later = run_clocks()
    assert (first.marked_overdue, first.escalated) == (1, 1)
    assert (again.marked_overdue, again.escalated, later.escalated) == (0, 0, 0)
    moderator, coordinator = staff["moderator"].email, staff["coordinator"].email
    assert kinds(kind="reminder") == [("reminder", moderator)]
    # Moderation clock: the moderators and the coordinator are told (PROCEDURE.md).
    assert kinds(kind="escalation") == [("escalation", coordinator), ("escalation", moderator)]
    report.refresh_from_db()
    assert report.was_overdue and report.overdue_since == at(23, 18, 1)


def test_a_new_clock_gets_its_own_reminder_and_escalation(pokrovsk, staff):
    with time_machine.travel(at(20, 17), tick=False):
        report = file_report()
    with time_machine.travel(at(23, 19), tick=False):
        run_clocks()  # moderation overdue: escalated
        report.approve(staff["moderator"])  # acknowledgement due Wednesday 25, 18:00
    assert report.was_overdue and report.escalated_at is None and report.overdue_since is None
    with time_machine.travel(at(25, 18, 30), tick=False):
        result = run_clocks()
    assert result.escalated == 1
    # Acknowledgement clock: the department head and the coordinator.
    assert kinds(kind="escalation", created_at__gte=at(25, 18)) == [
        ("escalation", staff["coordinator"].email),
        ("escalation", staff["head"].email),
    ]


def test_overdue_is_counted_now_and_ever(pokrovsk, staff):
    with time_machine.travel(at(20, 17), tick=False):
        late = file_report()
        file_report(title="Вчасно розглянуте")
    with time_machine.travel(at(23, 10), tick=False):
        Report.objects.exclude(pk=late.pk).get().approve(staff["moderator"])
    with time_machine.travel(at(24, 10), tick=False):
        total = statistics(pokrovsk, date(2026, 11, 1))[-1]
        assert (total.received, total.overdue_now, total.overdue_ever) == (2, 1, 1)
        late.reject(staff["moderator"], "not_a_problem")
        total = statistics(pokrovsk, date(2026, 11, 1))[-1]
    assert (total.overdue_now, total.overdue_ever) == (0, 1)  # acted late: overdue ever


def test_answered_on_time_and_late(pokrovsk, staff):
    with time_machine.travel(at(2, 10), tick=False):
        on_time, late = file_report(), file_report(title="Друга")
        for report in (on_time, late):
            report.approve(staff["moderator"])
            report.accept(staff["worker"])
    with time_machine.travel(at(10, 10), tick=False):
        on_time.resolve(staff["worker"], "Зроблено")
    with time_machine.travel(at(20, 10), tick=False):  # the answer was due on the 17th
        late.resolve(staff["worker"], "Зроблено із запізненням")
        total = statistics(pokrovsk, date(2026, 11, 1))[-1]
    assert (total.answered, total.answered_on_time, total.share_on_time) == (2, 1, 0.5)
    assert total.median_hours_to_answer == pytest.approx((8 * 24 + 18 * 24) / 2)


def test_planning_beyond_the_deadline_counts_as_answered_on_time(pokrovsk, staff):
    with time_machine.travel(at(2, 10), tick=False):
        report = file_report()
        report.approve(staff["moderator"])
        report.accept(staff["worker"])
        report.plan(staff["worker"], date(2027, 3, 1), "Ремонт у весняному плані робіт.")
    assert (report.state, report.answered_on_time, report.clock) == ("planned", True, "")


def test_the_daily_digest_goes_once_a_day_after_8(pokrovsk, staff):
    with time_machine.travel(at(20, 10), tick=False):
        report = file_report()
        report.approve(staff["moderator"])  # acknowledgement due Tuesday 24, 18:00
    with time_machine.travel(at(25, 7, 55), tick=False):
        assert run_clocks().digests == 0
    with time_machine.travel(at(25, 8, 5), tick=False):
        assert run_clocks().digests == 1
        assert run_clocks().digests == 0  # e.g. after a restart: the day is recorded
    with time_machine.travel(at(26, 8, 5), tick=False):
        assert run_clocks().digests == 1
    # The head gets the department's overdue reports, the coordinator all of them.
    assert kinds(kind="digest") == sorted(
        [("digest", staff["head"].email), ("digest", staff["coordinator"].email)] * 2
    )
    digest = Notification.objects.filter(kind="digest").earliest("pk")
    assert f"#{report.pk}" in digest.body and report.title in digest.body
    assert f"/staff/reports/{report.pk}/" in digest.body  # the console, to act at once


def test_the_extension_restarts_the_answer_clock(pokrovsk, staff):
    with time_machine.travel(at(2, 10), tick=False):
        report = file_report()
        report.approve(staff["moderator"])
        report.accept(staff["worker"])
    with time_machine.travel(at(18, 10), tick=False):
        run_clocks()  # answer due on the 17th: escalated
        report.refresh_from_db()
        assert report.escalated_at is not None
        assert report.answer_due_at is not None
        report.extend(staff["head"], report.answer_due_at + timedelta(days=10), "Підрядник")
    assert report.escalated_at is None and report.due_at == datetime(
        2026, 11, 27, 23, 59, tzinfo=KYIV
    )
    assert kinds(kind="public_change", event__action="extend") == [
        ("public_change", "olha.reporter@example.org")  # the reporter is told
    ]


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_clocks_task_from_data(
    pokrovsk, moderator, coordinator, settings, no_jobs
):
    from procrastinate.contrib.django import app

    from geoportal.reports.tasks import run_clocks as task

    assert settings.CLOCKS_CRON in {p.cron for p in app.periodic_registry.periodic_tasks.values()}
    report = file_report()
    # As if the worker had been down past the deadline: the due time is data, not a timer.
    assert report.due_at is not None
    Report.objects.filter(pk=report.pk).update(due_at=report.due_at - timedelta(days=5))
    task.defer(timestamp=0)  # type: ignore[call-arg]
    run_worker("clocks")
    report.refresh_from_db()
    assert report.escalated_at is not None and report.was_overdue
    assert kinds(kind="escalation") == [
        ("escalation", coordinator.email), ("escalation", moderator.email),
    ]  # fmt: skip
