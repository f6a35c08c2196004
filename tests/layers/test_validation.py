"""Field rules of the layers: КВЦПЗ codes, cadastral numbers, owner codes."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from layers.validation import (
    business_code_validator,
    normalise_cadastral_number,
    normalise_purpose_code,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("01.01", "01.01"),
        ("1.01", "01.01"),
        (1.01, "01.01"),  # the Kozelshchyna file's float
        (16.0, "16.00"),  # a float lost the trailing zeros of 16.00
        (1.1, "01.10"),
        (Decimal("2.07"), "02.07"),
        ("03.07 Для будівництва та обслуговування будівель торгівлі", "03.07"),
        ("2,01", "02.01"),
        (" 02.01", "02.01"),
    ],
)
def test_purpose_code_is_normalised_to_nn_nn(raw, expected):
    assert normalise_purpose_code(raw) == expected


@pytest.mark.parametrize("raw", [None, "", float("nan"), "abc", 0, 123.45, -1.01, True, "00.00"])
def test_bad_purpose_code_is_refused(raw):
    with pytest.raises(ValidationError):
        normalise_purpose_code(raw)


def test_cadastral_number_format():
    assert normalise_cadastral_number(" 5322055100:00:001:0850 ") == "5322055100:00:001:0850"
    for bad in ["5322055100:00:001:085", "532205510:00:001:0850", "5322055100-00-001-0850", ""]:
        with pytest.raises(ValidationError):
            normalise_cadastral_number(bad)


def test_owner_code_is_edrpou_or_rnokpp():
    business_code_validator("12345678")
    business_code_validator("1234567890")
    for bad in ["1234567", "123456789", "ABCDEFGH"]:
        with pytest.raises(ValidationError):
            business_code_validator(bad)
