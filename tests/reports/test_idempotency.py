"""Idempotency-Keys, one table of clients: each channel's client files a report under a
key, goes over its rate limit, and then

- its retry with the same key and content is answered from the first report (200, the
  same number and tracking code) although it is over the limit: a client that lost the
  answer learns its number at once, not when the hour ends;
- the same key with other content is refused (422; Open311 answers 400) and writes
  nothing;
- another client of the same channel sending the same key and content gets a report of
  its own (201), never the first client's number or tracking code: keys are per client.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from geoportal.accounts.models import User
from geoportal.open311.models import ApiKey
from geoportal.reports.models import Report
from tests.cast import make_user
from tests.reports.conftest import CENTRE, new_report_form

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Answer

pytestmark = pytest.mark.django_db

KEY = "0b6c1d8e-retry-of-a-lost-answer"
Send = Callable[[str, str], "Answer"]  # (Idempotency-Key, title) → the answer


def web(address: str) -> Send:
    """The report form: a browser with the page's device cookie."""
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    client.get("/en/report/")

    def send(key: str, title: str) -> Answer:
        return client.post("/api/v1/reports/", new_report_form(title=title),
                           HTTP_IDEMPOTENCY_KEY=key)  # fmt: skip

    return send


def app(address: str) -> Send:
    """An app signed in with a token of its own account (no cookie)."""
    user = make_user(f"app_user_{User.objects.count()}")
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en",
                    HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")  # fmt: skip

    def send(key: str, title: str) -> Answer:
        body = json.dumps(new_report_form(title=title))
        return client.post("/api/v1/reports/", body, content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY=key)  # fmt: skip

    return send


def cookieless(address: str) -> Send:
    """A script with neither cookie nor account: only its address tells it apart."""
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")

    def send(key: str, title: str) -> Answer:
        body = json.dumps(new_report_form(title=title))
        return client.post("/api/v1/reports/", body, content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY=key)  # fmt: skip

    return send


def open311(address: str) -> Send:
    """An Open311 client with an API key of its own."""
    key_row = ApiKey(name=f"Клієнт {address}", hourly_limit=1)
    api_key = key_row.issue()
    key_row.save()
    client = Client(REMOTE_ADDR=address)

    def send(key: str, title: str) -> Answer:
        form = {"api_key": api_key, "service_code": "lighting", "lat": CENTRE[0],
                "long": CENTRE[1], "description": title}  # fmt: skip
        return client.post("/open311/v2/requests.json", form, HTTP_IDEMPOTENCY_KEY=key)

    return send


def first_record(answer: Answer) -> dict[str, Any]:
    body = answer.json()
    record: dict[str, Any] = body[0] if isinstance(body, list) else body
    return record


@dataclass(frozen=True)
class Channel:
    name: str
    client: Callable[[str], Send]
    other_address: str  # where the second client is (the same address: behind one CGNAT)
    number: str  # the answer's report number
    secret: str  # what only the filing client may learn
    mismatch: int  # the status of the same key with other content


CHANNELS = [
    Channel("web form (device)", web, "100.64.0.7", "id", "tracking_code", 422),
    Channel("app (account token)", app, "100.64.0.7", "id", "tracking_code", 422),
    Channel("script (address)", cookieless, "100.64.0.8", "id", "tracking_code", 422),
    Channel("Open311 (API key)", open311, "100.64.0.7", "service_request_id", "token", 400),
]


def over_the_limit(send: Send) -> None:
    """New reports under new keys until the client's limit refuses one."""
    for n in range(10):
        if send(f"other-{n}", f"Інша проблема {n}").status_code == 429:
            return
    raise AssertionError("the client never reached its limit")


@pytest.mark.parametrize("channel", CHANNELS, ids=[c.name for c in CHANNELS])
def test_keys_are_per_client_and_a_replay_is_answered_over_the_limit(
    channel: Channel, pokrovsk: Any, settings: Any
):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {"report": {"client": "1/hour", "address": "4/hour"}}
    first_client = channel.client("100.64.0.7")
    first = first_client(KEY, "Не горить ліхтар")
    assert first.status_code == 201, first.content
    filed = first_record(first)
    over_the_limit(first_client)
    count = Report.objects.count()

    replay = first_client(KEY, "Не горить ліхтар")
    assert replay.status_code == 200, replay.content
    assert first_record(replay) == filed
    other_content = first_client(KEY, "Зовсім інша проблема")
    assert other_content.status_code == channel.mismatch, other_content.content
    assert "Idempotency-Key" in other_content.content.decode()
    assert Report.objects.count() == count

    second = channel.client(channel.other_address)(KEY, "Не горить ліхтар")
    assert second.status_code == 201, second.content
    own = first_record(second)
    assert own[channel.number] != filed[channel.number]
    assert own[channel.secret] != filed[channel.secret]
    assert filed[channel.secret] not in second.content.decode()
