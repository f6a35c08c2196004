"""`{{ field|described }}`: a form field's widget that names its error for screen readers
(aria-describedby pointing at the `error-<name>` line the template writes under it)."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def described(field: forms.BoundField) -> SafeString:
    if not field.errors:
        return field.as_widget()
    return field.as_widget(attrs={"aria-describedby": f"error-{field.name}"})
