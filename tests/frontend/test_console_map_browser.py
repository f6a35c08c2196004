"""The report console's map in Chromium: the report, the plot and zone under it, the МАФ
and the billboard within 100 m by permit state, and an open report of the kind nearby that
leads to its own console (uk desktop, en phone)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from tests.conftest import close_settled
from tests.frontend.conftest import sign_in
from tests.layers.conftest import billboard, housing_zone, kiosk, trade_plot  # noqa: F401
from tests.reports.conftest import file_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("prefix", "viewport", "report_label"),
    [
        ("", {"width": 1280, "height": 900}, "Це звернення"),
        ("/en", {"width": 390, "height": 844}, "This report"),
    ],
    ids=["uk-desktop", "en-phone"],
)
@pytest.mark.usefixtures("trade_plot", "housing_zone", "kiosk", "billboard")
def test_the_console_map_draws_the_report_and_its_context(
    live_server, browser, moderator, prefix, viewport, report_label
):
    with time_machine.travel(date(2026, 11, 23), tick=False):
        nearby = file_report(category="illegal-maf", title="Кіоск без дозволу")
        nearby.approve(moderator, nearby.suggested_department)
        report = file_report(category="illegal-maf", title="Ще один кіоск")
    tab = sign_in(browser, live_server, moderator, viewport=viewport)
    tab.goto(f"{live_server.url}{prefix}/staff/reports/{report.pk}/")
    map_box = tab.locator("#console-map")
    map_box.locator(".console-pin-report").wait_for()
    assert report_label in tab.locator(".console-map-legend").inner_text()
    # The plot and the zone as outlines, the kiosk as a circle, the billboard as a square.
    assert map_box.locator("path.leaflet-interactive").count() >= 3
    assert map_box.locator(".square-marker").count() == 1
    assert map_box.locator(".console-pin-duplicate").count() == 1
    # It stands where this report stands (under its pin): reached by keyboard.
    tab.locator(".console-pin-duplicate").focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"**/staff/reports/{nearby.pk}/")
    close_settled(tab.context)
