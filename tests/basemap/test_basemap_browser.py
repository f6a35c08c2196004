"""The base map in Debian's Chromium: the own tiles drawn with tile.openstreetmap.org
unreachable, and a plain notice (with the report form still working) when they fail."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import unquote

import pytest

from geoportal.basemap.models import BaseFeature
from geoportal.municipalities.models import Municipality
from tests.basemap.conftest import EXTRACT, import_basemap
from tests.conftest import close_settled
from tests.frontend.conftest import screenshot
from tests.frontend.test_journey_browser import file_by_mouse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@pytest.fixture
def own_first(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """BASEMAP=own,raster with OSM's raster tiles as the fallback; django-leaflet then adds
    no tile layer of its own (LEAFLET_CONFIG is read once, so it is set here too)."""
    import leaflet

    settings.BASEMAP = ["own", "raster"]
    settings.MAP_TILE_URL = OSM
    monkeypatch.setitem(leaflet.app_settings, "TILES", [])


def test_home_map_draws_the_own_tiles_without_osm(
    live_server: Any, browser: Any, settings: Any, own_first: None, melun_town: Municipality
) -> None:
    import_basemap(EXTRACT, "--municipality", melun_town.slug)
    settings.DEFAULT_MUNICIPALITY = melun_town.slug
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    page = context.new_page()
    base, osm = [], []
    page.on("response", lambda r: base.append(r.status) if "/tiles/base/" in r.url else None)
    page.on("request", lambda r: osm.append(r.url) if "openstreetmap.org" in r.url else None)

    page.goto(live_server.url + "/")
    # Streets, buildings and grass of the extract, drawn as SVG paths in the tile pane.
    drawn = page.locator("#city-map .leaflet-tile-pane svg path")
    drawn.first.wait_for(state="attached", timeout=15_000)
    # Tiles arrive one by one: on a loaded machine the first path is there before the rest.
    page.wait_for_load_state("networkidle")
    deadline = time.monotonic() + 15
    while drawn.count() <= 10 and time.monotonic() < deadline:
        page.wait_for_timeout(200)

    assert drawn.count() > 10
    assert 200 in base
    assert osm == []
    assert page.locator(".basemap-notice").count() == 0
    screenshot(page, "basemap-own-tiles")
    close_settled(context)


@pytest.mark.parametrize(
    ("path", "notice"),
    [
        ("/", "Базову карту зараз не вдається завантажити"),
        ("/en/", "The base map cannot be loaded right now"),
    ],
)
def test_failing_own_tiles_bring_a_plain_notice(
    live_server: Any, browser: Any, settings: Any, own_first: None,
    melun_town: Municipality, path: str, notice: str,
) -> None:  # fmt: skip
    settings.BASEMAP = ["own"]
    settings.DEFAULT_MUNICIPALITY = melun_town.slug
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route("**/tiles/base/**", lambda route: route.fulfill(status=500, body="down"))
    page = context.new_page()

    page.goto(live_server.url + path)

    page.locator(".basemap-notice", has_text=notice).wait_for(timeout=15_000)
    assert page.locator(".basemap-notice").is_visible()
    close_settled(context)


def test_report_form_works_when_no_base_map_loads(
    live_server: Any, browser: Any, settings: Any, own_first: None, pokrovsk: Municipality
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/tiles/base/**", lambda route: route.abort())
    context.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{live_server.url}/en/report/")
    notice = page.locator("#report-map .basemap-notice")
    notice.wait_for(timeout=15_000)
    assert "The base map cannot be loaded" in notice.inner_text()

    # Own tiles failed, then OSM's: the resident still pins the place and sends the report.
    number = file_by_mouse(page, live_server, "Не горить ліхтар на розі")

    assert number > 0
    close_settled(context)


def drawn_labels(page: Any, wanted: str) -> bool:
    """Whether a label with this text is drawn in the tile pane (labels are SVG images),
    waiting up to 15 s for the tiles."""
    images = page.locator("#city-map .leaflet-tile-pane svg image")
    deadline = time.monotonic() + 15
    while True:
        hrefs = images.evaluate_all("(all) => all.map((i) => i.getAttribute('href'))")
        if any(f">{wanted}</text>" in unquote(href or "") for href in hrefs):
            return True
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(300)


def test_street_names_and_house_numbers_are_drawn_close_up(
    live_server: Any, browser: Any, settings: Any, own_first: None, melun_town: Municipality
) -> None:
    import_basemap(EXTRACT, "--municipality", melun_town.slug)
    settings.DEFAULT_MUNICIPALITY = melun_town.slug
    roads = BaseFeature.objects.filter(kind="road").exclude(name="")
    street = max(roads, key=lambda road: road.geometry.length)
    house = BaseFeature.objects.filter(kind__in=["building", "address"]).exclude(housenumber="")
    numbered = house.first()
    assert numbered is not None
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    # The map as the page makes it, kept to be moved (an init script: the CSP allows no eval).
    context.add_init_script(
        "addEventListener('map:init', (e) => { window.testMap = e.detail.map; });"
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator("#city-map .leaflet-tile-pane svg path").first.wait_for(state="attached")
    for feature, zoom, text in [
        (street, 16, street.name_uk or street.name),
        (numbered, 18, numbered.housenumber),
    ]:
        where = feature.geometry.point_on_surface
        page.evaluate(f"window.testMap.setView([{where.y}, {where.x}], {zoom}, {{animate: false}})")
        # Escaped as basemap.js escapes it for the SVG: &, <, >, " and ' as &#code;.
        escaped = re.sub(r"[&<>\"']", lambda c: f"&#{ord(c.group())};", text)
        found = drawn_labels(page, escaped)
        screenshot(page, f"basemap-close-up-z{zoom}")
        assert found, f"{text!r} is not drawn at zoom {zoom}"
    close_settled(context)
