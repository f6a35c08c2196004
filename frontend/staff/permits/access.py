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

from geoportal.permits.models import Application
from geoportal.permits.roles import permit_kinds


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
