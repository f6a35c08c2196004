"""Permit applications for the console's tests, stored as the intake leaves them (the
registration clock running, the pre-check's findings kept), and walked on through the
real model methods."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.gis.geos import Point, Polygon
from django.test import Client

from geoportal.municipalities.models import Municipality
from geoportal.permits.models import Application, PermitClock, PermitCounter, PermitSettings
from geoportal.permits.models.counter import Series
from geoportal.permits.states import Kind
from geoportal.procedure import timebase


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Findings as precheck.py stores them (code, level, message, details).
PASSING = [{"code": "inside_hromada", "level": "pass", "message": "Inside the hromada.",
            "details": {}}]  # fmt: skip
PRIORITY_BLOCKER = [
    *PASSING,
    {"code": "priority_of_another", "level": "blocker",
     "message": "Another applicant holds the priority on this site (ЗД-2026-0001).",
     "details": {"application": "ЗД-2026-0001"}},
]  # fmt: skip


def footprint(lon: float, lat: float, metres: float = 6) -> Polygon:
    """A small square footprint (about `metres` a side) south-west of lon/lat."""
    d_lat = metres / 111_320
    d_lon = metres / 74_000  # at 48° N
    return Polygon.from_bbox((lon - d_lon, lat - d_lat, lon, lat))


def file_application(
    municipality: Municipality,
    kind: str = Kind.MAF,
    *,
    offset_m: float = 0,
    polygon: bool = False,
    **fields: Any,
) -> Application:
    """An application at the hromada's centre (moved `offset_m` east), as submitted."""
    centre = municipality.centre
    lon, lat = centre.x + offset_m / 74_000, centre.y
    site = footprint(lon, lat) if polygon else Point(lon, lat, srid=4326)
    site.srid = 4326
    now = timebase.now()
    structure = {Kind.MAF: "kiosk", Kind.TERRACE: "terrace", Kind.ADVERTISING: "billboard"}
    values: dict[str, Any] = {
        "municipality": municipality,
        "kind": kind,
        "number": PermitCounter.next_number(municipality, Series.REGISTRATION, now.year),
        "applicant_kind": "business",
        "applicant_name": "Олена Коваль",
        "applicant_email": "olena.koval@example.org",
        "applicant_phone": "+380501112233",
        "organisation_name": "ТОВ «Кава на розі»",
        "edrpou": "41234567",
        "site": site,
        "address": "вул. Центральна, 12",
        "structure_type": structure[Kind(kind)],
        "area_m2": 9 if kind != Kind.ADVERTISING else None,
        "width_m": 3 if kind == Kind.ADVERTISING else None,
        "height_m": 6 if kind == Kind.ADVERTISING else None,
        "requested_from": date(now.year, 5, 1) if kind == Kind.TERRACE else None,
        "season_from": date(now.year + 1, 5, 1) if kind == Kind.TERRACE else None,
        "season_to": date(now.year + 1, 9, 30) if kind == Kind.TERRACE else None,
        "precheck": PASSING,
        "precheck_level": "pass",
        **fields,
    }
    application = Application(**values)
    settings = PermitSettings.for_(municipality, kind)
    application.start_working_clock(
        PermitClock.REGISTRATION, now, settings.registration_working_days
    )
    application.save()
    return application


def walk(application: Application, officer: Any, to: str) -> Application:
    """Take the application through the officers' actions up to the state `to`."""
    path = ["under_review", "checked", "granted"]
    for step in path[: path.index(to) + 1]:
        if step == "under_review":
            application.register(officer)
        elif step == "checked":
            application.complete_check(officer, "")
        else:
            application.grant(officer)
    application.refresh_from_db()
    return application
