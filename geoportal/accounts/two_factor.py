"""Optional two-factor sign-in with an authenticator app (django-otp's TOTPDevice).

A staff member turns it on by scanning a QR code and entering one code; from then on the
right password only holds the sign-in in the session (the user's id, for a few minutes)
until a right code from the app completes it. Wrong codes are throttled by the device
(each one doubles the wait) and count as failed sign-ins for django-axes' lockout.
"""

from __future__ import annotations

import math
import time
from base64 import b32encode
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib.auth import login, logout, user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from geoportal.accounts.models import User

PENDING = "two_factor_pending"
DEVICE_NAME = "Authenticator app"


@dataclass(frozen=True)
class Check:
    """What became of a code: right, wrong, or not looked at because the device is still
    throttled after wrong ones (`wait` seconds left)."""

    right: bool
    wait: int = 0


def confirmed_device(user: Any) -> TOTPDevice | None:
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def has_device(user: Any) -> bool:
    return confirmed_device(user) is not None


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up: the same one until it is confirmed, so the QR
    code stays the same when the page is shown again."""
    with transaction.atomic():
        # Locks the user's row: two pages opened at once would otherwise make two keys.
        User.objects.select_for_update().filter(pk=user.pk).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        return device


def secret(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(device: TOTPDevice, title: str) -> str:
    """The device's otpauth:// URL as an inline SVG element (no style attributes, so the
    Content-Security-Policy has nothing to refuse)."""
    code = segno.make(device.config_url, error="m")
    svg: str = code.svg_inline(scale=4, omitsize=True, light="#fff", title=title,
                               svgclass="qr-code")  # fmt: skip
    return svg


def _verify(device: TOTPDevice, code: str) -> Check:
    """Check a code on a device whose row the caller has locked."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        until = (details or {}).get("locked_until")
        left = (until - timezone.now()).total_seconds() if until else 1
        return Check(right=False, wait=max(1, math.ceil(left)))
    return Check(right=bool(device.verify_token(code)))


def _locked(device: TOTPDevice) -> TOTPDevice | None:
    return TOTPDevice.objects.select_for_update().filter(pk=device.pk).first()


def check_code(device: TOTPDevice, code: str) -> Check:
    """Check a sign-in code; the device's row is locked so that two requests can neither
    both use one code nor both slip past the throttle."""
    with transaction.atomic():
        locked = _locked(device)
        return _verify(locked, code) if locked else Check(right=False)


def turn_on(request: HttpRequest, device: TOTPDevice, code: str) -> Check:
    """Confirm the device being set up with a code from the app. This session counts as
    signed in with a code; any other device and the API token (issued without a code)
    are removed."""
    with transaction.atomic():
        locked = _locked(device)
        if locked is None or locked.confirmed:
            return Check(right=False)
        check = _verify(locked, code)
        if check.right:
            TOTPDevice.objects.filter(user_id=locked.user_id).exclude(pk=locked.pk).delete()
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            Token.objects.filter(user_id=locked.user_id).delete()
    if check.right:
        django_otp.login(request, locked)
    return check


def turn_off(user: User, code: str) -> Check:
    """Remove the user's devices, given a right code from the app."""
    with transaction.atomic():
        device = confirmed_device(user)
        locked = _locked(device) if device else None
        if locked is None:
            return Check(right=False)
        check = _verify(locked, code)
        if check.right:
            TOTPDevice.objects.filter(user_id=user.pk).delete()
        return check


def count_failure(request: HttpRequest, user: User) -> None:
    """A wrong code is a failed sign-in for django-axes, like a wrong password."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()},
                           request=request)  # fmt: skip


# The sign-in held between the right password and the code.


def hold(request: HttpRequest, user: Any, next_url: str) -> None:
    """Remember who gave the right password, not signing them in."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "until": time.time() + settings.OTP_SIGN_IN_SECONDS,
        "next": next_url,
    }


def held_user(request: HttpRequest) -> User | None:
    """The user waiting for their code, while the wait lasts."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if pending.get("until", 0) < time.time():
        del request.session[PENDING]
        return None
    return User.objects.filter(pk=int(pending["user"]), is_active=True).first()


def finish(request: HttpRequest, user: User, device: TOTPDevice) -> str:
    """Sign in the held user with the device that accepted their code; where to go next."""
    pending = request.session.pop(PENDING)
    login(request, user, backend=pending["backend"])
    django_otp.login(request, device)
    return str(pending["next"])


class SignOutUnverifiedMiddleware:
    """Sign out a session that was signed in without a code while its user has turned on
    two-factor sign-in since (in another browser, say). After OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if user.is_authenticated and not user.is_verified() and has_device(user):
            logout(request)
        return self.get_response(request)
