"""Who may open the applicants' pages. The form and My applications need a resident's
account (anonymous: to the passwordless sign-in, which leads back here once the mailed link
is used; staff: 403, as every resident's page). The tracking page needs nothing but its
code: the code is the secret, so a wrong one is simply not found."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode

from geoportal.permits.models import Application
from geoportal.residents.access import resident_of


def applicant_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view gets the resident; anonymous visitors are sent to sign in and back."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            back = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('residents:signin')}?{back}")
        resident = resident_of(request.user)
        if resident is None:
            raise PermissionDenied("Permit applications are sent from a resident's account.")
        return view(request, resident, *args, **kwargs)

    return guarded


def tracked(code: str) -> Application:
    """The application the tracking code opens; 404 for any other code."""
    return get_object_or_404(Application.objects.select_related("municipality"), tracking_code=code)
