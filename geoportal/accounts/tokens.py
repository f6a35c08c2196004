"""API tokens (DRF's authtoken, one per user, its key stored as issued): a token expires
API_TOKEN_DAYS after it was issued, and a password change or deactivation deletes it
(User.save), so a token copied from a laptop or a script stops working when the person
changes the password or leaves. The token endpoint issues a new one after expiry."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def expires_at(token: Token) -> datetime:
    return token.created + timedelta(days=settings.API_TOKEN_DAYS)


def is_expired(token: Token) -> bool:
    return timezone.now() >= expires_at(token)


def issue(user: Any) -> Token:
    """The user's token, or a new one when it has expired."""
    token, _created = Token.objects.get_or_create(user=user)
    if is_expired(token):
        Token.objects.filter(pk=token.pk).delete()
        token, _created = Token.objects.get_or_create(user=user)
    return token


def revoke(user: Any) -> None:
    Token.objects.filter(user=user).delete()


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's `Authorization: Token <key>`, refusing an expired token (401)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            raise AuthenticationFailed(
                _("This token has expired; ask POST /api/v1/auth/token/ for a new one.")
            )
        return user, token
