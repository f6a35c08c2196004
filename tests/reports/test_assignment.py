"""Assignment inside a department: the head assigns anyone of the department, a worker takes
a report or gives it back; nobody else assigns, and never to a person outside the
department. The assignee is told by e-mail unless they took it themselves; a return or a
re-routing frees the report; "My tasks" lists a person's open assigned reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from geoportal.reports.errors import NotAllowedError, WrongStateError
from geoportal.reports.models import Notification, Report
from tests.reports.conftest import file_report

OK = None


@pytest.fixture
def people(moderator, coordinator, worker_zhkg, head_zhkg, worker_arch) -> dict[str, Any]:
    return {"moderator": moderator, "coordinator": coordinator, "worker": worker_zhkg,
            "head": head_zhkg, "other_worker": worker_arch, "nobody": None}  # fmt: skip


@pytest.fixture
def routed(moderator, zhkg) -> Report:
    report = file_report()
    report.approve(moderator, zhkg)
    return report


@pytest.mark.parametrize(
    ("by", "to", "before", "refused"),
    [
        ("head", "worker", "nobody", OK),
        ("head", "head", "nobody", OK),
        ("head", "nobody", "worker", OK),
        ("head", "head", "worker", OK),  # the head takes it over
        ("worker", "worker", "nobody", OK),  # takes it
        ("worker", "nobody", "worker", OK),  # gives it back
        ("worker", "head", "nobody", NotAllowedError),  # assigns another
        ("worker", "nobody", "head", NotAllowedError),  # frees another's
        ("worker", "worker", "head", NotAllowedError),  # takes another's
        ("head", "other_worker", "nobody", ValidationError),  # outside the department
        ("head", "moderator", "nobody", ValidationError),
        ("head", "worker", "worker", ValidationError),  # already theirs
        ("head", "nobody", "nobody", ValidationError),  # nothing to free
        ("moderator", "worker", "nobody", NotAllowedError),
        ("coordinator", "worker", "nobody", NotAllowedError),
        ("other_worker", "other_worker", "nobody", NotAllowedError),
    ],
)
def test_who_assigns_whom(routed, people, by, to, before, refused):
    if people[before] is not None:
        Report.objects.filter(pk=routed.pk).update(assignee=people[before])
        routed.refresh_from_db()
    events = routed.events.count()
    if refused is OK:
        routed.assign(people[by], people[to])
        routed.refresh_from_db()
        assert routed.assignee == people[to]
        event = routed.events.latest("pk")
        assert (event.action, event.is_public, event.actor) == ("assign", False, people[by])
        return
    with pytest.raises(refused) as caught:
        routed.assign(people[by], people[to])
    if refused is ValidationError:
        assert "assignee" in caught.value.message_dict
    routed.refresh_from_db()
    assert routed.assignee == people[before] and routed.events.count() == events


def test_only_an_open_departments_report_is_assigned(pokrovsk, head_zhkg):
    with pytest.raises(WrongStateError):
        file_report().assign(head_zhkg, head_zhkg)


def test_the_assignee_is_told_unless_they_took_it(routed, worker_zhkg, head_zhkg):
    routed.assign(worker_zhkg, worker_zhkg)
    assert not Notification.objects.filter(kind="assigned").exists()
    routed.assign(head_zhkg, head_zhkg)
    routed.assign(head_zhkg, worker_zhkg)
    mail = Notification.objects.get(kind="assigned")
    assert mail.to_email == worker_zhkg.email and str(routed.pk) in mail.subject
    assert f"/staff/reports/{routed.pk}/" in mail.body


def test_a_return_or_a_rerouting_frees_the_report(routed, moderator, head_zhkg, worker_zhkg, arch):
    routed.assign(head_zhkg, worker_zhkg)
    routed.return_to_moderator(worker_zhkg, "Не наше")
    assert routed.assignee is None
    routed.approve(moderator, arch)
    assert routed.assignee is None


def test_my_tasks_are_my_open_reports_in_my_departments(routed, moderator, zhkg, head_zhkg,
                                                         worker_zhkg):  # fmt: skip
    done = file_report()
    done.approve(moderator, zhkg)
    for report in (routed, done):
        report.assign(head_zhkg, worker_zhkg)
    done.accept(worker_zhkg)
    done.resolve(worker_zhkg, "Зроблено")
    assert list(Report.objects.assigned_to(worker_zhkg)) == [routed]
    assert list(Report.objects.assigned_to(head_zhkg)) == []
