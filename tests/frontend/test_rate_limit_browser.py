"""Over the filing limit, the report form says in the page's language when to try again
(in N minutes, at HH:MM), marks no field and keeps what was typed; it does not ask the
resident to correct anything. In Debian's Chromium against the live server."""

from __future__ import annotations

import re

import pytest

from geoportal.core.ratelimit import Rate, hit
from geoportal.reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = [
    pytest.param("/en", "try again in", "correct the marked fields", id="en"),
    pytest.param("", "спробуйте ще раз через", "виправте позначені поля", id="uk"),
]


@pytest.mark.parametrize(("prefix", "words", "not_words"), LANGUAGES)
def test_over_the_limit_the_form_says_when_to_try_again(
    live_server, page, pokrovsk, settings, prefix: str, words: str, not_words: str
):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {"report": {"client": "10/hour", "address": "1/hour"}}
    hit("report:address:127.0.0.1", Rate.parse("1/hour"))  # the address's one report
    page.goto(f"{live_server.url}{prefix}/report/")
    page.fill("#id_lat", "48.2771")
    page.fill("#id_lon", "37.1772")
    page.select_option("#id_category", "lighting")
    page.fill("#id_title", "Не горить ліхтар")
    page.fill("#id_description", "Біля школи третій вечір темно.")
    page.click("#send-report")
    refusal = page.locator("#form-errors")
    refusal.wait_for(state="visible")
    text = refusal.inner_text()
    assert words in text and re.search(r"\d+ \S+ \S+ \d{1,2}:\d{2}", text), text
    assert not_words not in text.lower()
    assert page.locator("[aria-invalid]").count() == 0
    assert page.input_value("#id_title") == "Не горить ліхтар"
    assert Report.objects.count() == 0
