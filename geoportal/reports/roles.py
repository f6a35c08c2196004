"""Who a person is for one report, in the terms of the transitions table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geoportal.accounts.roles import Role
from geoportal.municipalities.models import DepartmentMembership
from geoportal.reports.states import RULES, Action, Actor

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


def allowed_actions(report: ReportData, user: Any) -> list[Action]:
    """The actions this member of staff may take on the report now (for the consoles).

    The model methods decide again when the action is taken; this only chooses buttons.
    Support and dispute are residents' actions and are left out; a resident's update is
    published from its own queue (frontend/staff/updates.py).
    """
    roles = actor_roles(report, user)
    found: list[Action] = []
    for action, rule in RULES.items():
        if action in {Action.SUPPORT, Action.DISPUTE, Action.RESIDENT_UPDATE}:
            continue
        if rule.sources is not None and report.state not in rule.sources:
            continue
        if not roles & rule.actors:
            continue
        if action == Action.REOPEN and Actor.COORDINATOR not in roles and not report.disputed_at:
            continue
        found.append(action)
    return found
