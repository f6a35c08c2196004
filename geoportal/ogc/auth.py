"""Who is writing through the OGC API: a desktop client's credentials, or the site's session.

QGIS and OWSLib send HTTP Basic. Here its password is the person's API token (POST
/api/v1/auth/token/ or the admin issue it), never the account's password: the account's
password stays behind the sign-in form with its throttling and two-factor code, and a
token expires (API_TOKEN_DAYS) and dies with a password change (geoportal/accounts/
tokens.py). `Authorization: Token <key>` is accepted too, as the rest of the API takes it.

A request carrying credentials is not open to cross-site forgery (a browser never adds
them by itself), so CSRF does not apply to it; a request signed in by the session cookie
must carry the CSRF token, as every other form of the site does.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed

from geoportal.accounts.tokens import ExpiringTokenAuthentication

REALM = "geoportal"
CHALLENGE = f'Basic realm="{REALM}"'


class CredentialsError(Exception):
    """Credentials were sent and are wrong (401, with the Basic challenge)."""


@dataclass(frozen=True)
class Caller:
    user: Any
    # "token" (Basic with the token as password, or Token), "session", or "anonymous".
    via: str

    @property
    def signed_in(self) -> bool:
        return self.via != "anonymous"


def _token_user(key: str) -> Any:
    try:
        user, _token = ExpiringTokenAuthentication().authenticate_credentials(key)
    except AuthenticationFailed as refused:
        raise CredentialsError(str(refused.detail)) from None
    return user


def _basic(encoded: str) -> Any:
    """The user of `Basic base64(name:token)`: the token must be that very person's."""
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise CredentialsError(_("The Basic credentials are not valid base64 text.")) from None
    name, colon, key = decoded.partition(":")
    if not colon or not name or not key:
        raise CredentialsError(_("Basic credentials are the user name and the API token."))
    refusal = _(
        "The user name and API token do not match. The password here is your API token, "
        "not your account's password."
    )
    try:
        user = _token_user(key)
    except CredentialsError:
        raise CredentialsError(refusal) from None
    if user.get_username() != name:
        raise CredentialsError(refusal)
    return user


def caller(request: HttpRequest) -> Caller:
    """The person the request speaks for; CredentialsError when it names one wrongly."""
    header = request.headers.get("Authorization", "").strip()
    if header:
        scheme, _space, value = header.partition(" ")
        if scheme.lower() == "basic":
            return Caller(_basic(value), "token")
        if scheme.lower() == "token":
            return Caller(_token_user(value.strip()), "token")
        raise CredentialsError(
            _("Unsupported authorization %(scheme)r: use Basic (user name and API token) or "
              "Token.") % {"scheme": scheme[:20]}
        )  # fmt: skip
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Caller(user, "session")
    return Caller(user, "anonymous")


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request: HttpRequest, reason: str) -> Any:
        return reason


def csrf_refusal(request: HttpRequest) -> str | None:
    """Why a session-signed write fails Django's CSRF check (None: it passes). The views
    themselves are exempt so that token-authenticated clients need no CSRF token."""

    def no_response(_request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    check = _CsrfCheck(no_response)
    check.process_request(request)
    reason = check.process_view(request, no_response, (), {})
    return str(reason) if reason else None
