"""Translated names of the layers' public fields and choices, and of the permit applications'
on the map, handed to the page's scripts."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from geoportal.permits.states import UNDER_REVIEW_STATES, Kind, State
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


def permit_labels() -> dict[str, Any]:
    """The words of the map's layer of permit applications under review (permits.js)."""
    return {
        "title": str(_("Permit application under review")),
        "person": str(_("A natural person")),
        "register": str(_("Open the register of applications")),
        "kinds": {str(k): str(v) for k, v in Kind.choices},
        "states": {str(k): str(v) for k, v in State.choices if k in UNDER_REVIEW_STATES},
        "fields": {
            "number": str(_("Number")),
            "kind": str(pgettext("permit console", "Kind of permit")),
            "address": str(_("Address")),
            "holder": str(pgettext("permit register", "Holder")),
            "state": str(pgettext("state of a permit application", "State")),
        },
    }
