"""What of each layer the public sees: API, exports, tiles and popups use these lists.

Left out on purpose: a land plot's user or lessee (often a private person), the
distributor's phone, and an owner's or distributor's code when it is an РНОКПП
(10 digits: a person's tax number) rather than a company's ЄДРПОУ (8 digits).
"""

from __future__ import annotations

PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    "maf": (
        "passport_number", "permit_valid_from", "permit_valid_to", "owner_name", "owner_code",
        "kind", "purpose", "area_m2", "address", "land_use_basis", "status",
        "cancellation_decision",
    ),
    "advertising": (
        "permit_number", "decision_number", "decision_date", "permit_valid_from",
        "permit_valid_to", "distributor_name", "distributor_code", "kind", "width_m",
        "height_m", "sides", "illuminated", "address", "status", "communal_site_contract",
    ),
    "land": (
        "cadastral_number", "katotth", "category", "purpose_code", "purpose_text", "ownership",
        "area_ha", "lease_until", "normative_valuation", "investor_status",
    ),
    "zoning": (
        "code", "name", "predominant_uses", "accompanying_uses", "permitted_uses",
        "restrictions", "decision_number", "decision_date", "document_url",
        "allows_temporary_structures", "allows_advertising",
    ),
}  # fmt: skip

# Fields holding a business code that must be blanked when it is a person's РНОКПП.
BUSINESS_CODE_FIELDS = ("owner_code", "distributor_code")


def public_business_code(code: str | None) -> str:
    """A company's ЄДРПОУ (8 digits) is public; a person's РНОКПП (10 digits) is not."""
    return code if code and len(code) == 8 else ""
