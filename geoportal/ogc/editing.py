"""A GeoJSON feature sent to the OGC API, read into a layer's model with the rules the admin
and the importer apply: each property converted as an imported cell is
(layers/importing/columns.py), the model's full_clean (field validators, rule_errors,
geometry type and validity, inside the hromada's boundary grown by its tolerance, unique
keys) and its database constraints, each refusal naming the property and the reason.

Properties the API shows but nobody writes (`id`, `municipality`, `permit_state`) are
passed over, so a client may send back what it read; any other name the layer does not have
is refused. A person's tax number is shown blank (layers/public_fields.py): a blank sent
back for it keeps the stored number, so a client that read the feature and saves it again
loses nothing it could not see.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon, WKBWriter
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError

from geoportal.core.parsers import JSONParser
from geoportal.municipalities.models import Municipality
from geoportal.ogc import crs as crs_module
from layers.geometry import check_geometry, reprojected
from layers.importing.columns import convert, importable_fields, is_blank
from layers.models import LayerFeature
from layers.public_fields import BUSINESS_CODE_FIELDS, PUBLIC_FIELDS, public_business_code
from layers.registry import LayerSpec

# Shown by the API, never written through it: passed over when a client sends them back.
READ_ONLY = frozenset({"id", "municipality", "permit_state"})
# Members of a Feature besides geometry and properties that a client may send back.
FEATURE_MEMBERS = frozenset({"type", "id", "geometry", "properties", "bbox", "links"})


class WriteError(Exception):
    """A write refused: the HTTP status, an OGC exception code and the reasons by property."""

    def __init__(self, status: int, code: str, description: str,
                 errors: dict[str, str] | None = None) -> None:  # fmt: skip
        super().__init__(description)
        self.status = status
        self.code = code
        self.description = description
        self.errors = errors or {}


def invalid(errors: dict[str, str]) -> WriteError:
    """422: well-formed, but the feature breaks the layer's rules."""
    text = "; ".join(f"{name}: {reason}" for name, reason in errors.items())
    return WriteError(422, "InvalidFeature", text, errors)


def malformed(reason: str) -> WriteError:
    return WriteError(400, "InvalidRequestBody", reason)


def parse_body(body: bytes) -> Any:
    """The JSON document, refused (400) when malformed, nesting too deep, holding a lone
    surrogate or NaN (the API's own JSON parser)."""
    try:
        return JSONParser().parse(io.BytesIO(body))
    except ParseError as exc:
        raise malformed(str(exc.detail)) from None


@dataclass
class Sent:
    """What a request body says: the geometry (in storage CRS) if it has one, and the
    properties as sent."""

    geometry: GEOSGeometry | None = None
    has_geometry: bool = False
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def hromada_slug(self) -> str | None:
        slug = self.properties.get("municipality")
        return slug if isinstance(slug, str) and slug else None


def read_feature(data: Any, crs: crs_module.Crs, *, patch: bool = False) -> Sent:
    """A Feature (POST, PUT) or a JSON merge patch of one (PATCH), checked for form only."""
    if not isinstance(data, dict):
        raise malformed(_("The body must be a GeoJSON Feature (a JSON object)."))
    if not patch and data.get("type") != "Feature":
        raise malformed(_('The body must be a GeoJSON Feature: "type" is "Feature".'))
    if patch and data.get("type", "Feature") != "Feature":
        raise malformed(_('A patch of a feature may only say "type": "Feature".'))
    unknown = sorted(set(data) - FEATURE_MEMBERS)
    if unknown:
        raise malformed(
            _('Unknown member(s) of a Feature: %(names)s; properties go in "properties".')
            % {"names": ", ".join(unknown)}
        )
    properties = data.get("properties")
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        raise malformed(_('"properties" must be a JSON object.'))
    sent = Sent(properties=properties, has_geometry="geometry" in data)
    if not patch and data.get("geometry") is None:
        raise invalid({"geometry": _("is required: every feature of this layer has one.")})
    if sent.has_geometry and data["geometry"] is None:
        raise invalid({"geometry": _("cannot be removed: every feature of this layer has one.")})
    if sent.has_geometry:
        sent.geometry = to_storage(data["geometry"], crs)
    return sent


def _swapped(coordinates: Any) -> Any:
    """Coordinates with the first two axes exchanged, at any depth of nesting."""
    if not isinstance(coordinates, list):
        return coordinates
    if len(coordinates) > 1 and not isinstance(coordinates[0], list):  # a position
        return [coordinates[1], coordinates[0], *coordinates[2:]]
    return [_swapped(part) for part in coordinates]


