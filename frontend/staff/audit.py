"""The coordinator's audit log: who did what and when, across the reports' procedure and
the GIS layers' edits and imports, newest first (both are append-only in PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frontend.staff.access import is_coordinator, staff_page
from geoportal.reports.models import ReportEvent
from layers.registry import LAYERS

SHOWN = 300  # newest entries per kind before merging
LAYER_CHANGES = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}


@dataclass(frozen=True)
class Entry:
    at: datetime
    who: str
    what: str
    target: str
    link: str


def _person(user: Any, by_reporter: bool = False) -> str:
    if user is not None:
        return str(user.get_username())
    return _("the reporter") if by_reporter else _("the system")


def _since(request: HttpRequest) -> datetime | None:
    try:
        day = date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def report_entries(municipality: Any, who: str, since: datetime | None) -> list[Entry]:
    events = ReportEvent.objects.filter(report__municipality=municipality)
    if who:
        events = events.filter(actor__username__icontains=who)
    if since:
        events = events.filter(created_at__gte=since)
    found = []
    for event in events.select_related("actor").order_by("-created_at", "-pk")[:SHOWN]:
        step = event.done_label
        if event.from_state != event.to_state and event.from_state:
            step += f": {event.get_from_state_display()} → {event.get_to_state_display()}"
        found.append(Entry(event.created_at, _person(event.actor, event.by_reporter), step,
                           _("Report №%(number)s") % {"number": event.report_id},
                           reverse("frontend:staff-report", args=[event.report_id])))  # fmt: skip
    return found


def layer_entries(municipality: Any, who: str, since: datetime | None) -> list[Entry]:
    found = []
    for spec in LAYERS.values():
        records = spec.model.history.filter(municipality_id=municipality.pk)  # type: ignore[attr-defined]
        if who:
            records = records.filter(history_user__username__icontains=who)
        if since:
            records = records.filter(history_date__gte=since)
        for record in records.select_related("history_user").order_by("-history_date")[:SHOWN]:
            key = getattr(record, spec.natural_key, "") or f"#{record.id}"
            found.append(Entry(record.history_date, _person(record.history_user),
                               str(LAYER_CHANGES.get(record.history_type, record.history_type)),
                               f"{spec.model._meta.verbose_name}: {key}", ""))  # fmt: skip
    return found


@staff_page(is_coordinator)
def audit_log(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    who = request.GET.get("who", "").strip()[:150]
    kind = request.GET.get("kind", "")
    since = _since(request)
    entries: list[Entry] = []
    if kind in ("", "reports"):
        entries += report_entries(user.municipality, who, since)
    if kind in ("", "layers"):
        entries += layer_entries(user.municipality, who, since)
    entries.sort(key=lambda entry: entry.at, reverse=True)
    context = {"entries": entries[:SHOWN], "who": who, "kind": kind,
               "since": since.date().isoformat() if since else "",
               "municipality": user.municipality}  # fmt: skip
    return render(request, "frontend/staff/audit.html", context)
