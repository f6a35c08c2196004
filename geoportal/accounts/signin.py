"""Sign-in refused: locked out by django-axes after too many wrong passwords, or over the
address's rate limit. The page says so in the visitor's language; the API answers JSON.
The token endpoint lives here too, so both ways of signing in are guarded alike (the
two-factor code included: `otp_token` for users who turned it on)."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response

from geoportal.accounts import tokens, two_factor
from geoportal.core.ratelimit import DatabaseRateThrottle, TooManyRequests, Wait, when


def _refusal(request: HttpRequest, message: str, wait: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "frontend/login_refused.html", {"message": message},
                          status=429)  # fmt: skip
    response["Retry-After"] = str(wait)
    return response


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> Any:
    """django-axes' AXES_LOCKOUT_CALLABLE."""
    hours = int(settings.AXES_COOLOFF_TIME.total_seconds() // 3600)
    message = _(
        "Too many wrong passwords for this user name from your address: sign-in is "
        "paused for %(hours)s h. Ask the administrator if you need to sign in sooner."
    ) % {"hours": hours}
    return _refusal(request, message, int(settings.AXES_COOLOFF_TIME.total_seconds()))


def too_many(request: HttpRequest, refusal: Wait) -> HttpResponse:
    """Over sign-in's rate limit (RATE_LOGIN per device, RATE_LOGIN_ADDRESS per address)."""
    return _refusal(request, refusal.message(), refusal.seconds)


class TokenSerializer(AuthTokenSerializer):
    """User name and password, and the app's code for users with two-factor sign-in on."""

    otp_token = serializers.CharField(
        required=False,
        write_only=True,
        help_text="The 6-digit code of the authenticator app; required when the user has "
        "turned on two-factor sign-in.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        device = two_factor.confirmed_device(attrs["user"])
        if device is None:
            return attrs
        code = str(attrs.get("otp_token", "")).replace(" ", "")
        if not code:
            needed = _("Two-factor sign-in is on for this account: send the code of the "
                       "authenticator app as otp_token.")  # fmt: skip
            raise serializers.ValidationError({"otp_token": needed}, code="required")
        check = two_factor.check_code(device, code)
        if check.wait:
            message = _("Too many wrong codes; try again %(when)s.") % {"when": when(check.wait)}
            raise TooManyRequests(message, check.wait)
        if not check.right:
            two_factor.count_failure(self.context["request"]._request, attrs["user"])
            raise serializers.ValidationError(
                {"otp_token": _("The code is wrong or has expired.")}, code="invalid"
            )
        return attrs


class TokenIssuedSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    expires_at = serializers.DateTimeField(
        help_text="Ask again after this (API_TOKEN_DAYS); a password change or deactivation "
        "revokes the token at once."
    )


class TokenView(ObtainAuthToken):
    """A token for a user name and password (and code): sign-in's rate limit (RATE_LOGIN)
    and django-axes' lockout apply as on the sign-in page. The token expires after
    API_TOKEN_DAYS (the answer says when); an expired one is replaced by a new one."""

    serializer_class = TokenSerializer
    throttle_classes = [DatabaseRateThrottle]
    throttle_scope = "login"

    @extend_schema(responses={200: TokenIssuedSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        # django-axes marks a lockout on the HttpRequest, which DRF wraps: ask it first.
        given = request.data if isinstance(request.data, dict) else {}
        credentials = {"username": str(given.get("username", ""))}
        if not AxesProxyHandler.is_allowed(request._request, credentials):
            return locked_out(request._request, credentials)
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # The wrong password that reaches the limit is refused as locked at once, as on
            # the sign-in page, not one attempt later.
            if not AxesProxyHandler.is_allowed(request._request, credentials):
                return locked_out(request._request, credentials)
            raise serializers.ValidationError(serializer.errors)
        token = tokens.issue(serializer.validated_data["user"])
        issued = {"token": token.key, "expires_at": tokens.expires_at(token)}
        return Response(TokenIssuedSerializer(issued).data)
