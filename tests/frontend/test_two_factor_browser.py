"""Two-factor sign-in in a real browser, phone-sized and by keyboard: turn it on from the
header's link with the key shown on the page, then sign in with password and code."""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import TOTP

from tests.cast import PASSWORD
from tests.conftest import close_settled
from tests.frontend.conftest import serious_accessibility_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def app_code(secret: str, later: int = 0) -> str:
    """What an authenticator app given `secret` by hand shows (`later` seconds from now)."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + later
    return f"{totp.token():06d}"


def password_step(tab: Any, base: str, user: Any) -> None:
    tab.goto(f"{base}/en/login/")
    tab.get_by_label("User name").fill(user.username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.keyboard.press("Enter")


def test_turn_on_then_sign_in_with_the_code(browser, live_server, moderator):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    tab = context.new_page()
    password_step(tab, live_server.url, moderator)
    tab.wait_for_url(lambda url: "/login/" not in url)

    # On a phone the header's links are behind its Menu button.
    tab.get_by_role("button", name="Menu").click()
    tab.get_by_role("link", name="Two-factor sign-in").click()
    tab.wait_for_url("**/en/staff/two-factor/")
    assert tab.locator("svg.qr-code").is_visible()
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_accessibility_problems(tab) == []
    secret = tab.locator(".otp-secret").inner_text()
    field = tab.get_by_label("Code from the app")
    assert field.get_attribute("autocomplete") == "one-time-code"
    field.fill("000000" if app_code(secret) != "000000" else "111111")
    field.press("Enter")
    assert "This code is wrong or has expired" in tab.locator(".field-error").inner_text()
    time.sleep(1.1)  # the device waits a second after a wrong code
    tab.get_by_label("Code from the app").fill(app_code(secret))
    tab.get_by_label("Code from the app").press("Enter")
    tab.get_by_text("Two-factor sign-in is on").wait_for()
    close_settled(context)

    # Another phone: the password leads to the code step, the code into the console.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    tab = context.new_page()
    password_step(tab, live_server.url, moderator)
    tab.wait_for_url("**/en/login/code/")
    assert serious_accessibility_problems(tab) == []
    # A code is accepted once: the app's next one (the device allows one step of drift).
    tab.keyboard.type(app_code(secret, later=30))  # the field has the focus
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/en/staff/moderation/")
    close_settled(context)
