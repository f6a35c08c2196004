"""Pages of a resident's own account: a resident signed in, nobody else (staff included)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from geoportal.residents.models import Resident


def resident_of(user: Any) -> Resident | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return Resident.objects.filter(user=user).first()


def resident_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Not signed in: to the residents' sign-in; signed in without a resident account (a
    member of staff, say): 403. The view gets the resident."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(reverse("residents:signin"))
        resident = resident_of(request.user)
        if resident is None:
            raise PermissionDenied("This page is for residents' accounts.")
        return view(request, resident, *args, **kwargs)

    return guarded
