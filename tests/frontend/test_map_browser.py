"""The front page in Debian's Chromium: the map with the boundary drawn, without tiles."""

import pytest

from tests.conftest import close_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_front_page_draws_the_boundary_without_a_tile_server(live_server, page):
    from tests.cast import load_hromada

    load_hromada("pokrovsk")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/")
    boundary = page.locator("#city-map path.municipality-boundary")
    boundary.wait_for(state="attached", timeout=15_000)
    box = boundary.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    # The tiles fail (nothing outside loopback), yet the map still says what it shows.
    status = page.locator("#map-status")
    status.filter(has_text="недоступна").wait_for(timeout=15_000)
    assert "орієнтовна" in status.inner_text()
    assert errors == []


def test_phone_layout_and_keyboard_skip_link(live_server, browser, offline_tiles):
    from tests.cast import load_hromada

    load_hromada("pokrov")
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_server.url + "/en/m/pokrov/")
    phone.locator("#city-map path.municipality-boundary").wait_for(state="attached")
    map_box = phone.locator("#city-map").bounding_box()
    assert map_box is not None and map_box["width"] == pytest.approx(390, abs=1)
    phone.keyboard.press("Tab")
    skip = phone.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.inner_text() == "Skip to content"
    close_settled(context)
