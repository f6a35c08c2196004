"""Permit applications for the console's tests, stored as the intake leaves them (the
registration clock running, the pre-check's findings kept), and walked on through the
real model methods; and for the applicants' tests, the form as a café fills it in and an
application sent through it by a resident's account."""

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
from geoportal.residents.models import Resident
from tests.cast import make_user
from tests.permits.conftest import jpeg, near, pdf


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


# -- the applicants' form ---------------------------------------------------------------


def resident_client(email: str = "cafe.ranok@example.org") -> tuple[Client, Any]:
    """A resident's account (signed in by the mailed link in real life) and its client."""
    user = make_user(f"resident-{email.split('@')[0]}")
    Resident.objects.create(user=user, email=email)
    client = Client()
    client.force_login(user)
    return client, user


def corners(*points: Point) -> str:
    """The site as the form's field holds it: "latitude, longitude", one a line."""
    return "\n".join(f"{p.y:.6f}, {p.x:.6f}" for p in points)


def form_of(kind: str = Kind.TERRACE, **changes: Any) -> dict[str, Any]:
    """A whole application of the kind as the form sends it (a café's terrace by default)."""
    data: dict[str, Any] = {
        "municipality": "pokrovsk",
        "applicant_kind": "business",
        "organisation_name": "ТОВ «Кав'ярня Ранок»",
        "edrpou": "41234567",
        "applicant_name": "Олена Коваль",
        "applicant_email": "cafe.ranok@example.org",
        "applicant_phone": "+380501112233",
        "site": corners(near(40)),
        "address": "вул. Центральна, 12",
        "description": "",
    }
    if kind == Kind.TERRACE:
        data |= {"area_m2": "24", "specialisation": "food", "season_from": "2031-05-01",
                 "season_to": "2031-09-30", "doc_site_scheme": pdf()}  # fmt: skip
    elif kind == Kind.MAF:
        data |= {"structure_type": "kiosk", "area_m2": "9", "specialisation": "trade",
                 "requested_from": "2031-05-01", "doc_site_scheme": pdf()}  # fmt: skip
    else:
        data |= {"structure_type": "billboard", "width_m": "6", "height_m": "3",
                 "requested_from": "2031-05-01", "doc_site_photo": jpeg()}  # fmt: skip
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def sent(
    kind: str = Kind.TERRACE, email: str = "cafe.ranok@example.org", **changes: Any
) -> tuple[Client, Application]:
    """A resident's application sent through the form: their client and the application."""
    client, _user = resident_client(email)
    answer = client.post(f"/permits/apply/{kind}/", form_of(kind, **changes))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return client, Application.objects.get(tracking_code=answer["Location"].split("/")[-2])
