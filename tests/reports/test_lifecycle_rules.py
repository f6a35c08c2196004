"""Rules of the life cycle beyond the table: clocks, ceiling, formal appeals, conflicts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from geoportal.municipalities.working_days import KYIV
from geoportal.reports.errors import ConflictError, NotAllowedError
from geoportal.reports.models import Report
from geoportal.reports.states import State
from tests.reports.test_procedure_table import CENTRE

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=KYIV)


@pytest.fixture
def report(pokrovsk, zhkg):
    return Report.objects.create(
        municipality=pokrovsk, point=CENTRE, category=pokrovsk.categories.get(code="lighting"),
        title="Не горить ліхтар", description="Біля школи", suggested_department=zhkg,
    )  # fmt: skip


@time_machine.travel(MONDAY_10, tick=False)
def test_approve_with_the_suggestion_starts_the_clocks(report, moderator, zhkg):
    report.approve(moderator)  # the routing suggestion, in one action
    assert (report.state, report.department) == (State.ROUTED, zhkg)
    # Acknowledgement: 2 working days → Wednesday 18:00; answer 15 and ceiling 45 calendar days.
    assert (report.clock, report.due_at) == (
        "acknowledgement",
        datetime(2026, 11, 25, 18, 0, tzinfo=KYIV),
    )
    assert report.answer_due_at == datetime(2026, 12, 8, 23, 59, tzinfo=KYIV)
    assert report.ceiling_at == datetime(2027, 1, 7, 23, 59, tzinfo=KYIV)


@time_machine.travel(MONDAY_10, tick=False)
def test_accept_with_study_gives_30_days_from_first_routing(report, moderator, worker_zhkg):
    report.approve(moderator)
    report.accept(worker_zhkg, needs_study=True)
    assert (report.clock, report.due_at) == ("answer", datetime(2026, 12, 23, 23, 59, tzinfo=KYIV))


@time_machine.travel(MONDAY_10, tick=False)
def test_extension_stops_at_the_45_day_ceiling(report, moderator, worker_zhkg, head_zhkg):
    report.approve(moderator)
    report.accept(worker_zhkg)
    with pytest.raises(ValidationError, match="ceiling"):
        report.extend(head_zhkg, report.ceiling_at + timedelta(minutes=1), "Підрядник")
    report.extend(head_zhkg, report.ceiling_at, "Підрядник")
    assert report.due_at == report.ceiling_at


def test_a_formal_appeal_is_answered_by_the_head(report, moderator, worker_zhkg, head_zhkg):
    Report.objects.filter(pk=report.pk).update(is_formal_appeal=True)
    report.refresh_from_db()
    report.approve(moderator)
    report.accept(worker_zhkg)
    with pytest.raises(NotAllowedError, match="head"):
        report.resolve(worker_zhkg, "Замінили лампу")
    report.resolve(head_zhkg, "Замінили лампу")
    assert report.state == State.RESOLVED


def test_moderator_reopens_only_after_a_dispute(report, moderator, worker_zhkg, coordinator):
    report.approve(moderator)
    report.accept(worker_zhkg)
    report.resolve(worker_zhkg, "Замінили лампу")
    with pytest.raises(NotAllowedError, match="after a dispute"):
        report.reopen(moderator, "Перевірка")
    report.dispute(report.tracking_code, "Досі не горить")
    report.reopen(moderator, "Повторна перевірка")
    assert (report.state, report.clock) == (State.IN_PROGRESS, "answer")
    assert [e.action for e in report.events.all()] == [
        "approve", "accept", "resolve", "dispute", "reopen",
    ]  # fmt: skip
    assert report.events.get(action="dispute").by_reporter


def test_an_action_on_a_stale_read_is_a_conflict(report, moderator, zhkg):
    stale = Report.objects.get(pk=report.pk)
    report.approve(moderator)
    with pytest.raises(ConflictError, match="changed meanwhile"):
        stale.reject(moderator, "not_a_problem")
    stale.refresh_from_db()
    assert stale.state == State.ROUTED
    assert stale.events.count() == 1


def test_required_fields_name_the_field(report, moderator):
    with pytest.raises(ValidationError) as caught:
        report.reject(moderator, "other")
    assert "comment" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        report.out_of_competence(moderator, "  ")
    assert "competent_body" in caught.value.message_dict
    assert report.events.count() == 0


@time_machine.travel(MONDAY_10, tick=False)
def test_an_appeal_keeps_the_laws_limits_whatever_the_hromada_sets(
    report, pokrovsk, moderator, worker_zhkg, head_zhkg
):
    pokrovsk.answer_study_calendar_days = 40
    pokrovsk.extension_ceiling_calendar_days = 60
    pokrovsk.save()
    Report.objects.filter(pk=report.pk).update(is_formal_appeal=True)
    report.refresh_from_db()
    report.approve(moderator)
    report.accept(worker_zhkg, needs_study=True)
    # Law on citizens' appeals, art. 20: 30 days, and 45 in all with extensions.
    assert report.answer_due_at == datetime(2026, 12, 23, 23, 59, tzinfo=KYIV)
    assert report.ceiling_at == datetime(2027, 1, 7, 23, 59, tzinfo=KYIV)
    with pytest.raises(ValidationError, match="ceiling"):
        report.extend(head_zhkg, datetime(2027, 1, 20, 23, 59, tzinfo=KYIV), "Довго")
