"""A resident signs in by the mailed link and finds their reports, in Ukrainian and English,
on a desktop and on a phone: ask for a link, read the mail from Django's outbox, open the
link, press the button, and My reports lists the reports filed with that e-mail before and
after signing in (and nobody else's)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from tests.conftest import close_settled
from tests.frontend.conftest import screenshot, serious_accessibility_problems
from tests.reports.conftest import file_report
from tests.residents.conftest import link_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "olha.resident@example.org"
SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
WORDS = {
    "en": {"sent": "a sign-in link is on its way", "title": "My reports", "state": "Forwarded"},
    "uk": {"sent": "посилання для входу вже надіслано", "title": "Мої звернення",
           "state": "Передано виконавцю"},
}  # fmt: skip


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", ["uk", "en"])
def test_sign_in_by_the_mailed_link_then_my_reports(
    browser: Any, live_server: Any, pokrovsk: Any, moderator: Any, language: str, screen: str
) -> None:
    before = file_report(title="Темно біля школи", reporter_email=EMAIL)
    before.approve(moderator)
    file_report(title="Сусідська яма", reporter_email="neighbour@example.org")
    words, size = WORDS[language], SCREENS[screen]
    prefix = "/en" if language == "en" else ""
    context = browser.new_context(viewport=size, is_mobile=screen == "phone",
                                  has_touch=screen == "phone")  # fmt: skip
    tab = context.new_page()
    mail.outbox.clear()

    tab.goto(f"{live_server.url}{prefix}/residents/sign-in/")
    assert serious_accessibility_problems(tab) == []
    tab.locator("#id_email").fill(EMAIL)
    tab.locator("#id_email").press("Enter")
    tab.get_by_role("status").filter(has_text=words["sent"]).wait_for()
    assert tab.evaluate("document.documentElement.scrollWidth") <= size["width"]

    (message,) = mail.outbox
    assert message.to == [EMAIL]
    path = link_path(message)
    assert path.startswith(f"{prefix}/residents/sign-in/")
    tab.goto(f"{live_server.url}{path}")
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_url(f"**{prefix}/residents/reports/")

    # Filed after signing in, with the same address: listed too.
    after = file_report(title="Яма на тротуарі", reporter_email=EMAIL)
    tab.reload()
    assert tab.get_by_role("heading", level=1).inner_text() == words["title"]
    rows = tab.locator("table.my-reports tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().count(after.title) == 1
    assert words["state"] in rows.nth(1).inner_text()
    assert "Сусідська яма" not in tab.locator("main").inner_text()
    assert tab.evaluate("document.documentElement.scrollWidth") <= size["width"]
    assert serious_accessibility_problems(tab) == []
    screenshot(tab, f"residents-my-reports-{language}-{screen}")

    # The report's link leads to its tracking page.
    rows.nth(1).get_by_role("link").click()
    tab.wait_for_url(f"**/reports/track/{before.tracking_code}/")
    close_settled(context)