def _axes_swapped(geometry: dict[str, Any]) -> dict[str, Any]:
    swapped = dict(geometry)
    if "coordinates" in geometry:
        swapped["coordinates"] = _swapped(geometry["coordinates"])
    if isinstance(geometry.get("geometries"), list):
        swapped["geometries"] = [
            _axes_swapped(part) if isinstance(part, dict) else part
            for part in geometry["geometries"]
        ]
    return swapped


def to_storage(geometry: Any, crs: crs_module.Crs) -> GEOSGeometry:
    """A GeoJSON geometry in `crs` (its own axis order) as a 2D geometry in EPSG:4326."""
    if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str):
        raise malformed(_('"geometry" must be a GeoJSON geometry object with a "type".'))
    if crs.northing_first:
        geometry = _axes_swapped(geometry)
    try:
        geom = GEOSGeometry(json.dumps(geometry))
    except (ValueError, TypeError, GDALException, GEOSException):
        raise malformed(
            _("geometry: not a GeoJSON geometry (type and coordinates do not fit together).")
        ) from None
    if geom.hasz:
        writer = WKBWriter()
        writer.outdim = 2
        geom = GEOSGeometry(memoryview(writer.write(geom)))
    geom.srid = crs.srid
    if crs.srid != crs_module.STORAGE_SRID:
        try:
            geom = reprojected(geom, crs_module.STORAGE_SRID)
        except (GDALException, GEOSException):
            raise invalid({"geometry": _("cannot be transformed from %(crs)s.")
                           % {"crs": crs.uri}}) from None  # fmt: skip
    return geom


# --- properties -------------------------------------------------------------------------


def blank_value(model_field: models.Field[Any, Any]) -> Any:
    """What an absent or null property stores: the field's default, else nothing."""
    if model_field.has_default():
        return model_field.get_default()
    if model_field.null:
        return None
    if model_field.blank:
        return ""
    raise ValidationError(_("is required."))


def converted(spec: LayerSpec, properties: dict[str, Any]) -> dict[str, Any]:
    """The sent properties as field values; WriteError (422) naming each one that is not."""
    fields = importable_fields(spec.model)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in properties.items():
        if name in READ_ONLY:
            continue
        model_field = fields.get(name)
        if model_field is None:
            errors[name] = _("is not a property of this collection; it has %(names)s.") % {
                "names": ", ".join(sorted(fields))}  # fmt: skip
            continue
        if isinstance(value, dict | list):
            errors[name] = _("must be one value (text, a number, true/false or null), not a "
                             "list or an object.")  # fmt: skip
            continue
        try:
            values[name] = (blank_value(model_field) if is_blank(value)
                            else convert(spec.kind.value, model_field, value))  # fmt: skip
        except ValidationError as exc:
            errors[name] = " ".join(exc.messages)
    if errors:
        raise invalid(errors)
    return values


def apply(spec: LayerSpec, feature: LayerFeature, values: dict[str, Any], *,
          replace: bool) -> None:  # fmt: skip
    """Set the values on the feature. A replacement (PUT) also empties every property the API
    shows that the body left out; those it does not show (a plot's user) are kept."""
    shown = set(PUBLIC_FIELDS[spec.kind.value])
    errors: dict[str, str] = {}
    for name, model_field in importable_fields(spec.model).items():
        if name in values:
            value = values[name]
            stored = getattr(feature, name, None)
            if (name in BUSINESS_CODE_FIELDS and feature.pk is not None and stored
                    and value == public_business_code(stored)):  # fmt: skip
                continue  # what the client read of a person's tax number: blank; kept
            setattr(feature, name, value)
        elif replace and name in shown:
            try:
                setattr(feature, name, blank_value(model_field))
            except ValidationError as exc:
                errors[name] = " ".join(exc.messages)
    if errors:
        raise invalid(errors)


def set_geometry(spec: LayerSpec, feature: LayerFeature, geometry: GEOSGeometry) -> None:
    """The geometry, of a type the layer takes; a polygon layer stores MultiPolygons, and a
    Polygon is taken as one of one part. Validity and the boundary are checked by clean()."""
    try:
        check_geometry(geometry, spec.geometry_types)
    except ValidationError as exc:
        if geometry.geom_type not in spec.geometry_types:
            raise invalid({"geometry": " ".join(exc.messages)}) from None
    if "MultiPolygon" in spec.geometry_types and isinstance(geometry, Polygon):
        geometry = MultiPolygon(geometry, srid=geometry.srid)
    feature.geometry = geometry  # type: ignore[attr-defined]


# --- validation -------------------------------------------------------------------------


