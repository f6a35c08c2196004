"""The public register of permit applications (#19): what anyone may see of an application.

The register page (/permits/register/), its downloads (/api/v1/permits/export.<fmt>, in the
open-data catalogue), the OGC API collection `permit-applications` and the public map's
layer of applications under review (/permits/under-review.geojson) all read an application
through `Entry` here, so the list of what is public is written once.

Public: registered applications (states.PUBLIC_STATES; a submission not yet registered is
not) with their number, kind, state, type of structure, address and site, the holder
(holder_name: the organisation, or an entrepreneur's name as their business; empty for a
natural person, whom the page calls "a natural person"), the holder's ЄДРПОУ for a
business, the dates of registration and decision, the permit's number and term, the
ground of a refusal and the hromada. Never public: the applicant's name, e-mail and phone
(a natural person's, or a business's contact person), the applicant's account and
tracking code, the documents, the description and the decision's text (free text that may
name people), the pre-check's findings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.contrib.gis.db.models.functions import AsWKB
from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _
from rest_framework.serializers import BaseSerializer

from geoportal.municipalities.models import Municipality
from geoportal.municipalities.working_days import KYIV
from geoportal.permits.models import Application
from geoportal.permits.states import (
    PUBLIC_STATES,
    UNDER_REVIEW_STATES,
    ApplicantKind,
    Kind,
    RefusalReason,
    State,
)
from layers.exporting import Chunk, Column, Source
from layers.exporting.source import CHUNK_ROWS

# Columns of an application that are never read for the public: the row is loaded without
# them, so no code path of the register can show them even by mistake. (The applicant's
# name stays: holder_name shows an entrepreneur's, and only for a business.)
PRIVATE_FIELDS = (
    "applicant_email", "applicant_phone", "applicant_user", "tracking_code", "description",
    "decision_text", "precheck",
)  # fmt: skip

# The downloads' columns, in order (dates as ISO text; codes, not labels).
COLUMNS = (
    Column("id", "integer"), Column("municipality", "text"), Column("number", "text"),
    Column("kind", "text"), Column("state", "text"), Column("structure_type", "text"),
    Column("address", "text"), Column("holder", "text"), Column("holder_kind", "text"),
    Column("holder_code", "text"), Column("registered_on", "text"),
    Column("decided_on", "text"), Column("permit_number", "text"),
    Column("valid_from", "text"), Column("valid_to", "text"),
    Column("refusal_reason", "text"),
)  # fmt: skip
DATASET = "permits"  # the open-data downloads' name (geoportal.opendata.downloads)
OGC_COLLECTION = "permit-applications"  # geoportal.ogc.collections


def registered(municipality: Municipality | None = None) -> QuerySet[Application]:
    """The applications of the public register (of one hromada, if given)."""
    found = Application.objects.filter(state__in=PUBLIC_STATES, municipality__is_active=True)
    if municipality is not None:
        found = found.filter(municipality=municipality)
    return found.select_related("municipality").defer(*PRIVATE_FIELDS)


def under_review(municipality: Municipality | None = None) -> QuerySet[Application]:
    """The applications the public map shows as under review."""
    return registered(municipality).filter(state__in=UNDER_REVIEW_STATES)


def _local_date(moment: datetime | None) -> date | None:
    return moment.astimezone(KYIV).date() if moment else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class Entry:
    """One application as the public sees it."""

    id: int
    municipality: str  # the hromada's slug
    municipality_name: str
    number: str
    kind: str
    state: str
    structure_type: str
    structure_type_label: str
    address: str
    holder: str  # "" for a natural person
    holder_kind: str  # ApplicantKind: person or business
    holder_code: str  # a business's ЄДРПОУ
    registered_on: date | None
    decided_on: date | None
    permit_number: str
    valid_from: date | None
    valid_to: date | None
    refusal_reason: str

    @classmethod
    def of(cls, application: Application) -> Entry:
        return cls(
            id=application.pk,
            municipality=application.municipality.slug,
            municipality_name=application.municipality.name,
            number=application.number,
            kind=application.kind,
            state=application.state,
            structure_type=application.structure_type,
            structure_type_label=application.structure_type_label,
            address=application.address,
            holder=application.holder_name,
            holder_kind=application.applicant_kind,
            holder_code=application.holder_code,
            registered_on=_local_date(application.registered_at),
            decided_on=_local_date(application.decided_at),
            permit_number=application.permit_number,
            valid_from=application.valid_from,
            valid_to=application.valid_to,
            refusal_reason=application.refusal_reason,
        )

    @property
    def is_person(self) -> bool:
        return self.holder_kind != ApplicantKind.BUSINESS

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    @property
    def refusal_reason_label(self) -> str:
        return str(RefusalReason(self.refusal_reason).label) if self.refusal_reason else ""

    @property
    def holder_label(self) -> str:
        """The holder as the page shows it: a natural person is not named."""
        return _("A natural person") if self.is_person else self.holder

    def row(self) -> tuple[Any, ...]:
        """The values of COLUMNS."""
        return (
            self.id, self.municipality, self.number, self.kind, self.state,
            self.structure_type, self.address, self.holder, self.holder_kind, self.holder_code,
            _iso(self.registered_on), _iso(self.decided_on), self.permit_number,
            _iso(self.valid_from), _iso(self.valid_to), self.refusal_reason,
        )  # fmt: skip

    def properties(self) -> dict[str, Any]:
        """The GeoJSON properties: the columns, and the labels in the reader's language."""
        values = dict(zip((column.name for column in COLUMNS), self.row(), strict=True))
        del values["id"]  # the feature's own id
        return {
            **values,
            "municipality_name": self.municipality_name,
            "kind_label": self.kind_label,
            "state_label": self.state_label,
            "structure_type_label": self.structure_type_label,
            "holder_label": self.holder_label,
            "refusal_reason_label": self.refusal_reason_label,
        }


def feature(application: Application) -> dict[str, Any]:
    """An application as a GeoJSON feature (its site in CRS84)."""
    return {
        "type": "Feature",
        "id": application.pk,
        "geometry": json.loads(application.site.geojson),
        "properties": Entry.of(application).properties(),
    }


def feature_collection(applications: QuerySet[Application]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [feature(a) for a in applications]}


class PermitFeatureSerializer(BaseSerializer[Application]):
    """The OGC API's view of an application: `feature` (read-only)."""

    def to_representation(self, instance: Application) -> dict[str, Any]:
        return feature(instance)


def register_source(municipality: Municipality | None = None) -> Source:
    """The register as an open data set (geoportal.opendata.downloads), a chunk at a time."""

    def chunks() -> Iterator[Chunk]:
        rows = registered(municipality).annotate(wkb=AsWKB("site")).order_by("pk")
        iterator = rows.iterator(chunk_size=CHUNK_ROWS)
        while batch := list(islice(iterator, CHUNK_ROWS)):
            yield Chunk([Entry.of(a).row() for a in batch], [bytes(a.wkb) for a in batch])

    # A site is a point (advertising) or a polygon (МАФ, terrace): mixed, as the МАФ layer.
    return Source(DATASET, COLUMNS, "Unknown", chunks)


def register_version(slug: str) -> str:
    """What the download's content depends on (downloads.data_version): every action saves
    its application (updated_at), and an application enters the register when registered."""
    found = Application.objects.filter(state__in=PUBLIC_STATES)
    if slug:
        found = found.filter(municipality__slug=slug)
    seen = found.aggregate(n=Count("pk"), at=Max("updated_at"))
    at = seen["at"].isoformat() if seen["at"] else "-"
    return f"{DATASET}:{slug}:{seen['n']}:{at}"
