"""The land checks' pages on a 360 px phone, in Ukrainian and English: nothing makes the
page scroll sideways, the quarter table scrolls in its own box, a count leads to the
quarter's report."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import close_settled
from tests.frontend.conftest import screenshot
from tests.layers.land_cases import KOATUU, build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("uk", "", "Перевірка земель за кадастровими кварталами", "Земельні ділянки накладаються"),
    ("en", "/en", "Land checks by cadastral quarter", "Land plots overlap"),
]


def signed_in_phone(browser: Any, live_server: Any, client: Any, user: Any) -> Any:
    client.force_login(user)
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])  # fmt: skip
    return context


@pytest.mark.parametrize(("language", "prefix", "title", "overlaps"), PAGES)
def test_quarter_page_on_a_phone(
    live_server, browser, client, pokrovsk, planner, language, prefix, title, overlaps
):
    build(pokrovsk)
    context = signed_in_phone(browser, live_server, client, planner)
    phone = context.new_page()
    phone.goto(f"{live_server.url}{prefix}/admin/layers/layerpassport/quarters/")
    assert phone.locator("h1").inner_text() == title
    assert phone.locator("#quarters thead").text_content().count(overlaps) == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, f"land-quarters-360-{language}")
    # A table wider than the phone scrolls inside its own box, never the page.
    box = phone.locator(".qa-table")
    assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    assert box.evaluate("e => e.getBoundingClientRect().right") <= 360
    row = phone.locator(f'tr.qa-quarter[data-name="{KOATUU}:01:103"]')
    row.locator("a", has_text="1").first.click()
    phone.wait_for_url(lambda url: "quarter=" in url)
    assert phone.locator("#plot_overlap").count() == 1
    assert f"{KOATUU}:01:103:0001" in phone.locator(".qa-table").first.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, f"land-conflicts-360-{language}")
    close_settled(context)
