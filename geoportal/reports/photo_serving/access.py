"""Who may see a report's photo now, asked anew on every request.

Three ways in, tried in this order: the photo is public (ReportPhoto.is_public); the link
carries a grant, a signed and short-lived token the reporter's own page gives for the
photos of their report (not the hidden ones) before the report is public; or the person
signed in works on the report (Report.objects.staff_scope), who sees hidden photos too.
Anyone else is told the photo does not exist.

The public check comes first: it is the common case and needs no look at the person.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.http import HttpRequest

from geoportal.reports.models import ReportPhoto

GRANT_PARAMETER = "grant"
_SALT = "geoportal.reports.photo-grant"


class Access(Enum):
    PUBLIC = "anyone"
    GRANT = "the holder of a signed link"
    STAFF = "staff who work on the report"


def grant(photo: ReportPhoto) -> str:
    """A token that opens this photo (both sizes) for PHOTO_URL_SECONDS."""
    return signing.TimestampSigner(salt=_SALT).sign(str(photo.pk))


def _granted(request: HttpRequest, photo: ReportPhoto) -> bool:
    token = request.GET.get(GRANT_PARAMETER, "")
    if not token or photo.is_hidden:
        return False
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=settings.PHOTO_URL_SECONDS
        )
    except signing.BadSignature:  # expired ones included (SignatureExpired)
        return False
    return value == str(photo.pk)


def find(request: HttpRequest, pk: int) -> tuple[ReportPhoto, Access] | None:
    """The photo and why this request may see it, or None: no such photo for this person."""
    public = ReportPhoto.objects.public().filter(pk=pk).first()
    if public is not None:
        return public, Access.PUBLIC
    photo = ReportPhoto.objects.filter(pk=pk).first()
    if photo is None:
        return None
    if _granted(request, photo):
        return photo, Access.GRANT
    user: Any = request.user
    if ReportPhoto.objects.for_staff(user).filter(pk=pk).exists():
        return photo, Access.STAFF
    return None


def find_by_name(request: HttpRequest, name: str) -> tuple[ReportPhoto, Access] | None:
    """The same check for a stored file's name (an old /media/ address)."""
    pk = (
        ReportPhoto.objects.filter(Q(image=name) | Q(thumbnail=name))
        .values_list("pk", flat=True)
        .first()
    )
    return None if pk is None else find(request, pk)
