"""Assignment in the browser: the head assigns a worker in the report console, the queue
shows the assignee, the worker finds it under My tasks and gives it back (uk desktop, en
phone)."""

from __future__ import annotations

import pytest

from geoportal.reports.models import Report
from tests.conftest import close_settled
from tests.frontend.conftest import sign_in
from tests.reports.conftest import file_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UK = {
    "prefix": "",
    "viewport": {"width": 1280, "height": 900},
    "assign": "Доручити",
    "tasks": "Мої завдання",
    "give_back": "Повернути відділу",
    "empty": "Тут немає звернень",
}
EN = {"prefix": "/en", "viewport": {"width": 390, "height": 844}, "assign": "Assign",
      "tasks": "My tasks", "give_back": "Give it back to the department",
      "empty": "Nothing is waiting here"}  # fmt: skip


@pytest.mark.parametrize("words", [UK, EN], ids=["uk-desktop", "en-phone"])
def test_the_head_assigns_and_the_worker_finds_it_in_my_tasks(
    live_server, browser, moderator, zhkg, head_zhkg, worker_zhkg, words
):
    report = file_report(title="Яма на тротуарі")
    report.approve(moderator, zhkg)
    site = f"{live_server.url}{words['prefix']}"

    head = sign_in(browser, live_server, head_zhkg, viewport=words["viewport"])
    head.goto(f"{site}/staff/reports/{report.pk}/")
    head.locator("#console[data-ready]").wait_for(state="attached")
    head.locator("#assign-person").select_option(str(worker_zhkg.pk))
    head.get_by_role("button", name=words["assign"], exact=True).click()
    head.locator(".state-line .assignee").wait_for()
    assert Report.objects.get(pk=report.pk).assignee == worker_zhkg
    head.goto(f"{site}/staff/department/")
    row = head.locator("table.queue tr", has_text="Яма на тротуарі")
    assert worker_zhkg.get_full_name() in row.locator("td.assignee").inner_text()

    worker = sign_in(browser, live_server, worker_zhkg, viewport=words["viewport"])
    worker.goto(f"{site}/staff/department/")
    worker.get_by_role("link", name=words["tasks"]).click()
    worker.get_by_role("link", name="Яма на тротуарі").click()
    worker.locator("#console[data-ready]").wait_for(state="attached")
    worker.get_by_role("button", name=words["give_back"]).click()
    worker.locator("#console-status").filter(has_text=words["give_back"]).wait_for()
    assert Report.objects.get(pk=report.pk).assignee is None
    worker.goto(f"{site}/staff/tasks/")
    assert words["empty"] in worker.locator("main").inner_text()
    for tab in (head, worker):
        close_settled(tab.context)
