"""The public side of e-permits in Debian's Chromium: the map's layer of applications under
review (toggled by keyboard, its markers reached and opened like the МАФ ones, popups as
text) and the register page on a phone."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from geoportal.permits.states import ApplicantKind, Kind, State
from tests.conftest import close_settled
from tests.frontend.conftest import screenshot, serious_accessibility_problems
from tests.permits.conftest import application_in, footprint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = "<img src=x onerror=window.__xss=1>"
PERSON = {
    "applicant_kind": ApplicantKind.PERSON, "applicant_name": "Оксана Дмитренко",
    "applicant_email": "oksana.private@example.org", "organisation_name": "", "edrpou": "",
}  # fmt: skip


@pytest.fixture
def applications():
    from tests.cast import load_hromada

    pokrovsk = load_hromada("pokrovsk")
    person = application_in(State.UNDER_REVIEW, pokrovsk, **PERSON, address=PAYLOAD)
    business = application_in(
        State.CHECKED, pokrovsk, kind=Kind.ADVERTISING, site=Point(37.1790, 48.2780, srid=4326),
        structure_type="billboard", address="просп. Шевченка, 20",
        organisation_name="ТОВ «Реклама Схід»",
    )  # fmt: skip
    granted = application_in(State.GRANTED, pokrovsk, site=footprint(300))
    return person, business, granted


def test_the_layer_of_applications_under_review_by_keyboard(live_server, page, applications):
    person, business, _granted = applications
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/en/")
    page.locator("#city-map path.municipality-boundary").wait_for(state="attached")
    assert page.locator(".permit-marker").count() == 0  # off until asked for
    toggle = page.locator("#layer-switcher input[value=permits]")
    toggle.focus()
    page.keyboard.press("Space")
    assert toggle.is_checked()
    page.locator(".permit-marker").nth(1).wait_for(state="attached")
    assert page.locator(".permit-marker").count() == 2  # the granted one is not under review
    markers = {m.get_attribute("title"): m for m in page.locator(".permit-marker").all()}
    assert set(markers) == {f"{person.number} · Temporary structure (МАФ) placement passport",
                            f"{business.number} · Outdoor advertising permit"}  # fmt: skip
    # The person's site is an area: its outline is drawn too, dashed.
    assert page.locator("path[stroke='#8250df']").count() == 1
    # Reached with Tab like the МАФ markers, opened with Enter.
    marker = markers[f"{person.number} · Temporary structure (МАФ) placement passport"]
    assert marker.get_attribute("tabindex") == "0"
    marker.focus()
    page.keyboard.press("Enter")
    card = page.locator(".leaflet-popup .permit-card")
    card.wait_for()
    text = card.inner_text()
    assert person.number in text and "Temporary structure (МАФ) placement passport" in text
    assert PAYLOAD in text and "A natural person" in text  # the address as text, not HTML
    assert "Оксана" not in text and "oksana.private" not in text
    assert page.locator(".leaflet-popup img").count() == 0
    assert page.evaluate("window.__xss") is None
    page.keyboard.press("Escape")
    markers[f"{business.number} · Outdoor advertising permit"].focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup .permit-card", has_text="ТОВ «Реклама Схід»").wait_for()
    legend = page.locator("details.legend").inner_text()
    assert "Permit application under review" in legend
    screenshot(page, "map-permits-under-review-en")
    page.keyboard.press("Escape")
    toggle.focus()
    page.keyboard.press("Space")
    page.locator(".permit-marker").first.wait_for(state="detached")
    assert errors == []


def test_the_register_on_a_phone(live_server, browser, offline_tiles, applications):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_server.url + "/permits/register/?municipality=pokrovsk")
    rows = phone.locator("table.register-table tbody tr")
    assert rows.count() == 3
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 360
    # Each application a card of labelled lines, not a table wider than the phone.
    first = rows.first.bounding_box()
    assert first is not None and first["width"] <= 360
    text = phone.locator("main").inner_text()
    assert "Фізична особа" in text and "ТОВ «Реклама Схід»" in text and "Оксана" not in text
    # The filters asked for are shown open (a hromada chosen here).
    assert phone.locator("details.queue-filters").get_attribute("open") is not None
    phone.select_option("#id_state", "checked")
    phone.get_by_role("button", name="Показати").click()
    phone.wait_for_url("**state=checked**")
    assert phone.locator("table.register-table tbody tr").count() == 1
    assert serious_accessibility_problems(phone) == []
    screenshot(phone, "permit-register-uk-360")
    close_settled(context)
