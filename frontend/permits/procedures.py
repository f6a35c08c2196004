"""The three procedures as the applicant reads them before applying: the steps, the
hromada's own terms (PermitSettings, created from data/permits/defaults.json) and the legal
source of each, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from geoportal.permits.models import PermitSettings
from geoportal.permits.models.permit_settings import reference
from geoportal.permits.states import Kind

# The settings an applicant meets, in the order of the procedure; a zero or empty one
# (no priority, no minimum distance) is not a term of this kind and is left out.
SHOWN = (
    "registration_working_days",
    "check_working_days",
    "issue_working_days",
    "priority_months",
    "term_months",
    "installation_report_days",
    "expiry_notice_days",
    "min_distance_m",
    "max_area_m2",
)


@dataclass(frozen=True)
class Term:
    label: str
    value: str
    source: str


@dataclass(frozen=True)
class Procedure:
    kind: str
    label: str
    steps: list[str]
    terms: list[Term]
    sources: list[str]
    apply_url: str


def source_text(text: str) -> str:
    """A source as stored on the settings (the defaults file's English text), in the
    reader's language when the file has it (`sources_uk`); else as stored."""
    data = reference()
    if (get_language() or "uk").startswith("uk"):
        key = next((k for k, v in data["sources"].items() if v == text), None)
        return str(data.get("sources_uk", {}).get(key, text))
    return text


def _days(n: int) -> str:
    return ngettext("%(n)s working day", "%(n)s working days", n) % {"n": n}


def steps(kind: str, settings: PermitSettings) -> list[str]:
    """What happens, in order, with the hromada's numbers."""
    registration = _("Registration of the application: within %(days)s.") % {
        "days": _days(settings.registration_working_days)
    }
    check = _("Check against the zoning plan, the land plot and the structures around: "
              "within %(days)s.") % {"days": _days(settings.check_working_days)}  # fmt: skip
    decision = _("The decision, or a reasoned refusal: within %(days)s after the check.") % {
        "days": _days(settings.issue_working_days)
    }
    report = _("Install the structure and report it on the application's page with a photo.")
    if kind == Kind.ADVERTISING:
        return [
            _("Apply here: mark the site as a point, give the type and size of the structure "
              "and attach a photo or a mock-up of the site."),
            registration + " " + ngettext(
                "From then the site is held for you for %(n)s month (priority).",
                "From then the site is held for you for %(n)s months (priority).",
                settings.priority_months,
            ) % {"n": settings.priority_months},
            _("Approvals of other bodies (the site's owner, road and police authorities, the "
              "heritage body), asked for by the department."),
            check,
            decision,
            report,
        ]  # fmt: skip
    first = (
        _("Apply here: draw the terrace beside your café on the map, give its area, the "
          "season and the specialisation, and attach the site scheme.")
        if kind == Kind.TERRACE
        else _("Apply here: draw the site on the map, give the type, area, period and trade "
               "specialisation, and attach the site scheme and façade sketches.")
    )  # fmt: skip
    end = (
        _("The placement ends with the season.")
        if kind == Kind.TERRACE
        else ngettext(
            "A reminder comes %(n)s day before the passport ends: renew it or remove the "
            "structure.",
            "A reminder comes %(n)s days before the passport ends: renew it or remove the "
            "structure.",
            settings.expiry_notice_days,
        )
        % {"n": settings.expiry_notice_days}
    )
    return [first, registration, check, decision, report, end]


def _value(field: str, value: Any) -> str:
    if field == "term_months" and not value:
        return _("the season or period asked for")
    if field == "max_area_m2":
        return f"{Decimal(str(value)).normalize():f}"  # 30, 12.5: no trailing zeros
    return str(value)


def terms(settings: PermitSettings) -> list[Term]:
    found = []
    for field in SHOWN:
        value = getattr(settings, field)
        if field != "term_months" and not value:
            continue
        label = str(PermitSettings._meta.get_field(field).verbose_name)  # type: ignore[union-attr]
        stored = (settings.sources or {}).get(field, "")
        found.append(Term(label[:1].upper() + label[1:], _value(field, value),
                          source_text(stored)))  # fmt: skip
    return found


def procedures(municipality: Any) -> list[Procedure]:
    """The three procedures of the hromada, each with its terms and sources."""
    found = []
    for kind in Kind:
        settings = PermitSettings.for_(municipality, kind)
        listed = terms(settings)
        sources = list(dict.fromkeys(term.source for term in listed if term.source))
        url = reverse("frontend:permit-apply", kwargs={"kind": kind.value})
        found.append(Procedure(
            kind.value, str(kind.label), steps(kind, settings), listed, sources,
            f"{url}?municipality={municipality.slug}",
        ))  # fmt: skip
    return found
