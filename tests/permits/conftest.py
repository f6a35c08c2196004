"""Fixtures of the permit tests: real documents (PDF, JPEG, PNG with EXIF), the permit
department's people, and applications filed through the real intake or placed in a state."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from PIL import ExifTags, Image

from geoportal.municipalities.models import Department, Municipality
from geoportal.permits.intake import submit_application
from geoportal.permits.models import Application, PermitCounter, PermitSettings
from geoportal.permits.states import ApplicantKind, Kind, RefusalReason, State
from geoportal.reports.models import Notification
from tests.cast import join, make_user

CENTRE = Point(37.1772, 48.2771, srid=4326)  # Pokrovsk (DOMAIN.md)


def near(dx_m: float = 0.0, dy_m: float = 0.0) -> Point:
    """A point `dx_m` east and `dy_m` north of the centre (roughly, in metres)."""
    return Point(CENTRE.x + dx_m / 74_000, CENTRE.y + dy_m / 111_000, srid=4326)


def footprint(dx_m: float = 0.0, side_m: float = 4.0) -> Polygon:
    x, y = near(dx_m).coords
    dx, dy = side_m / 74_000, side_m / 111_000
    return Polygon(((x, y), (x + dx, y), (x + dx, y + dy), (x, y + dy), (x, y)), srid=4326)


def pdf(size: int = 0, name: str = "scheme.pdf", body: bytes = b"") -> ContentFile[bytes]:
    """A small, whole PDF (padded to `size` bytes with a comment when asked)."""
    head = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" + body
    padding = b"%" + b"x" * max(0, size - len(head) - 20) + b"\n" if size else b""
    return ContentFile(head + padding + b"trailer << >>\n%%EOF\n", name=name)


def png(with_exif: bool = True, name: str = "site.png") -> ContentFile[bytes]:
    """A real PNG carrying EXIF (camera and a GPS position) like an exported photo."""
    image = Image.new("RGB", (320, 240), "#88aa33")
    out = BytesIO()
    exif = Image.Exif()
    if with_exif:
        exif[ExifTags.Base.Make] = "TestPhone"
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (48.0, 16.0, 37.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (37.0, 10.0, 38.0),
        }
    image.save(out, "PNG", exif=exif)
    return ContentFile(out.getvalue(), name=name)


def jpeg(name: str = "photo.jpg") -> ContentFile[bytes]:
    out = BytesIO()
    Image.new("RGB", (320, 240), "#3366aa").save(out, "JPEG")
    return ContentFile(out.getvalue(), name=name)


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer(arch: Department) -> Any:
    return join(make_user("officer_olena", arch.municipality, is_staff=True), arch, "worker")


@pytest.fixture
def head_arch(arch: Department) -> Any:
    return join(make_user("head_arch_taras", arch.municipality, is_staff=True), arch, "head")


@pytest.fixture
def applicant(pokrovsk: Municipality) -> Any:
    return make_user("cafe_owner_iryna")


BUSINESS = {
    "applicant_kind": ApplicantKind.BUSINESS,
    "applicant_name": "Ірина Коваль",
    "applicant_email": "iryna@cafe.example.org",
    "applicant_phone": "+380501234567",
    "organisation_name": "ТОВ «Кава на розі»",
    "edrpou": "12345678",
}


def apply(municipality: Municipality, kind: str = Kind.MAF, **fields: Any) -> Application:
    """An application filed through the real intake."""
    values: dict[str, Any] = {
        **BUSINESS,
        "municipality": municipality,
        "kind": kind,
        "site": footprint() if kind != Kind.ADVERTISING else near(),
        "address": "вул. Центральна, 1",
        "structure_type": {"maf": "kiosk", "advertising": "billboard"}.get(str(kind), ""),
        "area_m2": None if kind == Kind.ADVERTISING else "12.5",
        "width_m": "6" if kind == Kind.ADVERTISING else None,
        "height_m": "3" if kind == Kind.ADVERTISING else None,
        "specialisation": "food" if kind != Kind.ADVERTISING else "",
        "documents": [("site_scheme", pdf())],
    }
    if kind == Kind.TERRACE:
        values.update(season_from=date(2026, 4, 1), season_to=date(2026, 10, 31))
    values.update(fields)
    return submit_application(**values)


def application_in(state: State, municipality: Municipality, **fields: Any) -> Application:
    """An application placed directly in `state`, with what that state implies."""
    now = timezone.now()
    today = timezone.localdate()
    PermitSettings.for_(municipality, fields.get("kind", Kind.MAF))
    values: dict[str, Any] = {
        **BUSINESS,
        "municipality": municipality,
        "kind": Kind.MAF,
        "number": PermitCounter.next_number(municipality, "registration", today.year),
        "state": state,
        "site": footprint(),
        "structure_type": "kiosk",
        "area_m2": 12,
    }
    if state not in {State.SUBMITTED}:
        values["registered_at"] = now
    if state in {State.GRANTED, State.ACTIVE, State.EXPIRED, State.ANNULLED, State.REMOVED}:
        values.update(
            permit_number=PermitCounter.next_number(municipality, Kind.MAF, today.year),
            valid_from=today - timedelta(days=400),
            valid_to=today + timedelta(days=300)
            if state in {State.GRANTED, State.ACTIVE}
            else today - timedelta(days=1),
        )
    if state == State.EXPIRED:
        values["valid_to"] = today - timedelta(days=5)
    if state == State.REFUSED:
        values["refusal_reason"] = RefusalReason.OTHER
    values.update(fields)
    return Application.objects.create(**values)


def outbox(kind: str | None = None) -> list[Notification]:
    rows = Notification.objects.filter(report=None).order_by("pk")
    return list(rows.filter(kind=kind) if kind else rows)
