"""Signing a resident in by a link mailed to their address.

The page answers the same whatever the address is (an account, reports, a member of staff
or nothing): who may see which reports is told only to the mailbox. A staff address gets a
note pointing to the staff sign-in instead of a link, so a link never signs a member of
staff in past their password and code. A link is good for RESIDENT_LINK_MINUTES and once;
only its hash is stored.

A page that needs a resident (the permit application form) sends the visitor here with
`next`, a path of this site: the mailed link carries it, and pressing its button leads back
there instead of to My reports.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from enum import Enum

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.models import User
from geoportal.accounts.roles import Role
from geoportal.core.ratelimit import Rate, hit
from geoportal.residents.models import Resident, SignInLink, hash_token

logger = logging.getLogger(__name__)
# A return path longer than this is dropped (a path of the site is short).
NEXT_MAX = 300


class Refusal(Enum):
    """Why a link signs nobody in, as the page says it."""

    UNKNOWN = _(
        "This sign-in link is not valid. Check that it was copied whole, or ask for a new one."
    )
    USED = _("This sign-in link was used already. Ask for a new one.")
    EXPIRED = _("This sign-in link has expired. Ask for a new one.")
    STAFF = _("This address belongs to a staff account: sign in with the password and code.")


class LinkRefusedError(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.name)
        self.refusal = refusal

    @property
    def message(self) -> str:
        return str(self.refusal.value)


def is_staff_address(email: str) -> bool:
    """Whether an account of the staff (or an administrator) uses the address."""
    people = User.objects.filter(email__iexact=email, is_active=True)
    return people.filter(
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(groups__name__in=Role.values)
        | Q(department_memberships__isnull=False)
    ).exists()


def within_email_limit(email: str) -> bool:
    """Count one mail to the address (RATE_RESIDENT_LINK_EMAIL); False once past it. The key
    holds a hash of the address, not the address."""
    if not settings.RATE_LIMITS_ENABLED:
        return True
    digest = hashlib.sha256(email.encode()).hexdigest()[:40]
    rate = Rate.parse(settings.RATE_RESIDENT_LINK_EMAIL)
    count, _remaining = hit(f"resident_link:email:{digest}", rate)
    return count <= rate.count


def _send(email: str, template: str, context: dict[str, object]) -> None:
    """Mailed at once, not through the reports' outbox (Notification): a stored copy of the
    body would be a working link readable in the admin, and it expires within minutes."""
    text = render_to_string(f"residents/email/{template}.txt", context).strip()
    subject, _blank, body = text.partition("\n")
    EmailMessage(subject.strip(), body.strip() + "\n", to=[email]).send()


def safe_next(path: str | None) -> str:
    """`path` when it is a path of this site ("/permits/apply/terrace/"), else "": never
    another host ("//evil.example", "https://…"), so a link cannot send anyone away."""
    path = (path or "").strip()
    if not path.startswith("/") or path.startswith(("//", "/\\")) or len(path) > NEXT_MAX:
        return ""
    if any(c.isspace() or not c.isprintable() for c in path):  # no header injection
        return ""
    return path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) else ""


def ask_for_link(email: str, next_path: str = "") -> bool:
    """Mail the address a link (or, for staff, a note); False when the mail was not sent
    because the address was mailed too often (the caller answers the same). `next_path`: the
    page the link leads back to once used (safe_next decides)."""
    email = email.strip().lower()
    if not within_email_limit(email):
        logger.info("Resident sign-in link not sent: the address's limit was reached.")
        return False
    if is_staff_address(email):
        _send(email, "staff_address", {"login": settings.SITE_URL + reverse("frontend:login")})
        return True
    _link, token = SignInLink.issue(email)
    url = settings.SITE_URL + reverse("residents:link", kwargs={"token": token})
    if next_path := safe_next(next_path):
        url += "?" + urlencode({"next": next_path})
    _send(
        email,
        "signin_link",
        {
            "link": url,
            "minutes": settings.RESIDENT_LINK_MINUTES,
            "signin": settings.SITE_URL + reverse("residents:signin"),
        },
    )
    return True


def _refusal(link: SignInLink | None) -> Refusal | None:
    if link is None:
        return Refusal.UNKNOWN
    if link.used_at is not None:
        return Refusal.USED
    if link.expires_at <= timezone.now():
        return Refusal.EXPIRED
    if is_staff_address(link.email):  # the address became staff's since the mail
        return Refusal.STAFF
    return None


def refusal_for(token: str) -> Refusal | None:
    """Why the link would sign nobody in, without spending it; None when it would."""
    return _refusal(SignInLink.objects.filter(token_hash=hash_token(token)).first())


def redeem(token: str) -> Resident:
    """The resident the link signs in (the account made on first use); the link is spent.
    Raises LinkRefusedError."""
    with transaction.atomic():
        # The row lock: two clicks on one link (a double click, a mail scanner and the
        # resident) sign in at most once.
        link = SignInLink.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        refusal = _refusal(link)
        if refusal is not None or link is None:
            raise LinkRefusedError(refusal or Refusal.UNKNOWN)
        now = timezone.now()
        link.used_at = now
        link.save(update_fields=["used_at"])
        resident = Resident.objects.select_for_update().filter(email=link.email).first()
        if resident is None:
            resident = _new_resident(link.email)
        resident.last_signed_in_at = now
        resident.save(update_fields=["last_signed_in_at"])
        return resident


def _new_resident(email: str) -> Resident:
    """The account of a first sign-in; two first links of one address used at the same
    moment make one account (the unique e-mail decides, the second reads the first's)."""
    try:
        with transaction.atomic():
            user = User(username=f"resident-{secrets.token_hex(8)}", email=email)
            user.set_unusable_password()
            user.save()
            return Resident.objects.create(user=user, email=email)
    except IntegrityError:
        return Resident.objects.select_for_update().get(email=email)


def forget_expired() -> int:
    """Delete links that can no longer sign anybody in."""
    deleted, _by_model = SignInLink.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
