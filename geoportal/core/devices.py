"""The web's device identity: a random id in a signed, long-lived, httpOnly cookie.

An address is not a person: a mobile carrier puts many residents behind one (CGNAT) and
an office shares one Wi-Fi. The pages whose forms send to a rate-limited endpoint (the
report form, a report's page, sign-in) give the browser a random id of its own; the rate
limits count it (geoportal/core/ratelimit.py) and a report's Idempotency-Key belongs to it
(geoportal/core/clients.py). It says nothing about the person, and it is signed, so a
client cannot pick another device's id: a forged or unsigned value counts as no device. A
client that throws it away and fetches a new one is still bounded by the per-address
ceiling.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

COOKIE = "device"
SALT = "geoportal.core.devices"
ID = re.compile(r"[A-Za-z0-9_-]{24}")


def device_id(request: HttpRequest) -> str | None:
    """The id of the browser's device cookie, or None when it has none or a forged one."""
    value = request.get_signed_cookie(COOKIE, default=None, salt=SALT)
    return value if value is not None and ID.fullmatch(value) else None


def remember_device(request: HttpRequest, response: HttpResponseBase) -> None:
    """Give the browser a device id unless it has one already."""
    if device_id(request) is not None:
        return
    response.set_signed_cookie(
        COOKIE,
        secrets.token_urlsafe(18),
        salt=SALT,
        max_age=settings.DEVICE_COOKIE_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


View = Callable[..., HttpResponse]


def gives_device(view: View) -> View:
    """A page whose forms send to a rate-limited endpoint: its answer carries the cookie."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        remember_device(request, response)
        return response

    return answer
