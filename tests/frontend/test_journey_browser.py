"""The report journey end to end in Debian's Chromium against the live server: a resident
files, the moderator approves, the department accepts and resolves, the resident sees
the answer. With the mouse, by keyboard only, and on a phone."""

from __future__ import annotations

import re

import pytest

from geoportal.reports.models import Report
from tests.conftest import close_settled
from tests.frontend.conftest import photo_file, screenshot, serious_accessibility_problems, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def file_by_mouse(page, live_server, title: str) -> int:
    page.goto(f"{live_server.url}/en/report/")
    page.locator("#report-map path").first.wait_for(state="attached")
    box = page.locator("#report-map").bounding_box()
    # The map is fitted to the hromada: its middle is inside the boundary.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_text("The pin is at").wait_for()
    page.select_option("#id_category", "lighting")
    page.get_by_text("No open report of this kind within 50 m").wait_for()
    page.fill("#id_title", title)
    page.fill("#id_description", "Біля школи третій вечір темно.")
    page.set_input_files("#id_photos", [photo_file()])
    page.fill("#id_reporter_email", "resident@example.org")
    screenshot(page, "report-form")
    page.get_by_role("button", name="Send the report").click()
    page.locator("#confirmation").wait_for()
    number = int(re.sub(r"\D", "", page.locator("#confirmation-number").inner_text()))
    assert "/reports/track/" in page.locator("#confirmation-tracking").inner_text()
    return number


def test_filed_approved_accepted_resolved_and_seen_by_the_resident(
    live_server, page, browser, pokrovsk, moderator, worker_zhkg
):
    number = file_by_mouse(page, live_server, "Не горить ліхтар біля школи")
    report = Report.objects.get(pk=number)
    assert report.photos.count() == 1
    assert report.suggested_department is not None and report.suggested_department.code == "zhkg"

    staff = sign_in(browser, live_server, moderator)
    staff.goto(f"{live_server.url}/en/staff/moderation/")
    screenshot(staff, "console-moderation")
    staff.get_by_role("link", name="Не горить ліхтар біля школи").click()
    department = staff.locator("#approve-department")
    assert department.input_value() == "zhkg"  # the routing suggestion, pre-selected
    screenshot(staff, "console-report-moderator")
    staff.get_by_role("button", name="Approve", exact=True).click()
    staff.locator(".state-badge", has_text="Forwarded to department").wait_for()

    worker = sign_in(browser, live_server, worker_zhkg)
    worker.goto(f"{live_server.url}/en/staff/department/")
    screenshot(worker, "console-department")
    worker.get_by_role("link", name="Не горить ліхтар біля школи").click()
    worker.get_by_role("button", name="Accept", exact=True).click()
    worker.locator(".state-badge", has_text="In progress").wait_for()
    worker.fill("#resolve-answer", "Лампу замінено 24.11.")
    screenshot(worker, "console-report-department")
    worker.get_by_role("button", name="Resolve", exact=True).click()
    worker.locator(".state-badge", has_text="Resolved").wait_for()

    page.goto(f"{live_server.url}/en/reports/{number}/")
    assert page.locator("[data-state]").first.inner_text() == "Resolved"
    assert "Лампу замінено 24.11." in page.locator(".report-answer").inner_text()
    page.goto(f"{live_server.url}/en/")
    marker = page.locator(".report-marker.state-resolved")
    marker.wait_for()
    marker.click(force=True)
    popup = page.locator(".report-card")
    assert "Не горить ліхтар біля школи" in popup.inner_text() and "Resolved" in popup.inner_text()
    screenshot(page, "map")
    for tab in (staff, worker):
        close_settled(tab.context)


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element is focused (the focus order must reach it)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def choose_by_keyboard(page, selector: str, value: str) -> None:
    tab_to(page, selector)
    for _ in range(40):
        if page.locator(selector).input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} is not reachable in {selector}")


