"""The one field a resident gives to sign in."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail"),
        max_length=254,
        error_messages={
            "required": _("Give the e-mail you file reports with."),
            "invalid": _("Give an e-mail address such as name@example.org."),
            "max_length": _("An e-mail address has at most 254 characters."),
        },
    )
