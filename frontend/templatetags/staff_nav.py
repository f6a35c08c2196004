"""Which consoles the header links to for the person signed in: `{% if user|sees_permits %}`."""

from __future__ import annotations

from typing import Any

from django import template

from geoportal.permits.roles import permit_kinds

register = template.Library()


@register.filter
def sees_permits(user: Any) -> bool:
    """The permit department's staff of some kind, its head, and the coordinator."""
    return bool(getattr(user, "is_authenticated", False)) and bool(permit_kinds(user))
