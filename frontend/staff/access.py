"""Who may open which console: each role its own, deny by default."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from geoportal.accounts.roles import Role


def is_moderator(user: Any) -> bool:
    return bool(user.municipality_id) and (
        user.has_role(Role.MODERATOR) or user.has_role(Role.COORDINATOR)
    )


def is_department_member(user: Any) -> bool:
    return bool(user.department_memberships.exists())


def is_coordinator(user: Any) -> bool:
    return bool(user.municipality_id) and user.has_role(Role.COORDINATOR)


def is_planner(user: Any) -> bool:
    return bool(user.has_role(Role.PLANNING_EDITOR) or is_coordinator(user))


def staff_page(allowed: Callable[[Any], bool]) -> Callable[..., Any]:
    """Sign-in first; then the page or 403 for people whose role it is not."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: Any = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_active or not allowed(user):
                raise PermissionDenied("This page is not for your role.")
            return view(request, *args, **kwargs)

        return guarded

    return decorate
