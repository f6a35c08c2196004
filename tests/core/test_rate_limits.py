"""Rate limits on filing, support, sign-in and Open311 POST: per address and per account
(or API key), counted in PostgreSQL so every process shares them; a refused request gets
429 with Retry-After and writes nothing."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections
from django.http import HttpRequest
from django.test import Client
from rest_framework.test import APIClient

from geoportal.accounts.models import User
from geoportal.core.clientip import client_ip
from geoportal.core.models import RateCounter
from geoportal.core.ratelimit import Rate, forget_expired, hit, retry_after
from geoportal.reports.models import Report
from tests.cast import PASSWORD
from tests.open311.conftest import api_key  # noqa: F401 (fixture)
from tests.open311.test_georeport import post as open311_post
from tests.reports.conftest import file_report, media, new_report_form  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings: Any) -> dict[str, str]:
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {"report": "2/hour", "support": "1/hour", "login": "2/hour",
                            "open311": "1/hour"}  # fmt: skip
    return settings.RATE_LIMITS


def _file(client: APIClient, **extra: Any) -> Any:
    return client.post("/api/v1/reports/", new_report_form(), format="multipart", **extra)


def test_filing_over_the_limit_is_refused_and_writes_nothing(pokrovsk, limits):
    client = APIClient()
    assert [_file(client).status_code for _ in range(2)] == [201, 201]
    refused = _file(client, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "throttled" in refused.json()["detail"].lower()
    assert Report.objects.count() == 2
    # Another address has its own count.
    assert _file(client, REMOTE_ADDR="203.0.113.9").status_code == 201


def test_an_account_is_limited_whatever_its_address(pokrovsk, limits):
    user = User.objects.create_user("resident2", password=PASSWORD)
    client = APIClient()
    client.force_authenticate(user)
    answers = [_file(client, REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(3)]
    assert answers == [201, 201, 429]


def test_support_over_the_limit(pokrovsk, moderator, limits):
    report = file_report()
    report.approve(moderator)
    client = APIClient()
    first = client.post(f"/api/v1/reports/{report.pk}/support/", {"email": "a@example.org"})
    second = client.post(f"/api/v1/reports/{report.pk}/support/", {"email": "b@example.org"})
    assert (first.status_code, second.status_code) == (200, 429)
    report.refresh_from_db()
    assert report.support_count == 1


def test_token_and_sign_in_page_over_the_limit(moderator, limits):
    api = APIClient()
    wrong = {"username": moderator.username, "password": "not-it"}
    assert [api.post("/api/v1/auth/token/", wrong).status_code for _ in range(2)] == [400, 400]
    right = {"username": moderator.username, "password": PASSWORD}
    assert api.post("/api/v1/auth/token/", right).status_code == 429  # the address's limit
    page = Client()
    answer = page.post("/en/login/", right, REMOTE_ADDR="192.0.2.7")
    assert answer.status_code == 302  # another address signs in
    for _ in range(2):
        page.post("/en/login/", wrong, REMOTE_ADDR="192.0.2.8")
    refused = page.post("/en/login/", right, REMOTE_ADDR="192.0.2.8")
    assert refused.status_code == 429 and "Too many sign-in attempts" in refused.text


def test_open311_post_is_limited_per_address_and_key(pokrovsk, client, api_key, limits):  # noqa: F811
    assert open311_post(client, api_key=api_key).status_code == 201
    again = open311_post(client, api_key=api_key, REMOTE_ADDR="203.0.113.50")
    assert again.status_code == 429  # the same key from another address
    assert "retry in" in again.text


@pytest.mark.django_db(transaction=True)
def test_counts_are_exact_across_connections(limits):
    """Eight requests at once on eight database connections: exactly the limit passes."""
    limits["report"] = "5/hour"
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "203.0.113.77"
    results: list[int | None] = []
    start = threading.Barrier(8)

    def one() -> None:
        start.wait()
        try:
            results.append(retry_after(request, "report"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(None) == 5 and len(results) == 8
    assert RateCounter.objects.get(key="report:ip:203.0.113.77").hits == 8


def test_windows_end_and_old_counters_go(limits):
    rate = Rate.parse("3/minute")
    assert [hit("k", rate, now=120.0)[0] for _ in range(4)] == [1, 2, 3, 4]
    assert hit("k", rate, now=180.0)[0] == 1  # the next minute starts again
    assert hit("k", rate, now=179.0)[1] == pytest.approx(1.0)
    assert forget_expired() == 2  # both windows ended long ago (1970)
    with pytest.raises(ValueError, match="not a rate"):
        Rate.parse("10 per hour")


def test_client_address_behind_trusted_proxies(settings):
    request = HttpRequest()
    request.META.update({"REMOTE_ADDR": "10.0.0.2",
                         "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.4"})  # fmt: skip
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy trusted: the header is ignored
    settings.TRUSTED_PROXIES = 1
    assert client_ip(request) == "198.51.100.4"  # what nginx saw; 6.6.6.6 was forged
    request.META["HTTP_X_FORWARDED_FOR"] = "not-an-address"
    assert client_ip(request) == "unknown"
