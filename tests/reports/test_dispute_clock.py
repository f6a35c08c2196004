"""A dispute has a clock of its own: the moderator reviews it within the hromada's working
days (default 1), is reminded and escalated like any clock, and the moderation queue puts
open disputes first with that due time (before, a dispute sat last with no deadline)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from geoportal.reports.clocks import run_clocks
from geoportal.reports.models import Notification, Report
from tests.reports.conftest import file_report
from tests.reports.test_clocks import at


@pytest.fixture
def answered(pokrovsk, moderator, worker_zhkg) -> Report:
    """A report answered on Thursday 19 November 2026."""
    with time_machine.travel(at(19, 10), tick=False):
        report = file_report()
        report.approve(moderator)
        report.accept(worker_zhkg)
        report.resolve(worker_zhkg, "Замінили лампу")
    assert (report.clock, report.due_at) == ("", None)
    return report


def dispute_at(report: Report, moment: datetime) -> Report:
    with time_machine.travel(moment, tick=False):
        report.dispute(report.tracking_code, "Досі не горить")
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(
    ("review_days", "disputed", "due"),
    [
        (1, at(20, 17), at(23, 18)),  # Friday → Monday 18:00 (the weekend skipped)
        (1, at(23, 9), at(24, 18)),  # Monday → Tuesday
        (3, at(20, 17), at(25, 18)),  # the hromada's own setting: three working days
    ],
)
def test_a_dispute_starts_the_review_clock_in_working_days(
    pokrovsk, answered, review_days, disputed, due
):
    pokrovsk.dispute_review_working_days = review_days
    pokrovsk.save()
    report = dispute_at(answered, disputed)
    assert (report.clock, report.due_at) == ("dispute", due)


def test_a_moderators_public_answer_stops_the_clock_and_a_note_does_not(answered, moderator):
    report = dispute_at(answered, at(20, 10))
    with time_machine.travel(at(20, 11), tick=False):
        report.comment(moderator, "Перевіряємо", public=False)
    assert report.clock == "dispute"
    with time_machine.travel(at(20, 12), tick=False):
        report.comment(moderator, "Лампу замінили вчора, фото в історії", public=True)
    assert (report.clock, report.due_at, report.dispute_answered_at) == ("", None, at(20, 12))


def test_reopening_a_dispute_runs_the_answer_clock_instead(answered, moderator):
    report = dispute_at(answered, at(20, 10))
    with time_machine.travel(at(20, 11), tick=False):
        report.reopen(moderator, "Повторна перевірка")
    assert report.clock == "answer"


def test_an_unreviewed_dispute_reminds_then_escalates_to_moderators(
    answered, moderator, coordinator, head_zhkg
):
    dispute_at(answered, at(20, 17))  # due Monday 23, 18:00; reminder Friday 18:00
    Notification.objects.all().delete()
    with time_machine.travel(at(20, 18, 5), tick=False):
        assert run_clocks().reminded == 1
    with time_machine.travel(at(23, 18, 1), tick=False):
        assert run_clocks().escalated == 1
    sent = sorted(Notification.objects.exclude(kind="digest").values_list("kind", "to_email"))
    assert sent == [
        ("escalation", coordinator.email),
        ("escalation", moderator.email),
        ("reminder", moderator.email),
    ]
    assert head_zhkg.email not in {email for _kind, email in sent}


def test_the_moderation_queue_puts_open_disputes_first(pokrovsk, answered):
    with time_machine.travel(at(19, 9), tick=False):
        earlier = file_report()  # new, due Friday 20 18:00: before the dispute's Monday
    report = dispute_at(answered, at(20, 17))
    queue = list(Report.objects.moderation_queue(pokrovsk))
    assert queue[:2] == [report, earlier]
    assert earlier.due_at is not None and report.due_at is not None
    assert earlier.due_at < report.due_at
