"""Labels of the codes that reports keep in their spatial context (a snapshot in JSON):
`{{ s.permit_state|permit_state }}` shows «Термін спливає», never "expiring"."""

from __future__ import annotations

from django import template

from layers.models.base import PermitState, StructureStatus

register = template.Library()


@register.filter
def permit_state(code: str | None) -> str:
    """The permit state's label in the page's language; an unknown code as it is."""
    return str(PermitState(code).label) if code in PermitState.values else code or ""


@register.filter
def structure_status(code: str | None) -> str:
    """The structure's recorded status, labelled; an unknown code as it is."""
    return str(StructureStatus(code).label) if code in StructureStatus.values else code or ""
