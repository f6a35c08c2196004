"""The GIS layers on the public map, in Debian's Chromium."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure
from tests.conftest import close_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CENTRE = (37.1772, 48.2771)
PAYLOAD = "<img src=x onerror=window.__xss=1>"


@pytest.fixture
def city():
    from tests.cast import load_hromada

    pokrovsk = load_hromada("pokrovsk")
    lon, lat = CENTRE
    LandPlot.objects.create(
        municipality=pokrovsk,
        geometry=MultiPolygon(Polygon.from_bbox((lon, lat, lon + 0.001, lat + 0.0008)), srid=4326),
        cadastral_number="1412600000:01:001:0001",
        purpose_code="03.07",
        purpose_text=PAYLOAD,
        ownership="200",
        investor_status="free",
    )
    TemporaryStructure.objects.create(
        municipality=pokrovsk,
        geometry=Point(lon + 0.0005, lat + 0.0004, srid=4326),
        passport_number="ПП-001",
        address=PAYLOAD,
        permit_valid_to=date.today() + timedelta(days=200),
    )
    AdvertisingStructure.objects.create(
        municipality=pokrovsk,
        geometry=Point(lon + 0.0002, lat + 0.0002, srid=4326),
        permit_number="Р-2025-017",
        permit_valid_to=date.today() - timedelta(days=5),
        address="просп. Шевченка, 5",
    )
    return pokrovsk


def open_map(page, live_server):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/en/")
    page.locator("#city-map path.municipality-boundary").wait_for(state="attached")
    return errors


def search(page, text: str) -> None:
    page.fill("#search-input", text)
    page.press("#search-input", "Enter")


def test_search_zooms_to_a_plot_and_its_card_shows_text_not_html(live_server, page, city):
    errors = open_map(page, live_server)
    search(page, "1412600000:01:001:0001")
    card = page.locator(".leaflet-popup .feature-card")
    card.wait_for()
    assert "1412600000:01:001:0001" in card.inner_text()
    assert PAYLOAD in card.inner_text()  # shown literally
    assert page.locator(".leaflet-popup img").count() == 0
    assert page.evaluate("window.__xss") is None
    # Zoomed in: the plot's vector tile and the structures around it are drawn.
    page.locator(".leaflet-tile-container svg path").first.wait_for(state="attached")
    page.locator(".maf-marker").first.wait_for(state="attached")
    page.locator(".square-marker.state-expired").first.wait_for(state="attached")
    assert errors == []


def test_structure_popup_is_text_and_shows_permit_state(live_server, page, city):
    open_map(page, live_server)
    search(page, "ПП-001")
    card = page.locator(".leaflet-popup .feature-card")
    card.wait_for()
    text = card.inner_text()
    assert PAYLOAD in text and "Active" in text
    assert page.evaluate("window.__xss") is None
    assert page.locator(".leaflet-popup img").count() == 0


def test_nothing_found_is_announced(live_server, page, city):
    open_map(page, live_server)
    search(page, "9999999999:99:999:9999")
    status = page.locator("#search-status")
    status.filter(has_text="Nothing found.").wait_for()
    assert page.locator("#search-results li").count() == 0


def test_layers_toggle_from_the_keyboard(live_server, page, city):
    open_map(page, live_server)
    search(page, "Р-2025-017")
    page.locator(".square-marker").first.wait_for(state="attached")
    box = page.locator("#layer-switcher input[value=advertising]")
    box.focus()
    page.keyboard.press("Space")
    assert not box.is_checked()
    page.locator(".square-marker").first.wait_for(state="detached")
    page.keyboard.press("Space")
    page.locator(".square-marker").first.wait_for(state="attached")
    zoning = page.locator("#layer-switcher input[value=zoning]")
    assert not zoning.is_checked()
    # The permit states, and the permit applications under review.
    assert page.locator("details.legend .legend-list li").count() == 5


def test_investor_page_on_a_phone(live_server, browser, offline_tiles, city):
    LandPlot.objects.create(
        municipality=city,
        geometry=MultiPolygon(Polygon.from_bbox((37.19, 48.28, 37.191, 48.281)), srid=4326),
        cadastral_number="1412600000:01:001:0002",
        ownership="100",
        investor_status="free",
    )
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_server.url + "/en/investors/")
    rows = phone.locator("table.plots tbody tr")
    assert rows.count() == 1  # the private plot is not offered
    assert "1412600000:01:001:0001" in rows.first.inner_text()
    phone.locator("path.investor-plot").wait_for(state="attached")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    close_settled(context)
