"""Who a person is for one report, in the terms of the transitions table, and the report
procedure as it declares itself in the procedure core (geoportal.procedure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from geoportal.accounts.roles import Role
from geoportal.municipalities.models import DepartmentMembership
from geoportal.procedure.rules import Procedure, Refusals
from geoportal.reports.states import RULES, Action, Actor, State

if TYPE_CHECKING:
    from geoportal.reports.models.data import ReportData


def actor_roles(report: ReportData, user: Any) -> set[Actor]:
    """The actors this user is for this report (anyone is a resident)."""
    roles = {Actor.RESIDENT}
    if user is None or not user.is_authenticated or not user.is_active:
        return roles
    same_city = user.municipality_id == report.municipality_id
    if same_city and user.has_role(Role.MODERATOR):
        roles |= {Actor.MODERATOR, Actor.STAFF}
    if same_city and user.has_role(Role.COORDINATOR):
        roles |= {Actor.COORDINATOR, Actor.STAFF}
    if report.department_id is not None:
        membership = DepartmentMembership.objects.filter(
            user=user, department_id=report.department_id
        ).first()
        if membership is not None:
            head = membership.role == DepartmentMembership.Role.HEAD
            roles |= {Actor.HEAD if head else Actor.WORKER, Actor.STAFF}
    return roles


REPORTS: Procedure[Action, State, Actor] = Procedure(
    name="reports",
    states=State,
    actions=Action,
    actors=Actor,
    rules=RULES,
    roles_of=actor_roles,
    refusals=Refusals(
        conflict=_("The report changed meanwhile (it is now: %(state)s); reload it."),
        wrong_state=_("“%(action)s” is not possible for a report in the state “%(state)s”."),
        not_allowed=_("You may not do “%(action)s” on this report."),
    ),
    # Support and dispute are residents' actions; a resident's update is published from
    # its own queue (frontend/staff/updates.py).
    not_buttons=frozenset({Action.SUPPORT, Action.DISPUTE, Action.RESIDENT_UPDATE}),
    creating=frozenset({Action.SUBMIT}),
)


def allowed_actions(report: ReportData, user: Any) -> list[Action]:
    """The actions this member of staff may take on the report now (for the consoles).

    The model methods decide again when the action is taken; this only chooses buttons.
    A moderator reopens only a disputed report (the coordinator any answered one).
    """
    found = REPORTS.available(report, user)
    moderator_only = Actor.COORDINATOR not in actor_roles(report, user)
    if Action.REOPEN in found and not report.disputed_at and moderator_only:
        found.remove(Action.REOPEN)
    return found
