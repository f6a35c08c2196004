"""A resident's pages: ask for a sign-in link, open it, My reports, delete the account,
the area alerts and their unsubscribe link."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from geoportal.core import ratelimit
from geoportal.core.devices import gives_device
from geoportal.municipalities.models import Municipality
from geoportal.residents import signin
from geoportal.residents.access import resident_page
from geoportal.residents.forms import AlertForm, EmailForm
from geoportal.residents.models import Alert, Resident

logger = logging.getLogger(__name__)
SIGNIN_TEMPLATE = "frontend/residents/signin.html"


@require_http_methods(["GET", "POST"])
@gives_device  # asking for a link is rate-limited per device
def signin_page(request: HttpRequest) -> HttpResponse:
    """The e-mail form; after it, the same answer whatever the address (signin.py). A
    `next` path (from the page that sent the visitor here) rides along in the link."""
    next_path = signin.safe_next(request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET":
        sent = request.GET.get("sent") == "1"
        deleted = request.GET.get("deleted") == "1"
        return render(request, SIGNIN_TEMPLATE, {
            "form": EmailForm(), "sent": sent, "deleted": deleted, "next": next_path,
        })  # fmt: skip
    refusal = ratelimit.check(request, "resident_link")
    if refusal is not None:
        response = render(request, SIGNIN_TEMPLATE, {
            "form": EmailForm(), "wait": refusal.message(), "next": next_path,
        }, status=429)  # fmt: skip
        response["Retry-After"] = str(refusal.seconds)
        return response
    form = EmailForm(request.POST)
    if not form.is_valid():
        return render(request, SIGNIN_TEMPLATE, {"form": form, "next": next_path}, status=400)
    try:
        signin.ask_for_link(form.cleaned_data["email"], next_path)
    except (smtplib.SMTPException, OSError):
        logger.exception("A resident's sign-in link could not be mailed.")
        return render(request, SIGNIN_TEMPLATE, {
            "form": form, "mail_failed": True, "next": next_path,
        }, status=503)  # fmt: skip
    return redirect(reverse("residents:signin") + "?sent=1")


@require_http_methods(["GET", "POST"])
@never_cache  # a person's own pages and their key: kept by no cache
def link_page(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link shows a button; only pressing it spends the link, so a mail
    program that opens links to check them signs nobody in. The button's form posts to the
    link as opened, `next` included."""
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
    # Back to the page that asked for the sign-in (the link carries it), else My reports.
    return redirect(signin.safe_next(request.GET.get("next")) or reverse("residents:reports"))


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


@require_http_methods(["GET", "POST"])
@never_cache
@resident_page
def alerts_page(request: HttpRequest, resident: Resident) -> HttpResponse:
    """The resident's area alerts, and the form for a new one (a map to tap a point or the
    corners of an area; the coordinates can also be typed)."""
    status = 200
    form = AlertForm(initial={"municipality": settings.DEFAULT_MUNICIPALITY})
    if request.method == "POST":
        form = AlertForm(request.POST)
        if resident.alerts.active().count() >= settings.ALERTS_PER_RESIDENT:
            form.add_error(
                None,
                _("You have %(limit)s alerts already; delete one first.")
                % {"limit": settings.ALERTS_PER_RESIDENT},
            )
            status = 400
        elif form.is_valid():
            Alert.create_for(resident, form.cleaned_data, get_language() or "uk")
            messages.success(request, _("The alert is saved."))
            return redirect("residents:alerts")
        else:
            status = 400
    hromadas = {
        m.slug: {"lat": m.centre.y, "lon": m.centre.x} for m in Municipality.objects.active()
    }
    return render(
        request,
        "frontend/residents/alerts.html",
        {
            "resident": resident,
            "alerts": resident.alerts.active()
            .select_related("municipality")
            .prefetch_related("categories"),
            "form": form,
            "hromadas": hromadas,
        },
        status=status,
    )


@require_http_methods(["POST"])
@never_cache
@resident_page
def alert_delete(request: HttpRequest, resident: Resident, pk: int) -> HttpResponse:
    """Only the resident's own alert; another's is not found."""
    alert = get_object_or_404(resident.alerts.all(), pk=pk)
    alert.delete()
    messages.success(request, _("The alert is deleted."))
    return redirect("residents:alerts")


@csrf_exempt  # RFC 8058: the mail program POSTs without the page; the token is the secret
@require_http_methods(["GET", "POST"])
@never_cache
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners open links), POST unsubscribes: the confirm button, or the
    mail program's one-click POST of List-Unsubscribe=One-Click."""
    alert = get_object_or_404(Alert.objects.select_related("municipality"), token=token)
    if request.method == "POST":
        alert.unsubscribe()
    return render(
        request,
        "frontend/residents/alert_unsubscribe.html",
        {"alert": alert, "done": alert.unsubscribed_at is not None},
    )
