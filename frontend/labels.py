"""Translated names of the layers' public fields and choices, handed to the page's scripts."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from layers.models.base import PermitState
from layers.public_fields import PUBLIC_FIELDS
from layers.registry import LAYERS


def layer_labels() -> dict[str, Any]:
    """{layer: {"name": ..., "fields": {field: label}, "choices": {field: {code: label}}}}."""
    result: dict[str, Any] = {}
    for name, spec in LAYERS.items():
        fields: dict[str, str] = {}
        choices: dict[str, dict[str, str]] = {}
        for field_name in PUBLIC_FIELDS[name]:
            field = spec.model._meta.get_field(field_name)
            assert isinstance(field, models.Field)  # public fields are concrete fields
            fields[field_name] = str(field.verbose_name)
            if field.choices:
                choices[field_name] = {str(k): str(v) for k, v in field.flatchoices}
        if spec.has_permit:
            fields["permit_state"] = str(_("permit state"))
            choices["permit_state"] = {str(k): str(v) for k, v in PermitState.choices}
        result[name] = {
            "name": str(spec.model._meta.verbose_name_plural),
            "fields": fields,
            "choices": choices,
        }
    return result
