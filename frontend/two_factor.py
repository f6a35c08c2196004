"""Two-factor sign-in pages: a staff member's own setting (turn it on with a QR code, turn
it off with a code) and sign-in's code step, between the right password and the session.
The rules live in geoportal.accounts.two_factor."""

from __future__ import annotations

import re
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from frontend.staff.access import staff_page
from geoportal.accounts import two_factor
from geoportal.accounts.signin import locked_out, too_many
from geoportal.core import ratelimit

SIX_DIGITS = re.compile(r"[0-9]{6}")


class CodeForm(forms.Form):
    otp_token = forms.CharField(label=gettext_lazy("Code from the app"), max_length=12)

    def clean_otp_token(self) -> str:
        code = str(self.cleaned_data["otp_token"]).replace(" ", "")
        if not SIX_DIGITS.fullmatch(code):
            raise forms.ValidationError(_("Enter the 6 digits the app shows."))
        return code


def _refused(form: CodeForm, check: two_factor.Check) -> None:
    if check.wait:
        message = _("Too many wrong codes: wait %(seconds)s s, then enter the newest code.")
        form.add_error("otp_token", message % {"seconds": check.wait})
    else:
        message = _("This code is wrong or has expired: enter the newest code the app shows.")
        form.add_error("otp_token", message)


@never_cache
@sensitive_post_parameters("otp_token")
@staff_page(lambda user: user.is_staff_member)
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, then confirm with a code) or off (with a code)."""
    user: Any = request.user
    device = two_factor.confirmed_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        code = form.cleaned_data["otp_token"]
        action = request.POST.get("action")
        if action == "on" and device is None:
            check = two_factor.turn_on(request, two_factor.enrolment_device(user), code)
        elif action == "off" and device is not None:
            check = two_factor.turn_off(user, code)
        else:  # the page was out of date (changed in another tab): show it as it is now
            return redirect("frontend:staff-two-factor")
        if check.right:
            return redirect("frontend:staff-two-factor")
        _refused(form, check)
    context: dict[str, Any] = {"form": form, "is_on": device is not None}
    if device is None:
        setting_up = two_factor.enrolment_device(user)
        title = _("QR code of the key for your authenticator app")
        # segno writes the SVG element itself and escapes the title.
        context["qr_code"] = mark_safe(two_factor.qr_code_svg(setting_up, title))  # noqa: S308
        context["secret"] = two_factor.secret(setting_up)
    return render(request, "frontend/staff/two_factor.html", context)


@never_cache
@sensitive_post_parameters("otp_token")
def login_code(request: HttpRequest) -> HttpResponse:
    """Sign-in's second step: the code from the app of the user who gave the right password."""
    user = two_factor.held_user(request)
    device = two_factor.confirmed_device(user) if user else None
    if user is None or device is None:
        return render(request, "frontend/login_code.html", {"expired": True})
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        refusal = ratelimit.check(request, "login")
        if refusal is not None:
            return too_many(request, refusal)
        credentials = {"username": user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return locked_out(request, credentials)
    if form.is_valid():
        check = two_factor.check_code(device, form.cleaned_data["otp_token"])
        if check.right:
            return redirect(two_factor.finish(request, user, device))
        if not check.wait:
            two_factor.count_failure(request, user)
        _refused(form, check)
    return render(request, "frontend/login_code.html", {"form": form})
