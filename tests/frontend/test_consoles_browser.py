"""The staff consoles and a hostile title in Debian's Chromium: text stays text
everywhere, and the consoles have no serious accessibility problem."""

from __future__ import annotations

import pytest

from tests.conftest import close_settled
from tests.frontend.conftest import (
    screenshot,
    serious_accessibility_problems,
    sign_in,
    watch_dialogs,
)
from tests.reports.conftest import file_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = "<img src=x onerror=alert(1)>"


def no_injected_image(tab) -> bool:
    return tab.locator("img[src='x']").count() == 0


def test_a_hostile_title_is_text_on_every_page_popup_and_console(
    live_server, page, browser, pokrovsk, moderator, worker_zhkg
):
    opened = watch_dialogs(page)
    report = file_report(title=PAYLOAD, description=PAYLOAD, address=PAYLOAD)
    waiting = file_report(title=PAYLOAD + " 2")
    report.approve(moderator)
    report.comment(moderator, PAYLOAD, public=True)

    page.goto(f"{live_server.url}/en/reports/{report.pk}/")
    assert PAYLOAD in page.locator("#report-title").inner_text()
    assert no_injected_image(page)
    page.goto(f"{live_server.url}/en/")
    marker = page.locator(".report-marker")
    marker.first.wait_for()
    marker.first.click(force=True)
    assert PAYLOAD in page.locator(".report-card").inner_text()
    assert no_injected_image(page)

    moderator_tab = sign_in(browser, live_server, moderator)
    staff_opened = watch_dialogs(moderator_tab)
    moderator_tab.goto(f"{live_server.url}/en/staff/moderation/")
    assert PAYLOAD + " 2" in moderator_tab.locator("table.queue").inner_text()
    moderator_tab.goto(f"{live_server.url}/en/staff/reports/{waiting.pk}/")
    assert PAYLOAD in moderator_tab.locator(".report-title-text").inner_text()
    assert no_injected_image(moderator_tab)
    worker_tab = sign_in(browser, live_server, worker_zhkg)
    worker_opened = watch_dialogs(worker_tab)
    worker_tab.goto(f"{live_server.url}/en/staff/department/")
    worker_tab.goto(f"{live_server.url}/en/staff/reports/{report.pk}/")
    assert PAYLOAD in worker_tab.locator(".timeline").inner_text()
    assert no_injected_image(worker_tab)
    page.wait_for_timeout(500)  # a dialog from an onerror handler would have opened by now
    assert opened == staff_opened == worker_opened == []
    for tab in (moderator_tab, worker_tab):
        close_settled(tab.context)


def test_consoles_and_dashboard_have_no_serious_accessibility_problems(
    live_server, browser, pokrovsk, moderator, worker_zhkg, coordinator, planner, offline_tiles
):
    report = file_report(title="Не горить ліхтар")
    file_report(title="Яма", category="roads").approve(moderator)
    checked = {
        moderator: [("/en/staff/moderation/", "console-moderation-empty"),
                    (f"/en/staff/reports/{report.pk}/", "console-report")],
        worker_zhkg: [("/en/staff/department/", "console-department-queue")],
        coordinator: [("/en/staff/dashboard/", "dashboard")],
        planner: [("/en/staff/layers/", "console-layers")],
    }  # fmt: skip
    for user, pages in checked.items():
        tab = sign_in(browser, live_server, user)
        for path, name in pages:
            tab.goto(f"{live_server.url}{path}")
            tab.wait_for_load_state("networkidle")
            screenshot(tab, name)
            assert serious_accessibility_problems(tab) == [], path
        close_settled(tab.context)
