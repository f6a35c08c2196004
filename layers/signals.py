"""An edit in the admin or the API counts as an update of the layer (its passport)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from layers.models import LayerFeature, LayerPassport
from layers.registry import LAYERS


def _touch_passport(sender: type[LayerFeature], instance: LayerFeature, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loaddata
    for name, spec in LAYERS.items():
        if spec.model is sender:
            LayerPassport.touch(instance.municipality_id, name)


def connect() -> None:
    for spec in LAYERS.values():
        post_save.connect(_touch_passport, sender=spec.model, dispatch_uid=f"touch-{spec.kind}")
        post_delete.connect(_touch_passport, sender=spec.model, dispatch_uid=f"del-{spec.kind}")
