"""Ready texts for the decisions: the hromada's own (municipalities.ResponseTemplate with a
permit purpose, edited in the admin) after a default per refusal reason and one for a
grant, so a console offers something before any template is written. Choosing one only
fills the text box; the officer edits it before sending."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from geoportal.municipalities.models import ResponseTemplate
from geoportal.permits.models import Application, PermitSettings
from geoportal.permits.states import RefusalReason

REFUSAL_DEFAULTS: dict[str, Promise] = {
    RefusalReason.PLANNING_DOCUMENTS: _(
        "The placement is refused: the site contradicts the planning documents of the "
        "hromada (the zoning plan does not allow the structure in this zone)."
    ),
    RefusalReason.SITE_TAKEN: _(
        "The placement is refused: the site is taken by another structure or by a permit in force."
    ),
    RefusalReason.PRIORITY_OF_ANOTHER: _(
        "The permit is refused: another applicant holds the priority on this site "
        "(Typical rules, resolution No. 2067 of 29.12.2003)."
    ),
    RefusalReason.INCOMPLETE_DOCUMENTS: _(
        "The application is refused: the documents required for it are incomplete. You may "
        "apply again with the full set."
    ),
    RefusalReason.APPROVALS_REFUSED: _(
        "The permit is refused: a body whose approval the placement requires has refused it."
    ),
}
GRANT_DEFAULT = _(
    "The placement is granted for the term stated. Report the installation with a photo "
    "of the structure as placed."
)


def offers(application: Application) -> dict[str, list[dict[str, str]]]:
    """The texts the console's pickers offer: {"permit_refuse": [...], "permit_grant": [...]}."""
    department = PermitSettings.for_(application.municipality, application.kind).department_id
    # offered_for() reads a report's department and hromada; an application has the same.
    case: Any = SimpleNamespace(
        department_id=department, municipality_id=application.municipality_id
    )
    refusals = [
        {"id": f"default-{reason}", "title": str(RefusalReason(reason).label), "text": str(text)}
        for reason, text in REFUSAL_DEFAULTS.items()
    ]
    grants = [
        {"id": "default-grant", "title": str(_("Standard grant")), "text": str(GRANT_DEFAULT)}
    ]
    for purpose, offered in (
        (ResponseTemplate.Purpose.PERMIT_REFUSE, refusals),
        (ResponseTemplate.Purpose.PERMIT_GRANT, grants),
    ):
        offered += [t.as_offer() for t in ResponseTemplate.objects.offered_for(case, purpose)]
    return {"permit_refuse": refusals, "permit_grant": grants}
