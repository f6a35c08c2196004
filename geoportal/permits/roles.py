"""Who a person is for one permit application, in the terms of the transitions table
(states.RULES), and the permit procedure as it declares itself in the procedure core."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from geoportal.accounts.roles import Role
from geoportal.municipalities.models import DepartmentMembership
from geoportal.permits.states import RULES, Action, Actor, Kind, State
from geoportal.procedure.rules import Procedure, Refusals

if TYPE_CHECKING:
    from geoportal.permits.models.data import ApplicationData


class _System:
    """The platform's clock as the one who takes an action (expiry): not a person."""

    is_authenticated = False
    is_active = False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


def permit_department_id(application: ApplicationData) -> int | None:
    """The department that reviews applications of this kind in the hromada."""
    from geoportal.permits.models import PermitSettings

    settings = PermitSettings.for_(application.municipality, application.kind)
    return settings.department_id


def actor_roles(application: ApplicationData, user: Any) -> set[Actor]:
    """The actors this user is for this application (none for a stranger)."""
    if user is SYSTEM:
        return {Actor.SYSTEM}
    roles: set[Actor] = set()
    if user is None or not user.is_authenticated or not user.is_active:
        return roles
    if application.applicant_user_id is not None and application.applicant_user_id == user.pk:
        roles.add(Actor.APPLICANT)
    same_city = user.municipality_id == application.municipality_id
    if same_city and user.has_role(Role.COORDINATOR):
        roles |= {Actor.COORDINATOR, Actor.STAFF}
    department_id = permit_department_id(application)
    if department_id is not None and same_city:
        membership = DepartmentMembership.objects.filter(
            user=user, department_id=department_id
        ).first()
        if membership is not None:
            head = membership.role == DepartmentMembership.Role.HEAD
            roles |= {Actor.HEAD if head else Actor.OFFICER, Actor.STAFF}
    return roles


PERMITS: Procedure[Action, State, Actor] = Procedure(
    name="permits",
    states=State,
    actions=Action,
    actors=Actor,
    rules=RULES,
    roles_of=actor_roles,
    refusals=Refusals(
        conflict=_("The application changed meanwhile (it is now: %(state)s); reload it."),
        wrong_state=_("“%(action)s” is not possible for an application in the state “%(state)s”."),
        not_allowed=_("You may not do “%(action)s” on this application."),
    ),
    # The applicant's own actions, and the clock's.
    not_buttons=frozenset({Action.WITHDRAW, Action.REPORT_INSTALLATION, Action.EXPIRE}),
    # The applicant's submission creates the application (intake.submit_application).
    creating=frozenset({Action.SUBMIT}),
)


def permit_kinds(user: Any) -> list[str]:
    """The kinds of permit whose applications this member of staff works on, in Kind's
    order: every kind for the coordinator, else the kinds whose permit department
    (PermitSettings.department) the person belongs to; none outside their hromada's staff.
    The officers' console and the permit statistics are scoped by it."""
    from geoportal.permits.models import PermitSettings

    if not user.is_authenticated or not user.is_active or not user.municipality_id:
        return []
    if user.has_role(Role.COORDINATOR):
        return [kind.value for kind in Kind]
    own = set(
        user.department_memberships.filter(
            department__municipality_id=user.municipality_id
        ).values_list("department_id", flat=True)
    )
    if not own:
        return []
    return [
        kind.value
        for kind in Kind
        if PermitSettings.for_(user.municipality, kind).department_id in own
    ]


def allowed_actions(application: ApplicationData, user: Any) -> list[Action]:
    """The actions this member of staff may take on the application now (for the console;
    the model methods decide again when the action is taken)."""
    return PERMITS.available(application, user)
