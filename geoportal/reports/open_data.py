"""The public reports as an open data set: the public fields only, never the reporter's."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.gis.db.models.functions import AsWKB
from django.urls import reverse
from django.utils import timezone

from geoportal.municipalities.models import Municipality
from geoportal.reports.models import Report
from geoportal.reports.states import OPEN311_STATUS, State
from layers.exporting import Chunk, Column, Source
from layers.exporting.source import chunked

COLUMNS = (
    Column("id", "integer"), Column("municipality", "text"), Column("category", "text"),
    Column("title", "text"), Column("state", "text"), Column("status", "text"),
    Column("department", "text"), Column("created_at", "text"), Column("answer_due_at", "text"),
    Column("answered_at", "text"), Column("support_count", "integer"), Column("url", "text"),
)  # fmt: skip
# A number no report has, to build every report's address from one reverse().
_PLACEHOLDER = 2_147_483_647


def reports_source(municipality: Municipality | None = None) -> Source:
    """Every public report (of one hromada, if given), a chunk at a time."""
    statuses = {state.value: OPEN311_STATUS[state] for state in State}
    zone = timezone.get_current_timezone()  # once: it is looked up per thread each time

    def when(moment: datetime | None) -> str | None:
        return moment.astimezone(zone).isoformat(timespec="seconds") if moment else None

    def chunks() -> Iterator[Chunk]:
        page = settings.SITE_URL + reverse("frontend:report-detail", kwargs={"pk": _PLACEHOLDER})
        before, _placeholder, after = page.partition(str(_PLACEHOLDER))

        def convert(row: Sequence[Any]) -> tuple[Any, ...]:
            pk, slug, category, title, state, department, created, due, answered, support = row
            return (
                pk, slug, category, title, state, statuses[state], department or "",
                when(created), when(due), when(answered), support, f"{before}{pk}{after}",
            )  # fmt: skip

        reports = Report.objects.public()
        if municipality is not None:
            reports = reports.filter(municipality=municipality)
        fields = ("pk", "municipality__slug", "category__code", "title", "state",
                  "department__code", "created_at", "answer_due_at", "answered_at",
                  "support_count", "wkb")  # fmt: skip
        rows = reports.annotate(wkb=AsWKB("point")).order_by("pk").values_list(*fields)
        return chunked(rows, convert)

    return Source("reports", COLUMNS, "Point", chunks)
