"""Optional two-factor sign-in (django-otp's TOTP devices): a staff member turns it on with
a code from the app; then the password alone signs nobody in, on the page, in the admin or
at the token endpoint, and wrong codes are throttled and count toward the lockout.

Codes are computed as an authenticator app would, from the device's key at the current
(travelled) time; each sign-in moves the clock on a 30-second step, as a device accepts a
code only once."""

from __future__ import annotations

import time
from base64 import b32encode
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db

HERE = "192.0.2.30"
START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code_now(device: TOTPDevice) -> str:
    """What the authenticator app shows at this moment."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code_now(device)) + 1) % 1_000_000:06d}"


def with_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def password_step(client: Client, user, next_url: str = "") -> Any:
    body = {"username": user.username, "password": PASSWORD}
    if next_url:
        body["next"] = next_url
    return client.post("/en/login/", body, REMOTE_ADDR=HERE)


def code_step(client: Client, code: str) -> Any:
    return client.post("/en/login/code/", {"otp_token": code}, REMOTE_ADDR=HERE)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_staff_member_turns_it_on_with_a_code_from_the_app(client, moderator, clock):
    Token.objects.create(user=moderator)
    client.force_login(moderator)
    page = client.get("/en/staff/two-factor/")
    assert page.status_code == 200 and "Two-factor sign-in is off." in page.text
    device = TOTPDevice.objects.get(user=moderator, confirmed=False)
    # The key for typing in by hand is the device's own, in base32; the QR code is inline SVG.
    key = b32encode(device.bin_key).decode()
    assert key[:4] + " " + key[4:8] in page.text
    assert '<svg viewBox="0 0' in page.text and "<title>" in page.text
    assert "issuer=%D0%92%D1%96%D0%B4" in device.config_url  # Відкрите Місто
    assert 'autocomplete="one-time-code"' in page.text and 'inputmode="numeric"' in page.text
    # Shown again, the page keeps the same key (the QR code the person may have scanned).
    assert key[:4] in client.get("/en/staff/two-factor/").text
    assert TOTPDevice.objects.filter(user=moderator).count() == 1

    refused = client.post(
        "/en/staff/two-factor/", {"action": "on", "otp_token": wrong_code(device)}
    )
    assert refused.status_code == 200
    assert "Code from the app: This code is wrong or has expired" in refused.text
    assert 'aria-invalid="true"' in refused.text
    device.refresh_from_db()
    assert not device.confirmed

    clock.shift(2)  # past the one-second wait after the wrong code
    done = client.post("/en/staff/two-factor/", {"action": "on", "otp_token": code_now(device)})
    assert done.status_code == 302 and done["Location"] == "/en/staff/two-factor/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session["otp_device_id"] == device.persistent_id
    # The API token was issued without a code: gone. This session goes on.
    assert not Token.objects.filter(user=moderator).exists()
    on = client.get("/en/staff/two-factor/")
    assert "Two-factor sign-in is on" in on.text and key[:4] not in on.text
    assert client.get("/en/staff/moderation/").status_code == 200


def test_a_malformed_code_is_named_and_changes_nothing(client, moderator):
    client.force_login(moderator)
    client.get("/en/staff/two-factor/")
    answer = client.post("/en/staff/two-factor/", {"action": "on", "otp_token": "12ab"})
    assert "Code from the app: Enter the 6 digits the app shows." in answer.text
    empty = client.post("/en/staff/two-factor/", {"action": "on", "otp_token": ""})
    assert "Code from the app: This field is required." in empty.text
    device = TOTPDevice.objects.get(user=moderator)
    assert not device.confirmed and device.throttling_failure_count == 0


def test_the_page_is_for_staff_only(client, resident, worker_zhkg):
    assert client.get("/en/staff/two-factor/")["Location"].startswith("/en/login/")
    client.force_login(resident)
    assert client.get("/en/staff/two-factor/").status_code == 403
    assert (
        client.post("/en/staff/two-factor/", {"action": "on", "otp_token": "123456"}).status_code
        == 403
    )
    assert not TOTPDevice.objects.filter(user=resident).exists()
    # Every staff member may, whatever the role; the header links to it.
    client.force_login(worker_zhkg)
    page = client.get("/en/staff/two-factor/")
    assert page.status_code == 200
    assert 'href="/en/staff/two-factor/"' in page.text


def test_the_password_alone_signs_nobody_in(client, moderator, clock):
    device = with_device(moderator)
    answer = password_step(client, moderator, next_url="/en/staff/moderation/")
    assert answer.status_code == 302 and answer["Location"] == "/en/login/code/"
    assert not signed_in(client)
    assert client.session["two_factor_pending"]["user"] == moderator.pk
    assert client.get("/en/staff/moderation/")["Location"].startswith("/en/login/")
    page = client.get("/en/login/code/")
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.text

    done = code_step(client, code_now(device))
    assert done.status_code == 302 and done["Location"] == "/en/staff/moderation/"
    assert client.session["_auth_user_id"] == str(moderator.pk)
    assert client.session["otp_device_id"] == device.persistent_id
    assert "two_factor_pending" not in client.session
    assert client.get("/en/staff/moderation/").status_code == 200


def test_a_wrong_code_is_refused_and_signs_nobody_in(client, moderator, clock):
    device = with_device(moderator)
    password_step(client, moderator)
    answer = code_step(client, wrong_code(device))
    assert answer.status_code == 200
    assert "Code from the app: This code is wrong or has expired" in answer.text
    assert not signed_in(client)
    assert client.get("/en/staff/moderation/").status_code == 302
    # The wrong code is a failed sign-in for django-axes.
    assert AccessAttempt.objects.get(username=moderator.username).failures_since_start == 1


def test_wrong_codes_are_throttled(client, moderator, clock):
    device = with_device(moderator)
    password_step(client, moderator)
    # Each wrong code doubles the wait before the device looks at the next one: 1, 2, 4 s.
    for wait in (1, 2, 4):
        code_step(client, wrong_code(device))
        refused = code_step(client, code_now(device))  # right, but too soon
        assert f"Too many wrong codes: wait {wait} s" in refused.text
        assert not signed_in(client)
        clock.shift(wait)
    device.refresh_from_db()
    assert device.throttling_failure_count == 3
    assert AccessAttempt.objects.get(username=moderator.username).failures_since_start == 3
    assert code_step(client, code_now(device)).status_code == 302
    assert signed_in(client)
    # The right code resets the count of both.
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert not AccessAttempt.objects.filter(username=moderator.username).exists()


def test_wrong_codes_count_toward_the_lockout(client, moderator, clock, settings):
    device = with_device(moderator)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/en/login/", {"username": moderator.username, "password": "guess"},
                    REMOTE_ADDR=HERE)  # fmt: skip
    password_step(client, moderator)
    locked = code_step(client, wrong_code(device))
    assert locked.status_code == 429 and "Too many wrong passwords" in locked.text
    clock.shift(5)
    assert code_step(client, code_now(device)).status_code == 429
    assert not signed_in(client)


def test_the_code_step_waits_only_a_few_minutes(client, moderator, clock, settings):
    assert settings.OTP_SIGN_IN_SECONDS == 300
    device = with_device(moderator)
    password_step(client, moderator)
    clock.shift(301)
    late = code_step(client, code_now(device))
    assert late.status_code == 200 and "The time to enter the code has run out" in late.text
    assert not signed_in(client)
    assert "two_factor_pending" not in client.session
    # Nobody waiting at all: the same page, never a sign-in.
    assert "The time to enter the code has run out" in Client().get("/en/login/code/").text


def test_users_without_a_device_sign_in_as_before(client, moderator):
    answer = password_step(client, moderator, next_url="/en/staff/moderation/")
    assert answer["Location"] == "/en/staff/moderation/" and signed_in(client)


def test_the_admin_signs_in_through_the_site_and_its_code_step(client, admin_user, clock):
    device = with_device(admin_user)
    asked = client.get("/en/admin/login/?next=/en/admin/layers/")
    assert asked.status_code == 302 and asked["Location"] == "/en/login/?next=/en/admin/layers/"
    # Django's own admin form is gone: a password posted to it signs nobody in.
    body = {"username": admin_user.username, "password": PASSWORD, "next": "/en/admin/"}
    posted = client.post("/en/admin/login/", body)
    assert posted.status_code == 302 and posted["Location"].startswith("/en/login/")
    assert not signed_in(client)
    assert client.get("/en/admin/")["Location"].startswith("/en/admin/login/")

    password_step(client, admin_user, next_url="/en/admin/")
    assert not signed_in(client)
    assert code_step(client, code_now(device))["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200
    # Signed in, the admin's login page leads straight in.
    assert client.get("/en/admin/login/")["Location"] == "/en/admin/"


def test_the_token_endpoint_asks_for_the_code(moderator, coordinator, clock):
    device = with_device(moderator)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=HERE)
    url = "/api/v1/auth/token/"
    right = {"username": moderator.username, "password": PASSWORD}
    missing = api.post(url, right, format="json")
    assert missing.status_code == 400 and "otp_token" in missing.json()
    assert "send the code of the authenticator app" in missing.json()["otp_token"][0]
    wrong = api.post(url, {**right, "otp_token": wrong_code(device)}, format="json")
    assert wrong.status_code == 400
    assert wrong.json() == {"otp_token": ["The code is wrong or has expired."]}
    throttled = api.post(url, {**right, "otp_token": code_now(device)}, format="json")
    assert throttled.status_code == 429 and throttled["Retry-After"] == "1"
    # In the client's language, not DRF's English "Expected available in 1 second".
    assert throttled.json()["detail"] == "Too many wrong codes; try again in 1 s."
    uk = APIClient(HTTP_ACCEPT_LANGUAGE="uk", REMOTE_ADDR=HERE)
    again = uk.post(url, {**right, "otp_token": code_now(device)}, format="json")
    assert again.status_code == 429 and again.json()["detail"] == (
        "Забагато неправильних кодів; спробуйте ще раз через 1 с."
    )
    assert not Token.objects.filter(user=moderator).exists()
    clock.shift(1)
    issued = api.post(url, {**right, "otp_token": code_now(device)}, format="json")
    assert issued.status_code == 200
    assert issued.json()["token"] == Token.objects.get(user=moderator).key
    # Without a device, user name and password are enough, as before.
    plain = api.post(url, {"username": coordinator.username, "password": PASSWORD}, format="json")
    assert plain.status_code == 200 and "token" in plain.json()


def test_turning_it_off_needs_a_current_code(client, moderator, clock):
    device = with_device(moderator)
    password_step(client, moderator)
    code_step(client, code_now(device))
    assert signed_in(client)
    clock.shift(30)  # a code is accepted once: the app's next one
    refused = client.post(
        "/en/staff/two-factor/", {"action": "off", "otp_token": wrong_code(device)}
    )
    assert "Code from the app: This code is wrong or has expired" in refused.text
    assert TOTPDevice.objects.filter(user=moderator, confirmed=True).exists()
    clock.shift(2)
    done = client.post("/en/staff/two-factor/", {"action": "off", "otp_token": code_now(device)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=moderator, confirmed=True).exists()
    assert "Two-factor sign-in is off." in client.get("/en/staff/two-factor/").text
    # Signed in with the password alone from now on.
    other = Client()
    password_step(other, moderator)
    assert signed_in(other)


def test_sessions_signed_in_without_a_code_end_when_it_is_turned_on(client, moderator, clock):
    elsewhere = Client()
    elsewhere.force_login(moderator)
    assert elsewhere.get("/en/staff/moderation/").status_code == 200
    client.force_login(moderator)
    client.get("/en/staff/two-factor/")
    device = TOTPDevice.objects.get(user=moderator)
    client.post("/en/staff/two-factor/", {"action": "on", "otp_token": code_now(device)})
    assert client.get("/en/staff/moderation/").status_code == 200
    assert elsewhere.get("/en/staff/moderation/")["Location"].startswith("/en/login/")
    assert "_auth_user_id" not in elsewhere.session


def test_both_pages_speak_ukrainian(client, moderator):
    client.force_login(moderator)
    page = client.get("/staff/two-factor/")
    assert page.status_code == 200 and '<html lang="uk">' in page.text
    assert Client().get("/login/code/").status_code == 200
