"""A script payload in every text field a person or an import can set stays text: on the
public pages and map popups, in every staff console, the dashboard, the audit log, the
admin, and in the e-mails.

The payload would, if it were parsed as HTML, add an image whose error handler sets a
flag, and a bold element of class `xss`. Every page is checked for the element, the
image and the flag; the Content-Security-Policy would also refuse the handler, and any
refusal fails the test (tests/conftest.py `csp_refusals`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core import mail

from geoportal.municipalities.models import Category
from geoportal.reports.models import Notification, Report
from layers.models import AdvertisingStructure, LandPlot, TemporaryStructure, ZoningZone
from tests.conftest import close_settled
from tests.frontend.conftest import sign_in, watch_dialogs
from tests.reports.conftest import file_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LON, LAT = 37.1772, 48.2771


def payload(field: str) -> str:
    return f"<img src=x onerror=window.__xss=1><b class=xss>{field}</b>"


def hostile_reports(moderator, worker_zhkg) -> dict[str, Report]:
    shown = file_report(title=payload("title"), description=payload("description"),
                        address=payload("address"), reporter_name=payload("name"),
                        show_name=True)  # fmt: skip
    shown.approve(moderator)
    shown.accept(worker_zhkg)
    shown.comment(worker_zhkg, payload("public comment"), public=True)
    shown.comment(worker_zhkg, payload("internal note"))
    shown.plan(worker_zhkg, date.today() + timedelta(days=7), payload("justification"))
    shown.resolve(worker_zhkg, payload("answer"))
    returned = file_report(title="Повернене")
    returned.approve(moderator)
    returned.return_to_moderator(worker_zhkg, payload("return reason"))
    elsewhere = file_report(title="Не наше")
    elsewhere.out_of_competence(moderator, payload("competent body"))
    rejected = file_report(title="Відхилене")
    rejected.reject(moderator, "not_a_problem", payload("rejection comment"))
    unsolved = file_report(title="Не вирішене")
    unsolved.approve(moderator)
    unsolved.accept(worker_zhkg)
    unsolved.not_resolve(worker_zhkg, payload("not resolved reason"))
    return {"shown": shown, "returned": returned, "elsewhere": elsewhere,
            "rejected": rejected, "unsolved": unsolved}  # fmt: skip


def hostile_layers(pokrovsk) -> None:
    """Features as an import would bring them, every free-text field hostile."""
    LandPlot.objects.create(
        municipality=pokrovsk, cadastral_number="1412600000:01:001:0001",
        geometry=MultiPolygon(Polygon.from_bbox((LON, LAT, LON + 0.001, LAT + 0.0008)), srid=4326),
        purpose_code="03.07", purpose_text=payload("purpose"), ownership="200",
        user_name=payload("lessee"), investor_status="free",
    )  # fmt: skip
    TemporaryStructure.objects.create(
        municipality=pokrovsk, geometry=Point(LON + 0.0005, LAT + 0.0004, srid=4326),
        passport_number="ПП-001", owner_name=payload("owner"), address=payload("kiosk address"),
        land_use_basis=payload("land-use basis"),
        permit_valid_to=date.today() + timedelta(days=200),
    )  # fmt: skip
    AdvertisingStructure.objects.create(
        municipality=pokrovsk, geometry=Point(LON + 0.0002, LAT + 0.0002, srid=4326),
        permit_number="Р-2025-017", permit_valid_to=date.today() + timedelta(days=50),
        distributor_name=payload("distributor"), address=payload("billboard address"),
    )  # fmt: skip
    ZoningZone.objects.create(
        municipality=pokrovsk, code="Ж-1", name=payload("zone name"),
        geometry=MultiPolygon(Polygon.from_bbox((LON - 0.01, LAT - 0.01, LON + 0.01, LAT + 0.01)),
                              srid=4326),
        predominant_uses=payload("uses"), restrictions=payload("restrictions"),
    )  # fmt: skip


def injected(tab) -> list[str]:
    """What the payload did to the page, if anything."""
    found = []
    if tab.locator(".xss").count():
        found.append("an element of class xss")
    if tab.locator("img[src='x']").count():
        found.append("an image from the payload")
    if tab.evaluate("window.__xss") is not None:
        found.append("the handler ran")
    return found


def check(tab, url: str, *, shows: str | None = None) -> None:
    tab.goto(url)
    tab.wait_for_load_state("networkidle")
    assert injected(tab) == [], url
    if shows is not None:  # the field's payload is on the page, as text
        assert payload(shows) in tab.locator("body").inner_text(), (shows, url)


@pytest.mark.slow
def test_every_hostile_field_is_text_everywhere(live_server, browser, page, pokrovsk, zhkg,
                                                moderator, worker_zhkg, coordinator, planner,
                                                admin_user):  # fmt: skip
    Category.objects.filter(municipality=pokrovsk, code="lighting").update(
        name_en=payload("category")
    )
    zhkg.name_en = payload("department")
    zhkg.save()
    mail.outbox = []
    reports = hostile_reports(moderator, worker_zhkg)
    hostile_layers(pokrovsk)
    base = live_server.url
    opened = watch_dialogs(page)

    # The public pages and the map's popups.
    shown = reports["shown"]
    for field in ("title", "description", "address", "name", "public comment", "answer",
                  "category", "department"):  # fmt: skip
        check(page, f"{base}/en/reports/{shown.pk}/", shows=field)
    assert payload("internal note") not in page.locator("body").inner_text()
    check(page, f"{base}/en/reports/{reports['rejected'].pk}/", shows="rejection comment")
    check(page, f"{base}/en/reports/{reports['unsolved'].pk}/", shows="not resolved reason")
    check(page, f"{base}/en/reports/{reports['elsewhere'].pk}/", shows="competent body")
    check(page, f"{base}/en/")
    page.locator(".report-marker").first.click(force=True)
    page.locator(".report-card").wait_for()
    assert payload("title") in page.locator(".report-card").inner_text()
    for identifier, fields in (("1412600000:01:001:0001", ["purpose"]),
                               ("ПП-001", ["kiosk address"]),
                               ("Р-2025-017", ["billboard address"])):  # fmt: skip
        page.fill("#search-input", identifier)
        page.press("#search-input", "Enter")
        card = page.locator(".leaflet-popup .feature-card").filter(has_text=identifier)
        card.wait_for()
        for field in fields:
            assert payload(field) in card.inner_text(), field
        assert injected(page) == []
    check(page, f"{base}/en/m/pokrovsk/investors/")

    # The consoles, dashboard, audit log and admin, each as the person who uses it.
    visits: dict[Any, list[tuple[str, str | None]]] = {
        moderator: [("/en/staff/moderation/", "category"),
                    (f"/en/staff/reports/{reports['returned'].pk}/", "return reason"),
                    (f"/en/staff/reports/{shown.pk}/", "internal note")],
        worker_zhkg: [("/en/staff/department/", None),
                      (f"/en/staff/reports/{shown.pk}/", "justification"),
                      (f"/en/staff/reports/{reports['unsolved'].pk}/", "not resolved reason")],
        coordinator: [("/en/staff/dashboard/", None), ("/en/staff/audit/", None)],
        planner: [("/en/staff/layers/", None)],
        admin_user: [("/en/admin/layers/landplot/", None),
                     ("/en/admin/layers/temporarystructure/", None),
                     ("/en/admin/layers/zoningzone/", "zone name"),
                     ("/en/admin/reports/report/", "title")],
    }  # fmt: skip
    for person, pages in visits.items():
        tab = sign_in(browser, live_server, person)
        staff_opened = watch_dialogs(tab)
        for path, shown_field in pages:
            check(tab, f"{base}{path}", shows=shown_field)
        assert staff_opened == []
        close_settled(tab.context)
    assert opened == []

    # E-mails are plain text: the payload is words in them, never markup.
    about_shown = Notification.objects.filter(report=shown)
    assert about_shown.exists()
    for message in mail.outbox:
        assert message.content_subtype == "plain" and not getattr(message, "alternatives", [])
    assert any(payload("title") in n.subject + n.body for n in about_shown)
    assert any(payload("answer") in n.body for n in about_shown)
