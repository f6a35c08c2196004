"""Area alerts and residents' updates in a real browser, in Ukrainian and English, on a
desktop and on a phone: a resident sets an alert by tapping the map, gets exactly one mail
for a new public report in the area (none for one outside, none before moderation), and
stops it from the mail's link; a daily alert's digest goes once a day; a resident's update
is published by a moderator and shown in the report's public history."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail

from geoportal.municipalities.working_days import KYIV
from geoportal.reports.models import Notification, NotificationKind, ReportUpdate, UpdateState
from geoportal.residents.alerts import send_alert_digests
from geoportal.residents.models import Alert
from tests.conftest import close_settled
from tests.frontend.conftest import (
    photo_file,
    screenshot,
    serious_accessibility_problems,
    sign_in,
)
from tests.reports.conftest import CENTRE, file_report
from tests.residents.conftest import link_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "iryna.alerts@example.org"
SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
WORDS = {
    "en": {"title": "Alerts for an area", "radius": "A radius around a point",
           "polygon": "An area drawn on the map", "daily": "A daily digest",
           "save": "Save the alert", "saved": "The alert is saved.", "stop": "Unsubscribe",
           "stopped": "no more e-mails", "send": "Send the update",
           "sent": "sent to the moderator", "shown": "Update from a resident"},
    "uk": {"title": "Сповіщення про район", "radius": "Радіус навколо точки",
           "polygon": "Район, позначений на мапі", "daily": "Щоденний підсумок",
           "save": "Зберегти сповіщення", "saved": "Сповіщення збережено.",
           "stop": "Відписатися", "stopped": "більше не буде", "send": "Надіслати доповнення",
           "sent": "надіслано модераторові", "shown": "Доповнення від мешканця"},
}  # fmt: skip
FAR = (CENTRE[0] + 0.02, CENTRE[1])  # ~2.2 km north: outside a 1 km radius


def resident_tab(browser: Any, live_server: Any, language: str, screen: str) -> tuple[Any, Any]:
    """A browser context signed in as the resident by the mailed link."""
    prefix = "/en" if language == "en" else ""
    context = browser.new_context(viewport=SCREENS[screen], is_mobile=screen == "phone",
                                  has_touch=screen == "phone")  # fmt: skip
    tab = context.new_page()
    mail.outbox.clear()
    tab.goto(f"{live_server.url}{prefix}/residents/sign-in/")
    tab.locator("#id_email").fill(EMAIL)
    tab.locator("#id_email").press("Enter")
    tab.wait_for_url("**sent=1")
    (message,) = mail.outbox
    tab.goto(f"{live_server.url}{link_path(message)}")
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_url("**/residents/reports/")
    return context, tab


def fits(tab: Any, screen: str) -> bool:
    return bool(tab.evaluate("document.documentElement.scrollWidth") <= SCREENS[screen]["width"])


def deliver_alert_mails() -> list[Any]:
    mail.outbox.clear()
    kinds = (NotificationKind.ALERT, NotificationKind.ALERT_DIGEST)
    for notification in Notification.objects.filter(kind__in=kinds, sent_at__isnull=True):
        Notification.deliver(notification.pk)
    return [m for m in mail.outbox if m.to == [EMAIL]]


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", ["uk", "en"])
def test_alert_by_tapping_the_map_is_delivered_once_and_stopped_from_the_mail(
    browser: Any, live_server: Any, pokrovsk: Any, moderator: Any, language: str, screen: str
) -> None:
    words = WORDS[language]
    prefix = "/en" if language == "en" else ""
    context, tab = resident_tab(browser, live_server, language, screen)
    tab.goto(f"{live_server.url}{prefix}/residents/alerts/")
    assert tab.get_by_role("heading", level=1).inner_text() == words["title"]
    tab.get_by_label(words["radius"]).check()
    tab.locator("#alert-map.leaflet-container").wait_for()
    tab.locator("#alert-map").click()  # the map opens on the hromada's centre
    lat, lon = (
        float(tab.locator("#id_lat").input_value()),
        float(tab.locator("#id_lon").input_value()),
    )
    assert abs(lat - CENTRE[0]) < 0.01 and abs(lon - CENTRE[1]) < 0.01
    tab.locator("#id_radius_m").fill("1000")
    assert tab.locator(".alert-map path.leaflet-interactive").count() >= 1  # the circle drawn
    assert serious_accessibility_problems(tab) == []
    screenshot(tab, f"alerts-new-{language}-{screen}")
    tab.get_by_role("button", name=words["save"]).click()
    tab.get_by_role("status").filter(has_text=words["saved"]).wait_for()
    assert tab.locator("#alert-list li").count() == 1
    assert fits(tab, screen)
    alert = Alert.objects.get()
    assert alert.radius_m == 1000 and alert.language == language

    # New reports: in moderation nothing is sent; once public, one mail for the one inside.
    inside = file_report(title="Яма біля ринку", lat=lat, lon=lon)
    outside = file_report(title="Яма за містом", lat=FAR[0], lon=FAR[1])
    assert deliver_alert_mails() == []
    inside.approve(moderator)
    outside.approve(moderator)
    (message,) = deliver_alert_mails()
    assert "Яма біля ринку" in message.body and "Яма за містом" not in message.body
    assert f"#{inside.pk}" in message.subject
    assert "olha.reporter@example.org" not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert deliver_alert_mails() == []  # once

    # The mail's unsubscribe link asks first; the button stops the alert.
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    tab.goto(f"{live_server.url}{urlsplit(link).path}")
    alert.refresh_from_db()
    assert alert.unsubscribed_at is None
    tab.get_by_role("button", name=words["stop"]).click()
    tab.get_by_role("status").filter(has_text=words["stopped"]).wait_for()
    alert.refresh_from_db()
    assert alert.unsubscribed_at is not None
    close_settled(context)


@pytest.mark.parametrize(("language", "screen"), [("uk", "desktop"), ("en", "phone")])
def test_area_drawn_by_tapping_corners_and_its_daily_digest_once_a_day(
    browser: Any, live_server: Any, pokrovsk: Any, moderator: Any, language: str, screen: str,
    settings: Any,
) -> None:  # fmt: skip
    words = WORDS[language]
    prefix = "/en" if language == "en" else ""
    context, tab = resident_tab(browser, live_server, language, screen)
    tab.goto(f"{live_server.url}{prefix}/residents/alerts/")
    tab.get_by_label(words["polygon"]).check()
    tab.get_by_label(words["daily"]).check()
    tab.locator("#alert-map.leaflet-container").wait_for()
    tab.locator("#alert-map").scroll_into_view_if_needed()
    box = tab.locator("#alert-map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-60, -60), (60, -60), (60, 60), (-60, 60)):
        tab.mouse.click(cx + dx, cy + dy)
    corners = [line for line in tab.locator("#id_polygon").input_value().splitlines() if line]
    assert len(corners) == 4
    assert tab.locator("#map-status").inner_text().strip() != ""
    screenshot(tab, f"alerts-polygon-{language}-{screen}")
    tab.get_by_role("button", name=words["save"]).click()
    tab.get_by_role("status").filter(has_text=words["saved"]).wait_for()
    alert = Alert.objects.get()
    assert alert.area == "polygon" and alert.frequency == "daily"

    first = file_report(title="Перша яма")
    second = file_report(title="Друга яма")
    for report in (first, second):
        report.approve(moderator)
    assert deliver_alert_mails() == []  # daily: nothing at once
    settings.ALERT_DIGEST_HOUR = 7
    morning = datetime(2031, 3, 4, 7, 30, tzinfo=KYIV)
    assert send_alert_digests(morning) == 1
    assert send_alert_digests(morning + timedelta(hours=5)) == 0
    (digest,) = deliver_alert_mails()
    assert "Перша яма" in digest.body and "Друга яма" in digest.body
    assert send_alert_digests(morning + timedelta(days=1)) == 0  # nothing new: no mail
    # The digest's link opens the public report.
    link = re.search(rf"https?://\S+/reports/{first.pk}/", digest.body)
    assert link is not None
    tab.goto(f"{live_server.url}{urlsplit(link.group(0)).path}")
    assert "Перша яма" in tab.get_by_role("heading", level=1).inner_text()
    close_settled(context)


@pytest.mark.parametrize(("language", "screen"), [("en", "desktop"), ("uk", "phone")])
def test_resident_update_is_moderated_then_shown_in_the_history(
    browser: Any, live_server: Any, pokrovsk: Any, moderator: Any, language: str, screen: str
) -> None:
    words = WORDS[language]
    prefix = "/en" if language == "en" else ""
    report = file_report(title="Сміття у дворі")
    report.approve(moderator)
    context, tab = resident_tab(browser, live_server, language, screen)
    tab.goto(f"{live_server.url}{prefix}/reports/{report.pk}/")
    tab.locator("#update-text").fill("Досі лежить, стало більше.")
    tab.locator("#update-photos").set_input_files([photo_file("a.jpg"), photo_file("b.jpg")])
    assert serious_accessibility_problems(tab) == []
    tab.get_by_role("button", name=words["send"]).click()
    tab.get_by_role("status").filter(has_text=words["sent"]).wait_for()
    assert fits(tab, screen)
    screenshot(tab, f"update-sent-{language}-{screen}")
    assert "стало більше" not in tab.locator(".timeline").inner_text()  # not before moderation
    update = ReportUpdate.objects.get()
    assert update.state == UpdateState.PENDING and update.photos.count() == 2

    staff = sign_in(browser, live_server, moderator)
    staff.goto(f"{live_server.url}/staff/updates/")
    item = staff.locator(f"#update-{update.pk}")
    assert "стало більше" in item.inner_text()
    assert item.locator("img").count() == 2
    item.get_by_role("button", name="Опублікувати").click()
    staff.locator(".messages").wait_for()
    update.refresh_from_db()
    assert update.state == UpdateState.APPROVED
    staff.context.close()

    visitor = browser.new_context(viewport=SCREENS[screen]).new_page()
    visitor.goto(f"{live_server.url}{prefix}/reports/{report.pk}/")
    history = visitor.locator(".timeline")
    assert words["shown"] in history.inner_text() and "стало більше" in history.inner_text()
    images = history.locator("img")
    assert images.count() == 2
    for i in range(2):  # the published photos are served to anyone now
        source = images.nth(i).get_attribute("src")
        assert visitor.request.get(f"{live_server.url}{source}").status == 200
    screenshot(visitor, f"update-shown-{language}-{screen}")
    visitor.context.close()
    close_settled(context)
