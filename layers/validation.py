"""Field rules of the layers (DOMAIN.md), shared by forms, the admin and the importer.

Each check raises django.core.exceptions.ValidationError with a message that
names the problem; the caller attaches it to the field.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

CADASTRAL_PATTERN = r"^\d{10}:\d{2}:\d{3}:\d{4}$"
cadastral_number_validator = RegexValidator(
    CADASTRAL_PATTERN,
    _(
        "A cadastral number is 10 digits (KOATUU), the zone, the quarter and the plot: "
        "NNNNNNNNNN:NN:NNN:NNNN."
    ),
)

PURPOSE_CODE_PATTERN = r"^\d{2}\.\d{2}$"
purpose_code_validator = RegexValidator(
    PURPOSE_CODE_PATTERN, _("A КВЦПЗ purpose code has the form NN.NN, e.g. 02.01.")
)

# ЄДРПОУ of a company (8 digits) or РНОКПП of a person, e.g. a ФОП (10 digits).
BUSINESS_CODE_PATTERN = r"^(\d{8}|\d{10})$"
business_code_validator = RegexValidator(
    BUSINESS_CODE_PATTERN,
    _("An owner code is an ЄДРПОУ (8 digits) or an РНОКПП (10 digits)."),
)

_PURPOSE_TEXT = re.compile(r"^\s*(\d{1,2})[.,/](\d{1,2})\b")


def normalise_purpose_code(value: object) -> str:
    """КВЦПЗ code as NN.NN from "01.01", "1.01", the float 1.01, or text that starts with it.

    A float has lost its trailing zero (16.0 was 16.00, 1.1 was 1.10), so the part after
    the point is read as hundredths; the same goes for a one-digit part in text.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        raise ValidationError(_("The purpose code is missing."))
    if isinstance(value, bool):
        raise ValidationError(_("The purpose code %(value)r is not a number.") % {"value": value})
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValidationError(
                _("The purpose code %(value)r is not a number.") % {"value": value}
            ) from None
        if number <= 0 or number >= 100 or number != Decimal(str(value)).quantize(Decimal("0.01")):
            raise ValidationError(
                _("The purpose code %(value)s is out of range.") % {"value": value}
            )
        major, minor = f"{number:.2f}".split(".")
        return f"{int(major):02d}.{minor}"
    match = _PURPOSE_TEXT.match(str(value))
    if not match:
        raise ValidationError(
            _("The purpose code %(value)r is not of the form NN.NN.") % {"value": value}
        )
    major, minor = match.groups()
    minor = minor.ljust(2, "0")
    code = f"{int(major):02d}.{minor}"
    if code == "00.00":
        raise ValidationError(_("The purpose code %(value)r is out of range.") % {"value": value})
    return code


# What State Land Cadastre exports write where the cadastre gives no КВЦПЗ code (95,197 of
# Kyiv's parcels say "Код не виокремлено", 7,170 a dash: tests/data/registry/README.md).
OPEN_PURPOSE = re.compile(
    r"^\s*(код\s+не\s+виокремлено|не\s+виокремлено|не\s+визначено|[-–—]+)\s*\.?\s*$",
    re.IGNORECASE,
)


def is_open_purpose_code(value: object) -> bool:
    """The cell is the cadastre's way of saying it gives no code (not a wrong code)."""
    return isinstance(value, str) and bool(OPEN_PURPOSE.match(value))


def normalise_cadastral_number(value: object) -> str:
    text = re.sub(r"\s+", "", str(value or ""))
    cadastral_number_validator(text)
    return text
