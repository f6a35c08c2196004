"""Who a person is for one report, in the terms of the transitions table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geoportal.accounts.roles import Role
from geoportal.municipalities.models import DepartmentMembership
from geoportal.reports.states import Actor

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
