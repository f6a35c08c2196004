"""Which file column feeds which model field, and turning a cell into a field value."""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from layers.land_categories import category_named
from layers.validation import normalise_cadastral_number, normalise_purpose_code

# Fields an import never sets from a column (attributes takes the columns no field takes;
# a purpose code's source is kept by the import when the cadastre left the code open).
SYSTEM_FIELDS = {"id", "municipality", "is_demo", "created_at", "updated_at", "geometry", "photo",
                 "attributes", "purpose_code_source"}  # fmt: skip
# dBASE (a Shapefile's .dbf) keeps 10 characters of a column's name: "purpose_code" arrives
# as "purpose_co", "ownershipcode" as "ownershipc". Every name and alias also matches cut so.
DBF_NAME_LENGTH = 10

# Names real files use for our fields (compared case-insensitively), besides the field name.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "land": {
        "cadastral_number": ("cadnum", "cad_num", "kadnum", "cadastral", "кадастровий_номер"),
        "area_ha": ("area", "area_ha", "area_ha_registered", "area_registered", "площа"),
        "purpose_code": ("purpose_code", "kvcpz", "kvtsptz", "cod_cp"),
        "purpose_text": ("purpose", "use", "призначення"),
        "ownership": ("ownershipcode", "ownership_code", "ownership", "власність"),
        "category": ("category_code", "category", "категорія"),
        "user_name": ("fact_user", "user", "lessee"),
        "katotth": ("katottg", "katotth"),
    },
    "maf": {"passport_number": ("passport", "passport_no", "паспорт"), "kind": ("type",)},
    "advertising": {"permit_number": ("permit", "permit_no", "дозвіл"), "kind": ("type",)},
    "zoning": {"code": ("zone", "zone_code", "код"), "name": ("zone_name", "назва")},
}

TRUE_WORDS = {"1", "true", "yes", "y", "так", "t", "да"}
FALSE_WORDS = {"0", "false", "no", "n", "ні", "f", "нет"}


def importable_fields(model: type[models.Model]) -> dict[str, models.Field[Any, Any]]:
    return {
        f.name: f
        for f in model._meta.get_fields()
        if isinstance(f, models.Field) and f.concrete and f.name not in SYSTEM_FIELDS
    }


def resolve_columns(
    layer: str, model: type[models.Model], columns: list[str], mapping: dict[str, str]
) -> dict[str, str]:
    """Field → column: the explicit --map entries, then field names and known aliases."""
    fields = importable_fields(model)
    by_lower = {c.lower(): c for c in columns}
    unknown_fields = sorted(set(mapping) - set(fields))
    if unknown_fields:
        raise ValueError(
            f"--map names unknown field(s) {', '.join(unknown_fields)}; "
            f"the {layer} layer has: {', '.join(sorted(fields))}."
        )
    missing_columns = sorted(c for c in mapping.values() if c.lower() not in by_lower)
    if missing_columns:
        raise ValueError(
            f"--map names column(s) not in the file: {', '.join(missing_columns)}; "
            f"the file has: {', '.join(columns)}."
        )
    resolved = {name: by_lower[col.lower()] for name, col in mapping.items()}
    taken = set(resolved.values())
    for name in fields:
        if name in resolved:
            continue
        # Known aliases first: e.g. a numeric ownershipcode beats a free-text ownership;
        # then each name as dBASE cuts it.
        candidates = (*ALIASES.get(layer, {}).get(name, ()), name)
        for candidate in (*candidates, *(c[:DBF_NAME_LENGTH] for c in candidates)):
            column = by_lower.get(candidate.lower())
            if column is not None and column not in taken:
                resolved[name] = column
                taken.add(column)
                break
    return resolved


def jsonable(value: object) -> object:
    """A cell as JSON keeps it: numpy's numbers as numbers, dates as ISO text, gaps as None."""
    if is_blank(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalars
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def is_blank(value: object) -> bool:
    """None, NaN, pandas' NaT/NA (missing dates and numbers) or an empty string."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return value != value  # NaN
    if isinstance(value, int):
        return False
    try:
        return bool(pandas.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def cell(value: object, limit: int = 60) -> str:
    """A cell as a message quotes it: on one line and short. A refusal quotes the offending
    cell of the person's own file and nothing more, never a whole line of it."""
    text = repr(" ".join(str(value).split()) if isinstance(value, str) else value)
    return text if len(text) <= limit else text[: limit - 2] + "…'"


def convert(layer: str, field: models.Field[Any, Any], value: object) -> object:
    """The cell as a value of the field, or a ValidationError saying why it is not one."""
    if is_blank(value):
        if field.null:
            return None
        if isinstance(field, models.BooleanField):
            return field.default
        if field.blank:
            return ""
        raise ValidationError("is required.")
    if layer == "land" and field.name == "purpose_code":
        return normalise_purpose_code(value)
    if layer == "land" and field.name == "cadastral_number":
        return normalise_cadastral_number(value)
    if field.choices:
        return _choice(field, value)
    if isinstance(field, models.BooleanField):
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(f"{cell(value)} is not yes/no.")
    if isinstance(field, models.DecimalField):
        return _decimal(field, value)
    if isinstance(field, models.IntegerField):
        try:
            number = float(str(value))
        except ValueError:
            raise ValidationError(f"{cell(value)} is not a whole number.") from None
        if not number.is_integer():
            raise ValidationError(f"{cell(value)} is not a whole number.")
        return int(number)
    if isinstance(field, models.DateField):
        return _date(value)
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if field.max_length and len(text) > field.max_length:
        raise ValidationError(f"is longer than {field.max_length} characters.")
    return text


def _choice(field: models.Field[Any, Any], value: object) -> str:
    """A choice by its code (200, "200", 200.0) or by its label in Ukrainian or English."""
    raw = value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    codes = _codes(field)
    if text in codes:
        return text
    code = category_named(text) if field.name == "category" else None
    if code in codes:
        return str(code)  # "Землі житлової та громадської забудови" is 200
    lowered = text.lower()
    for language in ("uk", "en"):
        with translation.override(language):
            for code, label in field.flatchoices:
                label_text = str(label).lower()
                if lowered == label_text or (len(label_text) > 4 and label_text in lowered):
                    return str(code)
    raise ValidationError(f"{cell(raw)} is not one of: {', '.join(codes)}.")


@functools.cache
def _codes(field: models.Field[Any, Any]) -> tuple[str, ...]:
    """The field's choice codes as text (looked up for every row of an import)."""
    return tuple(str(code) for code, _label in field.flatchoices)


def _decimal(field: models.DecimalField[Any, Any], value: object) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        raise ValidationError(f"{cell(value)} is not a number.") from None
    if not number.is_finite():
        raise ValidationError(f"{cell(value)} is not a finite number.")
    quantum = Decimal(1).scaleb(-(field.decimal_places or 0))
    number = number.quantize(quantum)
    whole_digits = (field.max_digits or 0) - (field.decimal_places or 0)
    if abs(number) >= Decimal(10) ** whole_digits:
        raise ValidationError(f"{cell(value)} is too large.")
    return number


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text[:19], pattern).date()
        except ValueError:
            continue
    raise ValidationError(f"{cell(value)} is not a date (YYYY-MM-DD or DD.MM.YYYY).")
