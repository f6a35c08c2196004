"""The open-data catalogue: every layer of every hromada with its passport, the public
reports and the register of permit applications, each with downloads in GeoJSON, CSV
(UTF-8) and GeoPackage and its OGC API collection. One list feeds the page and the
DCAT-style JSON. A download links the file the worker keeps built (downloads.py): its size
and date are given when it exists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from geoportal.municipalities.models import Department, Municipality
from geoportal.opendata import downloads as built
from geoportal.permits import register
from geoportal.permits.models.permit_settings import DEFAULT_DEPARTMENT_CODE
from geoportal.reports.models import Report
from layers.kinds import LayerKind
from layers.models import LayerPassport
from layers.models.passport import DEFAULT_FREQUENCY, DEFAULT_LICENCE, UpdateFrequency

DOWNLOADS = [("geojson", "GeoJSON", "application/geo+json"),
             ("csv", "CSV", "text/csv"),
             ("gpkg", "GeoPackage", "application/geopackage+sqlite3")]  # fmt: skip
# ISO 8601 repeating intervals, as DCAT's accrualPeriodicity takes them.
PERIODICITY = {
    UpdateFrequency.DAILY: "R/P1D",
    UpdateFrequency.WEEKLY: "R/P1W",
    UpdateFrequency.MONTHLY: "R/P1M",
    UpdateFrequency.QUARTERLY: "R/P3M",
    UpdateFrequency.YEARLY: "R/P1Y",
}
LICENCES = {"CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/"}


@dataclass
class Download:
    format: str
    media_type: str
    url: str
    size: int | None = None  # bytes of the file the worker built; None until it exists
    modified: datetime | None = None


@dataclass
class Dataset:
    identifier: str
    title: str
    description: str
    municipality: Municipality
    responsible: str
    contact: str
    frequency: str
    frequency_label: str
    modified: datetime | None
    licence: str
    update_overdue: bool
    ogc_collection: str
    downloads: list[Download] = field(default_factory=list)
    landing_page: str = ""  # a page of the site that shows the data set to people


def _downloads(route: str, kwargs: dict[str, str], dataset: str, slug: str) -> list[Download]:
    found = []
    for fmt, label, media in DOWNLOADS:
        path = reverse(route, kwargs={**kwargs, "fmt": fmt})
        file = built.prebuilt(built.Download(dataset, slug), fmt)
        found.append(
            Download(
                label, media, f"{settings.SITE_URL}{path}?municipality={slug}",
                file.size if file else None, file.modified if file else None,
            )
        )  # fmt: skip
    return found


def _layer_dataset(passport: LayerPassport) -> Dataset:
    municipality, layer = passport.municipality, passport.layer
    department = passport.department
    return Dataset(
        identifier=f"{municipality.slug}-{layer}",
        title=f"{municipality.name}: {passport.name}",
        description=passport.description_en
        if _english() and passport.description_en
        else passport.description_uk or str(LayerKind(layer).label),
        municipality=municipality,
        responsible=department.name if department else "",
        contact=department.email if department else "",
        frequency=PERIODICITY[UpdateFrequency(passport.update_frequency)],
        frequency_label=str(UpdateFrequency(passport.update_frequency).label),
        modified=passport.last_updated_at,
        licence=passport.licence,
        update_overdue=passport.is_update_overdue(),
        ogc_collection=layer,
        downloads=_downloads("api:layer-export", {"layer": layer}, layer, municipality.slug),
    )


def _english() -> str | bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


def _reports_dataset(municipality: Municipality) -> Dataset:
    latest = Report.objects.public().filter(municipality=municipality).order_by("-updated_at")
    modified = latest.values_list("updated_at", flat=True).first()
    return Dataset(
        identifier=f"{municipality.slug}-reports",
        title=f"{municipality.name}: {_('residents’ reports (Open City)')}",
        description=_("Public reports of problems and the council's answers; no personal data."),
        municipality=municipality,
        responsible="",
        contact="",
        frequency=PERIODICITY[UpdateFrequency.DAILY],
        frequency_label=str(UpdateFrequency.DAILY.label),
        modified=modified,
        licence=DEFAULT_LICENCE,
        update_overdue=False,
        ogc_collection="reports",
        downloads=_downloads("api:report-export", {}, "reports", municipality.slug),
    )


def _permits_dataset(municipality: Municipality) -> Dataset:
    """The register of permit applications: its responsible body is the permit department
    of the hromada (the urban planning department unless the hromada chose another)."""
    latest = register.registered(municipality).order_by("-updated_at")
    department = (
        Department.objects.filter(municipality=municipality, permit_settings__isnull=False)
        .order_by("permit_settings__kind")
        .first()
        or Department.objects.filter(
            municipality=municipality, code=DEFAULT_DEPARTMENT_CODE
        ).first()
    )
    return Dataset(
        identifier=f"{municipality.slug}-{register.DATASET}",
        title=f"{municipality.name}: {_('register of permit applications')}",
        description=_(
            "Applications for МАФ placement passports, summer terraces and outdoor advertising "
            "permits from their registration: number, kind, state, site, holder (an "
            "organisation or entrepreneur; a natural person is not named), dates, permit "
            "number and term, refusal ground. No personal data."
        ),
        municipality=municipality,
        responsible=department.name if department else "",
        contact=department.email if department else "",
        frequency=PERIODICITY[UpdateFrequency.DAILY],
        frequency_label=str(UpdateFrequency.DAILY.label),
        modified=latest.values_list("updated_at", flat=True).first(),
        licence=DEFAULT_LICENCE,
        update_overdue=False,
        ogc_collection=register.OGC_COLLECTION,
        downloads=_downloads("api:permit-export", {}, register.DATASET, municipality.slug),
        landing_page=f"{reverse('frontend:permit-register')}?municipality={municipality.slug}",
    )


def datasets() -> list[Dataset]:
    """Every layer of every active hromada (a default passport when none is kept yet), its
    public reports and its register of permit applications."""
    found = []
    for municipality in Municipality.objects.active().order_by("slug"):
        kept = {
            p.layer: p
            for p in LayerPassport.objects.filter(municipality=municipality).select_related(
                "department", "municipality"
            )
        }
        for kind in LayerKind:
            passport = kept.get(kind.value) or LayerPassport(
                municipality=municipality, layer=kind.value, name_uk=str(kind.label),
                name_en=str(kind.label), update_frequency=DEFAULT_FREQUENCY[kind],
                department=Department.objects.responsible_for_layer(municipality.pk, kind.value),
            )  # fmt: skip
            found.append(_layer_dataset(passport))
        found.append(_reports_dataset(municipality))
        found.append(_permits_dataset(municipality))
    return found


def dcat(found: list[Dataset]) -> dict[str, Any]:
    """The catalogue in DCAT terms, as JSON (data portals and harvesters read it)."""
    ogc = f"{settings.SITE_URL}/ogc/collections/"
    return {
        "@context": "https://www.w3.org/ns/dcat.jsonld",
        "@type": "dcat:Catalog",
        "title": _("Open data of the hromadas"),
        "homepage": f"{settings.SITE_URL}{reverse('opendata:catalog-page')}",
        "modified": timezone.now().isoformat(timespec="seconds"),
        "dataset": [
            {
                "@type": "dcat:Dataset",
                "identifier": item.identifier,
                "title": item.title,
                "description": item.description,
                "publisher": {"name": item.municipality.name},
                "contactPoint": {"fn": item.responsible or item.municipality.name,
                                 "hasEmail": f"mailto:{item.contact}" if item.contact else None},
                "spatial": ",".join(f"{n:.5f}" for n in item.municipality.boundary.extent),
                "accrualPeriodicity": item.frequency,
                "modified": item.modified.isoformat(timespec="seconds") if item.modified else None,
                "license": LICENCES.get(item.licence, item.licence),
                "updateOverdue": item.update_overdue,
                **({"landingPage": f"{settings.SITE_URL}{item.landing_page}"}
                   if item.landing_page else {}),
                "distribution": [
                    *(_distribution(item, d) for d in item.downloads),
                    {"@type": "dcat:Distribution", "title": "OGC API – Features",
                     "format": "OGC API - Features", "accessURL": ogc + item.ogc_collection},
                ],
            }
            for item in found
        ],
    }  # fmt: skip


def _distribution(item: Dataset, download: Download) -> dict[str, Any]:
    found: dict[str, Any] = {
        "@type": "dcat:Distribution", "title": f"{item.title} ({download.format})",
        "format": download.format, "mediaType": download.media_type,
        "downloadURL": download.url,
    }  # fmt: skip
    if download.size is not None and download.modified is not None:
        found["byteSize"] = download.size
        found["modified"] = download.modified.isoformat(timespec="seconds")
    return found
