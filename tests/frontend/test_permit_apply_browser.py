"""The applicant's journey of e-permits in a real browser, in Ukrainian on a 360×740 phone:
a café opens the procedures, is sent to the passwordless sign-in and back to the form by
the mailed link, taps the map 12 m from a standing МАФ, sees the pre-check warn of the
distance, sends with a PDF and lands on the tracking page; an officer then registers,
checks and grants it through the model's own actions, and the page shows the grant and the
passport's number."""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.gis.geos import Point
from django.core import mail

from geoportal.permits.models import Application, PermitSettings
from geoportal.permits.states import Kind, State
from layers.models import TemporaryStructure
from tests.conftest import close_settled
from tests.frontend.conftest import screenshot, serious_accessibility_problems, watch_dialogs
from tests.frontend.permit_cases import walk
from tests.permits.conftest import pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
EMAIL = "kava.ranok@example.org"
# Every map of the page, by its element's id, for the test to read where a place is drawn
# (django-leaflet keeps no global; the page's own scripts are untouched).
KEEP_MAPS = """
window.addEventListener("map:init", (event) => {
  window.__maps = window.__maps || {};
  window.__maps[event.detail.map.getContainer().id] = event.detail.map;
});
"""


def east_of(point: Point, metres: float) -> tuple[float, float]:
    """(lat, lon) `metres` east of the point (on the sphere; exact enough at 12 m)."""
    return point.y, point.x + math.degrees(metres / (6_371_008.8 * math.cos(math.radians(point.y))))


def signed_in_by_mail(tab: Any, live_server: Any) -> None:
    """From the sign-in page the form sent the café to: ask for a link, open it, press."""
    tab.wait_for_url(re.compile(r"/residents/sign-in/\?next="))
    mail.outbox.clear()
    tab.locator("#id_email").fill(EMAIL)
    tab.get_by_role("button", name="Надіслати посилання для входу").tap()
    tab.wait_for_url("**sent=1")
    (message,) = mail.outbox
    found = re.search(r"https?://\S+/residents/sign-in/\S+", str(message.body))
    assert found, message.body
    link = urlsplit(found.group(0))
    tab.goto(f"{live_server.url}{link.path}?{link.query}")
    tab.locator("main form button[type=submit]").tap()


def test_a_cafe_applies_for_a_summer_terrace_on_a_phone_and_sees_the_grant(
    live_server: Any, browser: Any, offline_tiles: str, pokrovsk: Any, worker_arch: Any
) -> None:
    # The hromada keeps terraces 20 m from other structures (its own rule; the default has
    # none), and a kiosk stands at the centre.
    settings = PermitSettings.for_(pokrovsk, Kind.TERRACE)
    settings.min_distance_m = 20
    settings.save()
    kiosk = TemporaryStructure.objects.create(
        municipality=pokrovsk, geometry=Point(pokrovsk.centre.x, pokrovsk.centre.y, srid=4326),
        passport_number="МАФ-2025-0042", address="вул. Центральна, 3",
    )  # fmt: skip
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_init_script(KEEP_MAPS)
    tab = context.new_page()
    dialogs = watch_dialogs(tab)

    tab.goto(f"{live_server.url}/permits/")
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(tab, "permits-procedures-uk-phone")
    tab.get_by_role("link", name="Подати заяву: Літній майданчик").tap()
    signed_in_by_mail(tab, live_server)
    tab.wait_for_url("**/permits/apply/terrace/?municipality=pokrovsk")
    assert tab.locator("#id_applicant_email").input_value() == EMAIL  # the account's address

    tab.locator("#id_organisation_name").fill("ТОВ «Кав'ярня Ранок»")
    tab.locator("#id_edrpou").fill("41234567")
    tab.locator("#id_applicant_name").fill("Олена Коваль")
    tab.locator("#id_applicant_phone").fill("+380501112233")
    tab.locator("#id_area_m2").fill("24")
    # The café zooms in on its door and taps the map 12 m east of the kiosk.
    tab.locator("#permit-map.leaflet-container").wait_for()
    lat, lon = east_of(kiosk.geometry, 12)
    tab.evaluate("([lat, lon]) => window.__maps['permit-map'].setView([lat, lon], 19, "
                 "{animate: false})", [lat, lon])  # fmt: skip
    spot = tab.evaluate(
        "([lat, lon]) => window.__maps['permit-map'].latLngToContainerPoint([lat, lon])",
        [lat, lon],
    )
    tab.locator("#permit-map").tap(position={"x": spot["x"], "y": spot["y"]})
    assert tab.locator("#map-status").inner_text().startswith("Місце — точка")

    # The pre-check runs by itself after the tap: a warning on the distance.
    tab.locator("#precheck-status[data-level]").wait_for()
    assert tab.locator("#precheck-status").get_attribute("data-level") == "warning"
    assert "є застереження" in tab.locator("#precheck-status").inner_text()
    close = tab.locator("#precheck-findings li[data-code=too_close]")
    assert "finding-warning" in (close.get_attribute("class") or "")
    told = close.inner_text()
    assert "Застереження" in told and "МАФ-2025-0042" in told and "мінімум — 20 м" in told
    metres = float(re.search(r"за (\d+(?:\.\d+)?) м", told).group(1))  # type: ignore[union-attr]
    assert 11 <= metres <= 13, told
    # "Check the site" asks again and gets the same answer.
    tab.get_by_role("button", name="Перевірити місце").tap()
    tab.locator("#precheck-findings li[data-code=too_close]").wait_for()

    tab.locator("#id_address").fill("вул. Центральна, 5, біля кав'ярні")
    tab.locator("#id_specialisation").select_option("food")
    tab.locator("#id_season_from").fill("2031-05-01")
    tab.locator("#id_season_to").fill("2031-09-30")
    tab.locator("#id_doc_site_scheme").set_input_files(
        files=[{"name": "схема.pdf", "mimeType": "application/pdf", "buffer": pdf().read()}]
    )
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_accessibility_problems(tab) == []
    screenshot(tab, "permit-apply-uk-phone")
    tab.get_by_role("button", name="Надіслати заяву").tap()

    tab.wait_for_url(re.compile(r"/permits/a/[\w-]+/$"))
    application = Application.objects.get()
    assert tab.url.endswith(f"/permits/a/{application.tracking_code}/")
    assert application.state == State.SUBMITTED and application.kind == Kind.TERRACE
    assert application.precheck_level == "warning"
    assert "too_close" in {finding["code"] for finding in application.precheck}
    assert application.documents.get().content_type == "application/pdf"
    main = tab.locator("main").inner_text()
    assert application.number in main and "Подано, очікує реєстрації" in main
    assert "Олена Коваль" not in main and "+380501112233" not in main
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_accessibility_problems(tab) == []

    # The permit department decides, through the model's own actions.
    walk(application, worker_arch, "granted")
    tab.reload()
    assert tab.locator("#application-state").inner_text() == "Надано, очікує встановлення"
    assert application.permit_number.startswith("ТЕР-")
    assert tab.locator("#permit-number").inner_text() == application.permit_number
    assert tab.get_by_role("heading", name="Повідомити про встановлення").is_visible()
    screenshot(tab, "permit-track-granted-uk-phone")
    assert dialogs == []
    close_settled(context)
