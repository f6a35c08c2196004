"""A resident's pages: ask for a sign-in link, open it, My reports, delete the account."""

from __future__ import annotations

import logging
import smtplib

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from geoportal.core import ratelimit
from geoportal.core.devices import gives_device
from geoportal.residents import signin
from geoportal.residents.access import resident_page
from geoportal.residents.forms import EmailForm
from geoportal.residents.models import Resident

logger = logging.getLogger(__name__)
SIGNIN_TEMPLATE = "frontend/residents/signin.html"


@require_http_methods(["GET", "POST"])
@gives_device  # asking for a link is rate-limited per device
def signin_page(request: HttpRequest) -> HttpResponse:
    """The e-mail form; after it, the same answer whatever the address (signin.py)."""
    if request.method == "GET":
        sent = request.GET.get("sent") == "1"
        deleted = request.GET.get("deleted") == "1"
        return render(
            request, SIGNIN_TEMPLATE, {"form": EmailForm(), "sent": sent, "deleted": deleted}
        )
    refusal = ratelimit.check(request, "resident_link")
    if refusal is not None:
        response = render(
            request, SIGNIN_TEMPLATE, {"form": EmailForm(), "wait": refusal.message()}, status=429
        )
        response["Retry-After"] = str(refusal.seconds)
        return response
    form = EmailForm(request.POST)
    if not form.is_valid():
        return render(request, SIGNIN_TEMPLATE, {"form": form}, status=400)
    try:
        signin.ask_for_link(form.cleaned_data["email"])
    except (smtplib.SMTPException, OSError):
        logger.exception("A resident's sign-in link could not be mailed.")
        return render(request, SIGNIN_TEMPLATE, {"form": form, "mail_failed": True}, status=503)
    return redirect(reverse("residents:signin") + "?sent=1")


@require_http_methods(["GET", "POST"])
@never_cache  # a person's own pages and their key: kept by no cache
def link_page(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link shows a button; only pressing it spends the link, so a mail
    program that opens links to check them signs nobody in."""
    if request.method == "GET":
        refusal = signin.refusal_for(token)
        status = 200 if refusal is None else 400
        message = "" if refusal is None else str(refusal.value)
        return render(request, "frontend/residents/link.html", {"refused": message}, status=status)
    try:
        resident = signin.redeem(token)
    except signin.LinkRefusedError as exc:
        return render(request, "frontend/residents/link.html", {"refused": exc.message}, status=400)
    login(request, resident.user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("residents:reports")


@require_http_methods(["GET"])
@never_cache
@resident_page
def my_reports(request: HttpRequest, resident: Resident) -> HttpResponse:
    return render(
        request,
        "frontend/residents/my_reports.html",
        {"resident": resident, "reports": resident.reports()},
    )


@require_http_methods(["GET", "POST"])
@never_cache
@resident_page
def account_delete(request: HttpRequest, resident: Resident) -> HttpResponse:
    """Asks first; the reports stay, anonymised (Resident.delete_account)."""
    if request.method == "GET":
        count = resident.reports().count()
        return render(
            request, "frontend/residents/delete.html", {"resident": resident, "count": count}
        )
    resident.delete_account()
    logout(request)
    return redirect(reverse("residents:signin") + "?deleted=1")
