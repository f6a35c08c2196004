"""The decision writes the layer: a granted passport or permit creates or updates the МАФ
or advertising feature (number, holder as a legal entity, dates, site), and the later
decisions (extension, annulment, expiry, removal) update it. Each change is recorded in the
feature's history (simple_history) with a reason naming the application; saving a feature
also marks its layer updated (layers.signals → LayerPassport.touch), so the open-data
downloads are rebuilt.

A natural person's name or tax number never reaches the layer (its fields are public,
layers/public_fields.py): the holder is the organisation, or an entrepreneur's name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.utils.translation import gettext, override

from geoportal.permits.states import Kind
from layers.models import AdvertisingStructure, StructureStatus, TemporaryStructure

if TYPE_CHECKING:
    from geoportal.permits.models import Application

Feature = TemporaryStructure | AdvertisingStructure


def change_reason(application: Application, what: str) -> str:
    """The history's reason, in Ukrainian like the rest of the registry: "Заява ЗД-2026-0007:
    надано (МАФ-2026-0003)"."""
    with override("uk"):
        return f"{gettext('Application')} {application.number}: {what}"[:100]


def _save(feature: Feature, by: Any, reason: str) -> None:
    feature.full_clean()
    feature._change_reason = reason  # type: ignore[union-attr]
    if getattr(by, "is_authenticated", False):
        feature._history_user = by  # type: ignore[union-attr]
    feature.save()


def _point(site: GEOSGeometry) -> Point:
    point = site if isinstance(site, Point) else site.point_on_surface
    return Point(point[0], point[1], srid=4326)


def write_granted(application: Application, by: Any) -> Feature:
    """Create the feature of a granted application, or update the one it already has."""
    what = f"{gettext('granted')} ({application.permit_number})"
    if application.kind == Kind.ADVERTISING:
        advertising = application.advertising or AdvertisingStructure(
            municipality=application.municipality
        )
        advertising.geometry = _point(application.site)
        advertising.permit_number = application.permit_number
        advertising.decision_date = application.valid_from
        advertising.distributor_name = application.holder_name
        advertising.distributor_code = application.holder_code
        advertising.kind = application.structure_type or AdvertisingStructure.Kind.OTHER
        advertising.width_m = application.width_m
        advertising.height_m = application.height_m
        advertising.address = application.address
        advertising.permit_valid_from = application.valid_from
        advertising.permit_valid_to = application.valid_to
        advertising.status = StructureStatus.ACTIVE
        advertising.is_demo = application.is_demo
        _save(advertising, by, change_reason(application, what))
        application.advertising = advertising
        return advertising
    maf = application.maf or TemporaryStructure(municipality=application.municipality)
    maf.geometry = GEOSGeometry(application.site.wkt, srid=4326)
    maf.passport_number = application.permit_number
    maf.owner_name = application.holder_name
    maf.owner_code = application.holder_code
    maf.kind = (
        TemporaryStructure.Kind.TERRACE
        if application.kind == Kind.TERRACE
        else application.structure_type or TemporaryStructure.Kind.OTHER
    )
    maf.purpose = application.specialisation or TemporaryStructure.Purpose.TRADE
    maf.area_m2 = application.area_m2
    maf.address = application.address
    maf.permit_valid_from = application.valid_from
    maf.permit_valid_to = application.valid_to
    maf.status = StructureStatus.ACTIVE
    maf.cancellation_decision = ""
    maf.is_demo = application.is_demo
    _save(maf, by, change_reason(application, what))
    application.maf = maf
    return maf


def feature_of(application: Application) -> Feature | None:
    return application.advertising if application.kind == Kind.ADVERTISING else application.maf


def extend_feature(application: Application, by: Any) -> None:
    feature = feature_of(application)
    if feature is None:
        return
    feature.permit_valid_to = application.valid_to
    what = gettext("term extended to %(date)s") % {
        "date": application.valid_to.strftime("%d.%m.%Y") if application.valid_to else ""
    }
    _save(feature, by, change_reason(application, what))


def set_status(application: Application, by: Any, status: str, decision: str = "") -> None:
    """Annulled → cancelled (with the decision), expired → expired, removed → dismantled."""
    feature = feature_of(application)
    if feature is None:
        return
    feature.status = status
    if decision and isinstance(feature, TemporaryStructure):
        feature.cancellation_decision = decision[:300]
    with override("uk"):
        what = str(StructureStatus(status).label).lower()
    _save(feature, by, change_reason(application, what))
