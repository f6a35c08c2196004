"""The confirmation after sending: what was sent, where the private link went, and a copy
button; the reporter's own tracking page offers no Follow box to a reporter who follows
already, while the public page does."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from geoportal.reports.models import Report
from tests.conftest import close_settled
from tests.frontend.test_journey_browser import file_by_mouse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_confirmation_sums_up_and_copies_the_private_link(
    live_server, browser, pokrovsk, moderator
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    number = file_by_mouse(page, live_server, "Не горить ліхтар на розі")
    report = Report.objects.get(pk=number)
    summary = page.locator(".confirmation-summary").inner_text()
    assert "Street lighting" in summary or "Вуличне освітлення" in summary
    assert "Не горить ліхтар на розі" in summary
    assert f"{report.point.y:.6f}"[:6] in summary and "1" in summary  # one photo
    assert page.locator("#sent-email").inner_text() == "resident@example.org"
    assert page.locator("#sent-not-mailed").is_hidden()
    page.get_by_role("button", name="Copy the link").click()
    page.locator("#copy-status", has_text="The link is copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"/reports/track/{report.tracking_code}/")

    # The reporter follows already: their own page has no Follow box; the public page has.
    page.goto(live_server.url + urlsplit(copied).path)  # the link names SITE_URL
    assert page.locator("#follow-form").count() == 0
    assert page.get_by_role("link", name="Stop e-mails about this report").count() == 1
    report.approve(moderator)  # public now: anyone may follow it
    page.goto(f"{live_server.url}/en/reports/{number}/")
    assert page.locator("#follow-form").count() == 1
    close_settled(context)
