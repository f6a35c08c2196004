"""Sign-in throttling by django-axes: five wrong passwords for one user name from one
address pause that pair, on the page and the token endpoint alike; others go on."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db

HERE, ELSEWHERE = "192.0.2.20", "192.0.2.21"


def test_five_wrong_passwords_pause_that_user_from_that_address(moderator, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    page = Client()
    wrong = {"username": moderator.username, "password": "guess"}
    right = {"username": moderator.username, "password": PASSWORD}
    for _ in range(4):
        answer = page.post("/en/login/", wrong, REMOTE_ADDR=HERE)
        assert answer.status_code == 200 and "correct username and password" in answer.text
    fifth = page.post("/en/login/", wrong, REMOTE_ADDR=HERE)
    assert fifth.status_code == 429
    locked = page.post("/en/login/", right, REMOTE_ADDR=HERE)
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.text and locked["Retry-After"] == "3600"
    assert "_auth_user_id" not in page.session
    token = APIClient().post(
        "/api/v1/auth/token/", right, REMOTE_ADDR=HERE, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert token.status_code == 429 and "Too many wrong passwords" in token.json()["detail"]
    # The same person from another address, and the page in Ukrainian.
    assert Client().post("/en/login/", right, REMOTE_ADDR=ELSEWHERE).status_code == 302
    uk = Client().post("/login/", right, REMOTE_ADDR=HERE)
    assert uk.status_code == 429 and "Забагато неправильних паролів" in uk.text
    # Every refused attempt is recorded for the administrator, the locked ones too.
    assert AccessAttempt.objects.get(ip_address=HERE).failures_since_start == 7


@pytest.mark.parametrize("where", ["the sign-in page", "the token endpoint"])
def test_the_fifth_wrong_password_is_answered_as_locked(moderator, where):
    """The limit-reaching attempt itself says so, wherever it was made (the red team found
    the token endpoint one attempt behind the page)."""
    wrong = {"username": moderator.username, "password": "guess"}
    answer: Any = None
    for attempt in range(1, 6):
        if where == "the sign-in page":
            answer = Client().post("/en/login/", wrong, REMOTE_ADDR=HERE)
        else:
            answer = APIClient().post("/api/v1/auth/token/", wrong, REMOTE_ADDR=HERE)
        assert answer.status_code == (429 if attempt == 5 else {"the sign-in page": 200,
                                      "the token endpoint": 400}[where]), attempt  # fmt: skip
    assert answer["Retry-After"] == "3600"


def test_a_right_password_resets_the_count(moderator):
    page = Client()
    wrong = {"username": moderator.username, "password": "guess"}
    for _ in range(4):
        page.post("/en/login/", wrong, REMOTE_ADDR=HERE)
    right = {"username": moderator.username, "password": PASSWORD}
    assert page.post("/en/login/", right, REMOTE_ADDR=HERE).status_code == 302
    page.post("/en/logout/", REMOTE_ADDR=HERE)
    for _ in range(4):
        assert Client().post("/en/login/", wrong, REMOTE_ADDR=HERE).status_code == 200