def _blamed(spec: LayerSpec, constraint: Any, feature: LayerFeature) -> str:
    """The property a constraint's refusal names: its key field; for a check of several
    fields, the one whose emptying would satisfy it (width_m of a negative width)."""
    names = [n for n in getattr(constraint, "fields", ()) or () if n != "municipality"]
    if names:
        return str(names[0])
    condition = getattr(constraint, "condition", None)
    names = sorted(set(condition.referenced_base_fields if condition else ()) - {"municipality"})
    for name in names:
        if not spec.model._meta.get_field(name).null:
            continue
        kept = getattr(feature, name)
        setattr(feature, name, None)
        try:
            constraint.validate(spec.model, feature)
            return name
        except ValidationError:
            continue
        finally:
            setattr(feature, name, kept)
    return names[0] if names else "feature"


def _taken(spec: LayerSpec, feature: LayerFeature, names: list[str]) -> str:
    model: Any = spec.model
    same = {name: getattr(feature, name) for name in names}
    other = model._default_manager.filter(**same).exclude(pk=feature.pk).values_list(
        "pk", flat=True).first()  # fmt: skip
    key = [n for n in names if n != "municipality"]
    value = getattr(feature, key[0]) if key else ""
    return _("%(value)r is already taken by feature %(other)s of this hromada.") % {
        "value": value, "other": other}  # fmt: skip


def check(spec: LayerSpec, feature: LayerFeature) -> None:
    """Every rule the admin form checks, then the database's constraints, named."""
    errors: dict[str, str] = {}
    try:
        feature.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors["feature" if name == NON_FIELD_ERRORS else name] = " ".join(messages)
    if errors:
        raise invalid(errors)
    for constraint in spec.model._meta.constraints:
        try:
            constraint.validate(spec.model, feature)
        except ValidationError as exc:
            name = _blamed(spec, constraint, feature)
            if isinstance(constraint, models.UniqueConstraint):
                errors.setdefault(name, _taken(spec, feature, list(constraint.fields)))
            else:
                errors.setdefault(name, " ".join(exc.messages))
    if errors:
        raise invalid(errors)


# --- hromadas ---------------------------------------------------------------------------


def foreign_hromada(user: Any, geometry: GEOSGeometry) -> Municipality | None:
    """An active hromada the person does not work for whose boundary holds the geometry."""
    theirs = Municipality.objects.staffed_by(user).values_list("pk", flat=True)
    return (
        Municipality.objects.active()
        .filter(boundary__covers=geometry)
        .exclude(pk__in=list(theirs))
        .first()
    )


def refuse_foreign(user: Any, geometry: GEOSGeometry) -> None:
    other = foreign_hromada(user, geometry)
    if other is not None:
        raise WriteError(403, "Forbidden", _("The geometry lies in %(hromada)s, a hromada you do "
                                          "not work for.") % {"hromada": other.name})  # fmt: skip


def hromada_for(user: Any, sent: Sent) -> Municipality:
    """The hromada a new feature belongs to: the one named in `municipality` (one the person
    works for), else the person's own one that holds the geometry, else their only one."""
    theirs = Municipality.objects.active().staffed_by(user)
    assert sent.geometry is not None
    slug = sent.hromada_slug
    if slug is not None:
        named = Municipality.objects.active().filter(slug=slug).first()
        if named is None:
            raise invalid({"municipality": _("there is no hromada %(slug)r.") % {"slug": slug}})
        if not theirs.filter(pk=named.pk).exists():
            raise WriteError(403, "Forbidden", _("You do not work for the hromada %(hromada)s.")
                          % {"hromada": named.name})  # fmt: skip
        return named
    refuse_foreign(user, sent.geometry)
    holding = list(theirs.filter(boundary__covers=sent.geometry)[:2])
    if len(holding) == 1:
        return holding[0]
    candidates = list(theirs[:2])
    if len(holding) == 0 and len(candidates) == 1:
        return candidates[0]  # its boundary check says how far outside the geometry lies
    raise invalid({"municipality": _(
        "cannot tell which of your hromadas the feature belongs to: its geometry lies in "
        "%(count)s of them. Name one by its slug in the \"municipality\" property.")
        % {"count": len(holding)}})  # fmt: skip


# --- versions ---------------------------------------------------------------------------


def version(model: type[models.Model], pk: Any) -> str | None:
    """A strong entity tag of the feature's stored row (every column, the geometry and the
    updated_at included): it changes with every write, whichever way the row was written.
    Read from the database the request reads from (an anonymous read: maybe the replica),
    so that the tag is the version of the body it goes with."""
    connection = connections[router.db_for_read(model) or DEFAULT_DB_ALIAS]
    table = connection.ops.quote_name(model._meta.db_table)
    query = f"SELECT md5(CAST(t AS text)) FROM {table} AS t WHERE t.id = %s"  # noqa: S608 (ours)
    with connection.cursor() as cursor:
        cursor.execute(query, [pk])
        row = cursor.fetchone()
    return f'"{row[0]}"' if row else None
