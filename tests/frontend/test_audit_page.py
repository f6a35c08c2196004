"""The coordinator's audit log: who did what and when, on reports and GIS layers; only the
coordinator of the hromada may open it."""

from __future__ import annotations

from django.test import Client

from geoportal.municipalities.models import Department
from layers.models import TemporaryStructure
from tests.layers.conftest import kiosk  # noqa: F401 (fixture)
from tests.reports.conftest import file_report

URL = "/en/staff/audit/"


def _as(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_coordinator_sees_who_did_what(pokrovsk, moderator, worker_zhkg, planner,
                                           coordinator, kiosk):  # noqa: F811  # fmt: skip
    report = file_report()
    report.approve(moderator, department=Department.objects.get(code="zhkg"))
    report.accept(worker_zhkg)
    kiosk.address = "вул. Нова, 2"
    kiosk._history_user = planner
    kiosk.save()
    page = _as(coordinator).get(URL)
    assert page.status_code == 200
    text = page.text
    for expected in (moderator.username, worker_zhkg.username, planner.username,
                     "the reporter", f"Report №{report.pk}", "changed",
                     "МАФ-2026-001"):  # fmt: skip
        assert expected in text, expected
    assert text.index(worker_zhkg.username) < text.index(moderator.username)  # newest first
    only_planner = _as(coordinator).get(URL, {"who": planner.username}).text
    assert planner.username in only_planner and moderator.username not in only_planner
    only_reports = _as(coordinator).get(URL, {"kind": "reports"}).text
    assert "МАФ-2026-001" not in only_reports and moderator.username in only_reports
    nothing_yet = _as(coordinator).get(URL, {"since": "2999-01-01"}).text
    assert "Nothing matches." in nothing_yet
    assert TemporaryStructure.history.filter(id=kiosk.pk).count() == 2
    ukrainian = _as(coordinator).get("/staff/audit/").text
    assert "Журнал дій" in ukrainian and "змінено" in ukrainian and "автор звернення" in ukrainian


def test_only_the_coordinator_may_open_it(pokrovsk, moderator, worker_zhkg, planner):
    assert Client().get(URL).status_code == 302  # sign in first
    for person in (moderator, worker_zhkg, planner):
        assert _as(person).get(URL).status_code == 403, person.username
