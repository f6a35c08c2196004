"""API tokens stop working, one table of the ways: they expire API_TOKEN_DAYS after issue,
and a password change (by the person's own code, in the admin, by the management command)
or a deactivation revokes them at once. A revoked token answers 401 and does not come
back when the account is active again; signing in again gives a new token."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from geoportal.accounts.models import User
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/reports/queue/moderation/"  # needs a signed-in moderator
NEW_PASSWORD = "Nova-Parol-2026!"


def expire(user: User, admin: User) -> Any:
    return time_machine.travel(timezone.now() + timedelta(days=31), tick=False)


def set_password(user: User, admin: User) -> None:
    user.set_password(NEW_PASSWORD)
    user.save()


def password_in_admin(user: User, admin: User) -> None:
    client = Client()
    client.force_login(admin)
    answer = client.post(f"/en/admin/accounts/user/{user.pk}/password/",
                         {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                          "usable_password": "true"})  # fmt: skip
    assert answer.status_code == 302, answer.content[:500]


def changepassword_command(user: User, admin: User) -> None:
    from unittest import mock

    with mock.patch("getpass.getpass", return_value=NEW_PASSWORD):
        call_command("changepassword", user.username, stdout=None)


def deactivate(user: User, admin: User) -> None:
    user.is_active = False
    user.save()


def deactivate_in_admin(user: User, admin: User) -> None:
    """The administrator unticks "active" on the person's page and saves it."""
    client = Client()
    client.force_login(admin)
    url = f"/en/admin/accounts/user/{user.pk}/change/"
    form = client.get(url).context["adminform"].form
    data: dict[str, Any] = {}
    for name, bound in ((name, form[name]) for name in form.fields):
        value = bound.value()
        if isinstance(value, datetime):  # a split date and time field
            data[f"{name}_0"], data[f"{name}_1"] = value.date(), value.time()
        elif value is not None and name not in {"is_active", "password"}:
            data[name] = value
    answer = client.post(url, data)
    assert answer.status_code == 302, answer.content[:800]


def deactivate_and_reactivate(user: User, admin: User) -> None:
    deactivate(user, admin)
    user.is_active = True
    user.save()


@dataclass(frozen=True)
class Ending:
    name: str
    act: Callable[[User, User], Any]  # returns a context to stay in, or None
    password: str = PASSWORD  # the password that signs in afterwards
    signs_in: bool = True  # whether the person may ask for a new token afterwards


ENDINGS = [
    Ending("expired after API_TOKEN_DAYS", expire),
    Ending("password changed (set_password)", set_password, NEW_PASSWORD),
    Ending("password changed in the admin", password_in_admin, NEW_PASSWORD),
    Ending("password changed by manage.py changepassword", changepassword_command, NEW_PASSWORD),
    Ending("deactivated", deactivate, signs_in=False),
    Ending("deactivated in the admin", deactivate_in_admin, signs_in=False),
    Ending("deactivated, then active again", deactivate_and_reactivate),
]


def token_for(username: str, password: str) -> Any:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/token/", {"username": username, "password": password}
    )


def asks(token: str) -> Any:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Token {token}").get(QUEUE)


@pytest.mark.parametrize("ending", ENDINGS, ids=[e.name for e in ENDINGS])
def test_a_token_stops_working(ending: Ending, moderator: User, admin_user: User, settings):
    assert settings.API_TOKEN_DAYS == 30
    issued = token_for(moderator.username, PASSWORD)
    assert issued.status_code == 200
    old = issued.json()["token"]
    assert asks(old).status_code == 200
    context = ending.act(User.objects.get(pk=moderator.pk), admin_user)
    with context or nullcontext():
        refused = asks(old)
        assert refused.status_code == 401, refused.content
        assert refused["WWW-Authenticate"] == "Token"
        again = token_for(moderator.username, ending.password)
        if not ending.signs_in:
            assert again.status_code == 400
            assert not Token.objects.filter(user=moderator).exists()
            return
        assert again.status_code == 200, again.content
        new = again.json()["token"]
        assert new != old and asks(new).status_code == 200
        assert asks(old).status_code == 401


def test_the_answer_says_when_the_token_expires(moderator, settings):
    settings.API_TOKEN_DAYS = 7
    answer = token_for(moderator.username, PASSWORD).json()
    token = Token.objects.get(user=moderator)
    assert parse_datetime(answer["expires_at"]) == token.created + timedelta(days=7)
    with time_machine.travel(token.created + timedelta(days=7, seconds=1), tick=False):
        refused = asks(token.key)
        assert refused.status_code == 401 and "expired" in refused.json()["detail"]
    with time_machine.travel(token.created + timedelta(days=6), tick=False):
        assert asks(token.key).status_code == 200
        assert token_for(moderator.username, PASSWORD).json()["token"] == token.key
