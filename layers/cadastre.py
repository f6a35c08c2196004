"""The parts of a cadastral number NNNNNNNNNN:NN:NNN:NNNN: KOATUU, cadastral zone, quarter and
plot. A quarter is named by its prefix `KOATUU:zone:quarter`, a zone by `KOATUU:zone`."""

from __future__ import annotations

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

QUARTER_PATTERN = r"^\d{10}:\d{2}:\d{3}$"
ZONE_LENGTH = len("1412600000:01")
QUARTER_LENGTH = len("1412600000:01:001")

quarter_validator = RegexValidator(
    QUARTER_PATTERN,
    _("A cadastral quarter is written KOATUU:zone:quarter, e.g. 1412600000:01:001."),
)
_QUARTER = re.compile(QUARTER_PATTERN)


def quarter_of(cadastral_number: str) -> str:
    """ "1412600000:01:001:0007" → "1412600000:01:001"."""
    return cadastral_number[:QUARTER_LENGTH]


def zone_of(quarter_or_number: str) -> str:
    """ "1412600000:01:001" (or a whole number) → "1412600000:01"."""
    return quarter_or_number[:ZONE_LENGTH]


def is_quarter(text: str) -> bool:
    return bool(_QUARTER.match(text))


def like_quarter(quarter: str | None) -> str:
    """The LIKE pattern of the plots of a quarter (all plots without one); a quarter has
    no LIKE wildcards, the validator sees to that."""
    if not quarter:
        return "%"
    if not is_quarter(quarter):
        raise ValueError(f"not a cadastral quarter: {quarter!r}")
    return f"{quarter}:%"
