"""Who may open the permits queue and an application's console.

The permit department of each kind is the hromada's choice (PermitSettings.department);
its workers and head see that kind's applications of their own hromada, the coordinator
sees every kind. Everyone else is refused (deny by default), another hromada's staff too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from frontend.staff.access import is_coordinator
from geoportal.permits.models import Application, PermitSettings
from geoportal.permits.states import Kind


def permit_kinds(user: Any) -> list[str]:
    """The kinds of permit whose applications this person works on, in Kind's order."""
    if not user.is_authenticated or not user.is_active or not user.municipality_id:
        return []
    if is_coordinator(user):
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


def sees_permits(user: Any) -> bool:
    return bool(permit_kinds(user))


def permit_scope(user: Any) -> QuerySet[Application]:
    """The applications this person may open: their hromada's, of their kinds."""
    kinds = permit_kinds(user)
    if not kinds:
        return Application.objects.none()
    return Application.objects.filter(municipality_id=user.municipality_id, kind__in=kinds)


def staff_application(user: Any, pk: int) -> Application:
    """The application if this person works on it; 404 when there is none, 403 when it is
    not theirs (as the reports' console)."""
    application = get_object_or_404(Application, pk=pk)
    if not permit_scope(user).filter(pk=application.pk).exists():
        raise PermissionDenied("This application is not among the ones you work on.")
    return application
