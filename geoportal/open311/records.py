"""Reports and categories in Open311's terms (PROCEDURE.md, "States": open or closed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from geoportal.municipalities.models import Category
from geoportal.reports.models import Report
from geoportal.reports.states import OPEN311_STATUS, State

SPEC = "http://wiki.open311.org/GeoReport_v2"


def when(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset, in Kyiv time (e.g. 2026-11-23T10:00:00+02:00)."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name,
        "metadata": False,  # no extra attributes: the definition lists none
        "type": "realtime",
        "keywords": category.linked_layer or "",
        "group": category.parent.name if category.parent else "",
    }


def status_notes(report: Report) -> str:
    """What the public was told: the answer, the plan, the competent body or the ground."""
    if report.public_answer:
        return report.public_answer
    if report.state == State.OUT_OF_COMPETENCE:
        return report.competent_body
    if report.state == State.REJECTED:
        return str(report.get_rejection_ground_display())
    if report.state == State.PLANNED and report.planned_for:
        return f"{report.get_state_display()}: {report.planned_for:%Y-%m-%d}"
    return str(report.get_state_display())


def media_url(report: Report) -> str:
    """The first public photo of the problem: none while the report is not public (the
    client that filed it reads it back before moderation), none that was hidden."""
    photo = next((p for p in report.photos.all() if p.event_id is None and p.is_public), None)
    if photo is not None:
        return settings.SITE_URL + photo.image.url
    linked = getattr(report, "open311", None)
    return linked.media_url if linked is not None else ""


def request_record(report: Report) -> dict[str, Any]:
    """One service request: public fields only, never the reporter's."""
    return {
        "service_request_id": report.pk,
        "status": OPEN311_STATUS[State(report.state)],
        "status_notes": status_notes(report),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.department.name if report.department else "",
        "service_notice": "",
        "requested_datetime": when(report.created_at),
        "updated_datetime": when(report.updated_at),
        "expected_datetime": when(report.answer_due_at) if report.is_open else None,
        "address": report.address,
        "address_id": "",
        "zipcode": "",
        "lat": round(report.point.y, 7),
        "long": round(report.point.x, 7),
        "media_url": media_url(report),
    }