def test_the_same_journey_by_keyboard_only(
    live_server, page, browser, pokrovsk, moderator, worker_zhkg
):
    page.goto(f"{live_server.url}/en/report/")
    tab_to(page, "#id_lat")
    page.keyboard.type("48.2771")
    tab_to(page, "#id_lon")
    page.keyboard.type("37.1772")
    page.keyboard.press("Tab")  # leaving the field places the pin
    page.get_by_text("The pin is at 48.277100, 37.177200").wait_for()
    choose_by_keyboard(page, "#id_category", "lighting")
    tab_to(page, "#id_title")
    page.keyboard.type("Темно на перехресті")
    tab_to(page, "#id_description")
    page.keyboard.type("Не горить жоден ліхтар.")
    tab_to(page, "#send-report")
    page.keyboard.press("Enter")
    page.locator("#confirmation").wait_for()
    number = int(re.sub(r"\D", "", page.locator("#confirmation-number").inner_text()))

    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff.goto(f"{live_server.url}/en/login/")
    tab_to(staff, "#id_username")
    staff.keyboard.type(moderator.username)
    tab_to(staff, "#id_password")
    staff.keyboard.type("a-long-test-password-41")
    staff.keyboard.press("Enter")
    staff.wait_for_url(re.compile(r"/staff/"))
    staff.goto(f"{live_server.url}/en/staff/reports/{number}/")
    tab_to(staff, "form[data-action=approve] button")
    staff.keyboard.press("Enter")
    staff.locator(".state-badge", has_text="Forwarded to department").wait_for()

    worker = sign_in(browser, live_server, worker_zhkg)
    worker.goto(f"{live_server.url}/en/staff/reports/{number}/")
    tab_to(worker, "form[data-action=accept] button")
    worker.keyboard.press("Enter")
    worker.locator(".state-badge", has_text="In progress").wait_for()
    tab_to(worker, "#resolve-answer")
    worker.keyboard.type("Світло відновлено.")
    tab_to(worker, "form[data-action=resolve] button")
    worker.keyboard.press("Enter")
    worker.locator(".state-badge", has_text="Resolved").wait_for()
    assert Report.objects.get(pk=number).state == "resolved"
    for tab in (staff, worker):
        close_settled(tab.context)


def test_refusals_keep_what_was_typed(live_server, page, pokrovsk):
    page.goto(f"{live_server.url}/en/report/")
    page.fill("#id_lat", "50.4501")  # Kyiv: outside every hromada served here
    page.fill("#id_lon", "30.5234")
    page.fill("#id_title", "Моя назва")
    page.fill("#id_description", "Мій опис")
    page.get_by_role("button", name="Send the report").click()
    page.locator("#form-errors").wait_for()
    assert "outside every hromada" in page.locator("#error-location").inner_text()
    assert "may not be blank" in page.locator("#error-category").inner_text()
    assert page.locator("#id_category").get_attribute("aria-invalid") == "true"
    assert page.input_value("#id_title") == "Моя назва"
    assert page.input_value("#id_description") == "Мій опис"
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert not Report.objects.exists()


def test_a_phone_can_file_a_report(live_server, browser, offline_tiles, pokrovsk):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)  # fmt: skip
    phone = context.new_page()
    phone.goto(f"{live_server.url}/en/report/")
    phone.locator("#report-map path").first.wait_for(state="attached")
    box = phone.locator("#report-map").bounding_box()
    assert box["width"] <= 390
    phone.locator("#report-map").tap(position={"x": box["width"] / 2, "y": box["height"] / 2})
    phone.get_by_text("The pin is at").wait_for()
    phone.select_option("#id_category", "roads")
    phone.fill("#id_title", "Яма")
    phone.fill("#id_description", "Глибока яма на тротуарі.")
    screenshot(phone, "report-form-phone")
    phone.get_by_role("button", name="Send the report").click()
    phone.locator("#confirmation").wait_for()
    assert Report.objects.get().category.code == "roads"
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    close_settled(context)


def test_no_serious_accessibility_problems_on_the_resident_pages(
    live_server, page, pokrovsk, moderator
):
    from tests.reports.conftest import file_report

    report = file_report()
    report.approve(moderator)
    for path in ("/en/", "/", "/en/report/", f"/en/reports/{report.pk}/", "/en/login/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert serious_accessibility_problems(page) == [], path
